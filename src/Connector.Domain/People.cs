namespace Connector.Domain;

/// <summary>RFC 5545 PARTSTAT / EWS ResponseType.</summary>
public enum ParticipationStatus
{
    NeedsAction,
    Accepted,
    Declined,
    Tentative,
    Delegated,
    Completed,
    InProcess,
}

/// <summary>RFC 5545 ROLE. Exchange knows required, optional and (via CUTYPE) resources.</summary>
public enum AttendeeRole
{
    Required,
    Optional,
    NonParticipant,
    Chair,
}

/// <summary>RFC 5545 CUTYPE.</summary>
public enum AttendeeKind
{
    Individual,
    Group,
    Resource,
    Room,
    Unknown,
}

/// <summary>The organizer of a meeting.</summary>
public sealed record Organizer
{
    /// <summary>E-mail address without the <c>mailto:</c> scheme, or the raw URI when it is not mailto.</summary>
    public required string Email { get; init; }

    public string? Name { get; init; }

    /// <summary>Parameters the model does not understand (SENT-BY, DIR, LANGUAGE, X-...).</summary>
    public ValueList<RawParameter> ExtraParameters { get; init; }
}

/// <summary>An attendee of a meeting.</summary>
public sealed record Attendee
{
    public required string Email { get; init; }

    public string? Name { get; init; }

    public AttendeeRole Role { get; init; } = AttendeeRole.Required;

    public ParticipationStatus Status { get; init; } = ParticipationStatus.NeedsAction;

    public AttendeeKind Kind { get; init; } = AttendeeKind.Individual;

    public bool ResponseRequested { get; init; }

    public ValueList<RawParameter> ExtraParameters { get; init; }
}
