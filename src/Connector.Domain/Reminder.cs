namespace Connector.Domain;

public enum ReminderAction
{
    Display,
    Audio,
    Email,
}

/// <summary>
/// An alarm. Either relative (<see cref="Offset"/> before the start, or the end/due when
/// <see cref="RelativeToEnd"/>), or absolute (<see cref="At"/>). A negative offset is before.
/// </summary>
public sealed record Reminder
{
    public TimeSpan? Offset { get; init; }

    public bool RelativeToEnd { get; init; }

    public DateTime? At { get; init; }

    public ReminderAction Action { get; init; } = ReminderAction.Display;

    public string? Description { get; init; }

    /// <summary>VALARM properties the model does not understand (REPEAT, DURATION, ATTENDEE, X-...).</summary>
    public ValueList<RawProperty> ExtraProperties { get; init; }
}
