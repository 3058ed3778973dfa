namespace Connector.Mapping.Text;

/// <summary>Limits that keep hostile or broken input from costing unbounded time or memory.</summary>
public sealed record ContentReaderOptions
{
    /// <summary>Default longest unfolded property value: 4 MiB of text, room for a large inline photo.</summary>
    public const int DefaultMaxValueLength = 4 * 1024 * 1024;

    /// <summary>Default deepest BEGIN/END nesting; real objects use three (VCALENDAR/VEVENT/VALARM).</summary>
    public const int DefaultMaxDepth = 8;

    /// <summary>Default most properties in one component.</summary>
    public const int DefaultMaxPropertiesPerComponent = 20_000;

    public static ContentReaderOptions Default { get; } = new();

    public int MaxValueLength { get; init; } = DefaultMaxValueLength;

    public int MaxDepth { get; init; } = DefaultMaxDepth;

    public int MaxPropertiesPerComponent { get; init; } = DefaultMaxPropertiesPerComponent;
}
