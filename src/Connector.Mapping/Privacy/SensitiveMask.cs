using Connector.Domain;

namespace Connector.Mapping.Privacy;

/// <summary>
/// Sensitive sync mode (<c>Service__SyncType=1</c>): what Nextcloud receives of an Exchange event is a
/// time block with a placeholder title and the free/busy status, nothing else (S17). Pure function.
/// </summary>
public static class SensitiveMask
{
    /// <summary>Default placeholder title (<c>Service__SensitiveSyncConfiguration__SensitiveTitle</c>).</summary>
    public const string DefaultTitle = "Busy";

    /// <summary>
    /// Marks a masked copy in the data itself, so the engine can refuse to write it back to Exchange
    /// even when its relation row is gone (after a reset, or when another tool copied it).
    /// </summary>
    public const string MarkerProperty = "X-CONNECTOR-MASKED";

    /// <summary>
    /// Keeps UID, times, recurrence (rule, added and deleted occurrences, and each override's times),
    /// free/busy, cancelled status and timestamps; drops title, body, location, organizer,
    /// attendees, reminders, categories, URLs, sensitivity and every unknown property.
    /// </summary>
    public static CalendarEvent Apply(CalendarEvent source, string title = DefaultTitle)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentException.ThrowIfNullOrWhiteSpace(title);
        return new CalendarEvent
        {
            Uid = source.Uid,
            RecurrenceId = source.RecurrenceId,
            Summary = title,
            Start = source.Start,
            End = source.End,
            Recurrence = source.Recurrence,
            AdditionalDates = source.AdditionalDates,
            ExcludedDates = source.ExcludedDates,
            Overrides = source.Overrides.Select(o => Apply(o, title)).ToValueList(),
            FreeBusy = source.FreeBusy,
            Status = source.Status == EventStatus.Cancelled ? EventStatus.Cancelled : EventStatus.None,
            Sequence = source.Sequence,
            Created = source.Created,
            LastModified = source.LastModified,
            ExtraProperties = ValueList.Of(new RawProperty(MarkerProperty, "TRUE")),
        };
    }

    /// <summary>True when the event is a masked copy written by the connector.</summary>
    public static bool IsMasked(CalendarEvent calendarEvent) =>
        calendarEvent.ExtraProperties.Any(p => string.Equals(p.Name, MarkerProperty, StringComparison.OrdinalIgnoreCase));
}
