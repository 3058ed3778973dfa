namespace Connector.Domain;

/// <summary>
/// A calendar event: a single event, a recurring series master (with its modified occurrences in
/// <see cref="Overrides"/> and deleted ones in <see cref="ExcludedDates"/>), or, when
/// <see cref="RecurrenceId"/> is set, one occurrence on its own (an invitation to a single
/// occurrence, as CalDAV servers deliver them).
/// </summary>
public sealed record CalendarEvent : ISyncItem
{
    /// <summary>iCalendar UID (EWS <c>UID</c>, Graph <c>iCalUId</c>).</summary>
    public required string Uid { get; init; }

    /// <summary>The occurrence this override replaces; null for a master or single event.</summary>
    public CalendarTime? RecurrenceId { get; init; }

    public string? Summary { get; init; }

    /// <summary>Plain-text body.</summary>
    public string? Description { get; init; }

    /// <summary>HTML body when the source had one (Exchange body type HTML, iCalendar X-ALT-DESC).</summary>
    public string? HtmlDescription { get; init; }

    public string? Location { get; init; }

    public CalendarTime? Start { get; init; }

    /// <summary>Exclusive end. For all-day events a DATE the day after the last day.</summary>
    public CalendarTime? End { get; init; }

    public bool IsAllDay => Start is { IsDate: true };

    public RecurrenceRule? Recurrence { get; init; }

    /// <summary>RDATE: occurrences added to the rule.</summary>
    public ValueList<CalendarTime> AdditionalDates { get; init; }

    /// <summary>EXDATE: deleted occurrences, with DTSTART's value type and zone.</summary>
    public ValueList<CalendarTime> ExcludedDates { get; init; }

    /// <summary>Modified occurrences (each has <see cref="RecurrenceId"/>), stored in the same resource.</summary>
    public ValueList<CalendarEvent> Overrides { get; init; }

    public Organizer? Organizer { get; init; }

    public ValueList<Attendee> Attendees { get; init; }

    public ValueList<Reminder> Reminders { get; init; }

    public ValueList<string> Categories { get; init; }

    public Sensitivity Sensitivity { get; init; }

    public FreeBusyStatus FreeBusy { get; init; }

    public EventStatus Status { get; init; }

    public string? OnlineMeetingUrl { get; init; }

    public string? Url { get; init; }

    public int Sequence { get; init; }

    public DateTime? Created { get; init; }

    /// <summary>Last modification (UTC); also written as DTSTAMP.</summary>
    public DateTime? LastModified { get; init; }

    /// <summary>Properties the model does not understand, kept so they survive an update.</summary>
    public ValueList<RawProperty> ExtraProperties { get; init; }

    /// <summary>Sub-components the model does not understand.</summary>
    public ValueList<RawComponent> ExtraComponents { get; init; }
}
