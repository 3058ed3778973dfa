namespace Connector.Domain;

/// <summary>A property parameter as it appeared on the wire (e.g. <c>TYPE=work,voice</c>).</summary>
public sealed record RawParameter(string Name, ValueList<string> Values)
{
    public RawParameter(string name, params string[] values)
        : this(name, new ValueList<string>(values))
    {
    }
}

/// <summary>
/// A property the model does not understand, kept verbatim (value still escaped as on the wire)
/// so that it survives an update made by the other side.
/// </summary>
public sealed record RawProperty(string? Group, string Name, ValueList<RawParameter> Parameters, string Value)
{
    public RawProperty(string name, string value)
        : this(null, name, ValueList<RawParameter>.Empty, value)
    {
    }
}

/// <summary>A sub-component the model does not understand (e.g. an unknown <c>X-</c> component).</summary>
public sealed record RawComponent(string Name, ValueList<RawProperty> Properties, ValueList<RawComponent> Components);
