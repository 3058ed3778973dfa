namespace Connector.Domain;

/// <summary>vCard N: family; given; additional; prefixes; suffixes.</summary>
public sealed record StructuredName
{
    public string? Family { get; init; }

    public string? Given { get; init; }

    public string? Additional { get; init; }

    public string? Prefix { get; init; }

    public string? Suffix { get; init; }

    public bool IsEmpty => Family is null && Given is null && Additional is null && Prefix is null && Suffix is null;
}

/// <summary>
/// A value with vCard TYPE parameters (lower-case, e.g. <c>work</c>, <c>cell</c>, <c>pref</c>) and an
/// optional free-text label (Apple/Google <c>X-ABLabel</c> in the same property group).
/// </summary>
public sealed record TypedValue
{
    public required string Value { get; init; }

    public ValueList<string> Types { get; init; }

    public string? Label { get; init; }

    public bool IsPreferred => Types.Contains("pref");

    public bool HasType(string type) => Types.Contains(type, StringComparer.OrdinalIgnoreCase);
}

/// <summary>vCard ADR.</summary>
public sealed record PostalAddress
{
    public string? PostOfficeBox { get; init; }

    public string? Extended { get; init; }

    public string? Street { get; init; }

    public string? Locality { get; init; }

    public string? Region { get; init; }

    public string? PostalCode { get; init; }

    public string? Country { get; init; }

    public ValueList<string> Types { get; init; }

    /// <summary>The formatted label (vCard 3 LABEL, vCard 4 LABEL parameter), when given.</summary>
    public string? Label { get; init; }
}

/// <summary>A birthday or anniversary; vCard allows the year to be unknown (<c>--0321</c>).</summary>
public readonly record struct PartialDate(int? Year, int Month, int Day)
{
    public override string ToString() => Year is int y ? $"{y:D4}-{Month:D2}-{Day:D2}" : $"--{Month:D2}-{Day:D2}";
}

/// <summary>A photo: inline bytes with a media type, or a URI.</summary>
public sealed record ContactPhoto
{
    public string? MediaType { get; init; }

    public ValueList<byte> Data { get; init; }

    public string? Uri { get; init; }
}

/// <summary>A contact (vCard, EWS Contact, Graph contact).</summary>
public sealed record Contact : ISyncItem
{
    public required string Uid { get; init; }

    public string? FormattedName { get; init; }

    public StructuredName? Name { get; init; }

    public string? Nickname { get; init; }

    public string? Organization { get; init; }

    public string? Department { get; init; }

    public string? Title { get; init; }

    public string? Role { get; init; }

    public ValueList<TypedValue> Emails { get; init; }

    public ValueList<TypedValue> Phones { get; init; }

    public ValueList<PostalAddress> Addresses { get; init; }

    public ValueList<TypedValue> Urls { get; init; }

    public PartialDate? Birthday { get; init; }

    public PartialDate? Anniversary { get; init; }

    public string? Note { get; init; }

    public ContactPhoto? Photo { get; init; }

    public ValueList<string> Categories { get; init; }

    public DateTime? Revision { get; init; }

    /// <summary>Properties the model does not understand (with their group), kept so they survive an update.</summary>
    public ValueList<RawProperty> ExtraProperties { get; init; }
}
