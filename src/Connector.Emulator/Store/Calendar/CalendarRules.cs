using System.Globalization;
using System.Security.Cryptography;
using System.Xml;
using System.Xml.Linq;
using static Connector.Emulator.Ews.EwsNames;

namespace Connector.Emulator.Store.Calendar;

/// <summary>An attendee of a calendar item and which list it is in.</summary>
internal sealed record Attendee(MailboxAddress Address, string List);

/// <summary>
/// What Exchange does to a calendar item when it is saved: reads times with the EWS time-zone
/// rules and stores them in UTC, resolves the item's time zones, snaps all-day events to local
/// midnights, moves a recurring master to its first occurrence, fills defaults and a GlobalObjectId
/// UID; and which scheduling messages a save sends.
/// </summary>
internal static class CalendarRules
{
    private const string GlobalObjectIdClass = "040000008200E00074C5B7101A82E008";

    /// <summary>Normalises the properties of a calendar item (or of an exception's overrides merged with its master).</summary>
    public static void Normalize(Dictionary<string, XElement> props, RequestTimeContext context, bool isException, Func<string, string?> displayNameOf)
    {
        var startZone = ResolveZone(props, "StartTimeZone");
        var endZone = ResolveZone(props, "EndTimeZone");
        TimeZoneInfo? meetingZone = null;
        if (props.Remove("MeetingTimeZone", out var meeting))
        {
            meetingZone = WindowsTimeZones.FindById((string?)meeting.Attribute("TimeZoneName"))
                ?? (meeting.Element(T + "BaseOffset") is { } offset
                    ? TimeZoneInfo.CreateCustomTimeZone("Custom", -XmlConvert.ToTimeSpan(offset.Value), "Custom", "Custom")
                    : throw InvalidTimeZone());
        }

        var readStart = context.IsExchange2007 ? meetingZone ?? TimeZoneInfo.Utc : startZone ?? meetingZone ?? context.ContextZone ?? TimeZoneInfo.Utc;
        var readEnd = context.IsExchange2007 ? meetingZone ?? TimeZoneInfo.Utc : endZone ?? startZone ?? meetingZone ?? context.ContextZone ?? TimeZoneInfo.Utc;
        var itemZone = startZone ?? meetingZone ?? context.ContextZone ?? TimeZoneInfo.Utc;
        var itemEndZone = endZone ?? itemZone;
        SetZone(props, "StartTimeZone", itemZone);
        SetZone(props, "EndTimeZone", itemEndZone);

        DateTime start;
        DateTime end;
        try
        {
            start = props.TryGetValue("Start", out var s) ? CalendarTimes.ToUtc(s.Value, readStart) : DefaultStart();
            end = props.TryGetValue("End", out var e) ? CalendarTimes.ToUtc(e.Value, readEnd) : start.AddMinutes(30);
        }
        catch (FormatException)
        {
            throw new EwsException("ErrorInvalidValueForProperty", "The specified value is invalid for property Start or End.");
        }

        var allDay = CalendarTimes.IsAllDay(props);
        if (allDay)
        {
            (start, end) = SnapAllDay(start, end, itemZone, itemEndZone);
        }

        if (end < start)
        {
            throw new EwsException("ErrorCalendarEndDateIsEarlierThanStartDate", "EndDate is earlier than StartDate");
        }

        if (!isException && props.TryGetValue("Recurrence", out var recurrence))
        {
            var series = CalendarSeries.Of(recurrence, itemZone, start, end, allDay);
            var first = series.Occurrences().Select(o => (DateTime?)o.OriginalStartUtc).FirstOrDefault()
                ?? throw new EwsException("ErrorRecurrenceHasNoOccurrence", "The recurrence pattern has no occurrences in the specified range.");
            start = first;
            end = series.EndOf(first);
        }

        props["Start"] = CalendarTimes.Element("Start", start);
        props["End"] = CalendarTimes.Element("End", end);
        NormalizeAttendees(props, displayNameOf);
    }

    /// <summary>Defaults Exchange fills when a calendar item is created.</summary>
    public static void ApplyCreateDefaults(Dictionary<string, XElement> props, DateTimeOffset now)
    {
        props.TryAdd("UID", new XElement(T + "UID", NewGlobalObjectId(now)));
        props.TryAdd("Sensitivity", new XElement(T + "Sensitivity", "Normal"));
        props.TryAdd("Importance", new XElement(T + "Importance", "Normal"));
        props.TryAdd("ReminderIsSet", new XElement(T + "ReminderIsSet", "true"));
        props.TryAdd("ReminderMinutesBeforeStart", new XElement(T + "ReminderMinutesBeforeStart", "15"));
        props.TryAdd("IsAllDayEvent", new XElement(T + "IsAllDayEvent", "false"));
        props.TryAdd("LegacyFreeBusyStatus", new XElement(T + "LegacyFreeBusyStatus", "Busy"));
        props.Remove("ReminderDueBy");
    }

    /// <summary>
    /// An Outlook-style UID (MS-OXCICAL EncodedGlobalId): class id, zeroed instance date,
    /// creation FILETIME, zero padding, data size 16 and 16 random bytes, as hex.
    /// </summary>
    public static string NewGlobalObjectId(DateTimeOffset now)
    {
        var fileTime = BitConverter.GetBytes(now.UtcDateTime.ToFileTimeUtc());
        var data = RandomNumberGenerator.GetBytes(16);
        return string.Concat(
            GlobalObjectIdClass,
            "00000000",
            Convert.ToHexString(fileTime),
            "0000000000000000",
            "10000000",
            Convert.ToHexString(data));
    }

    public static List<Attendee> Attendees(IReadOnlyDictionary<string, XElement> props)
    {
        var result = new List<Attendee>();
        foreach (var list in new[] { "RequiredAttendees", "OptionalAttendees", "Resources" })
        {
            if (props.TryGetValue(list, out var element))
            {
                result.AddRange(element.Elements(T + "Attendee")
                    .Select(a => MailboxAddress.FromMailboxElement(a.Element(T + "Mailbox")))
                    .OfType<MailboxAddress>()
                    .Select(a => new Attendee(a, list)));
            }
        }

        return result;
    }

    /// <summary>
    /// The scheduling messages of a save: nothing for SendToNone or when this mailbox is not the
    /// organizer; requests to added attendees, cancellations to removed ones and, for the "All"
    /// modes, updates to everyone else.
    /// </summary>
    public static void Schedule(Mailbox mailbox, StoredItem item, IReadOnlyList<Attendee> before, IReadOnlyList<Attendee> after, string? sendMode, string operation, DateTime? occurrence)
    {
        if (sendMode is null or "SendToNone" || !mailbox.IsOwner(item.Organizer))
        {
            return;
        }

        static bool Contains(IReadOnlyList<Attendee> list, Attendee a) =>
            list.Any(b => string.Equals(a.Address.EmailAddress, b.Address.EmailAddress, StringComparison.OrdinalIgnoreCase));

        var added = after.Where(a => !Contains(before, a)).Select(a => a.Address).ToList();
        var removed = before.Where(b => !Contains(after, b)).Select(b => b.Address).ToList();
        var kept = after.Where(a => Contains(before, a)).Select(a => a.Address).ToList();
        var all = sendMode is "SendOnlyToAll" or "SendToAllAndSaveCopy";
        mailbox.Send(ScheduleMessageKind.MeetingRequest, added, item, occurrence, operation, sendMode);
        mailbox.Send(ScheduleMessageKind.MeetingCancellation, removed, item, occurrence, operation, sendMode);
        if (all)
        {
            mailbox.Send(ScheduleMessageKind.MeetingUpdate, kept, item, occurrence, operation, sendMode);
        }

        if (added.Count + removed.Count + (all ? kept.Count : 0) > 0)
        {
            item.MeetingRequestWasSent = true;
            item.AppointmentSequenceNumber++;
        }
    }

    private static (DateTime Start, DateTime End) SnapAllDay(DateTime start, DateTime end, TimeZoneInfo zone, TimeZoneInfo endZone)
    {
        var localStart = WindowsTimeZones.ToLocal(start, zone);
        var localEnd = WindowsTimeZones.ToLocal(end, endZone);
        var startDay = localStart.Date;
        var endDay = localEnd.TimeOfDay == TimeSpan.Zero ? localEnd.Date : localEnd.Date.AddDays(1);
        if (endDay <= startDay)
        {
            endDay = startDay.AddDays(1);
        }

        return (WindowsTimeZones.ToUtc(startDay, zone), WindowsTimeZones.ToUtc(endDay, endZone));
    }

    private static TimeZoneInfo? ResolveZone(Dictionary<string, XElement> props, string name)
    {
        if (!props.TryGetValue(name, out var definition))
        {
            return null;
        }

        return WindowsTimeZones.FromDefinition(definition) ?? throw InvalidTimeZone();
    }

    private static void SetZone(Dictionary<string, XElement> props, string name, TimeZoneInfo zone)
    {
        if (props.TryGetValue(name, out var existing) && WindowsTimeZones.FindById((string?)existing.Attribute("Id")) is null)
        {
            // A custom definition (an id Windows does not know): kept as the client sent it.
            props[name] = new XElement(T + name, existing.Attributes(), existing.Elements());
            return;
        }

        props[name] = new XElement(T + name, new XAttribute("Id", WindowsTimeZones.IdOf(zone)));
    }

    private static void NormalizeAttendees(Dictionary<string, XElement> props, Func<string, string?> displayNameOf)
    {
        foreach (var list in new[] { "RequiredAttendees", "OptionalAttendees", "Resources" })
        {
            if (!props.TryGetValue(list, out var element))
            {
                continue;
            }

            var normalized = new XElement(T + list);
            foreach (var attendee in element.Elements(T + "Attendee"))
            {
                var address = MailboxAddress.FromMailboxElement(attendee.Element(T + "Mailbox"));
                if (address is null)
                {
                    throw new EwsException("ErrorInvalidRecipients", "At least one recipient isn't valid.");
                }

                var named = address with { Name = string.IsNullOrEmpty(address.Name) ? displayNameOf(address.EmailAddress) ?? address.EmailAddress : address.Name };
                var copy = new XElement(T + "Attendee", named.ToMailboxElement());
                copy.Add(new XElement(T + "ResponseType", attendee.Element(T + "ResponseType")?.Value ?? "Unknown"));
                copy.Add(attendee.Elements().Where(e => e.Name.LocalName is "LastResponseTime" or "ProposedStart" or "ProposedEnd").Select(e => new XElement(e)));
                normalized.Add(copy);
            }

            if (normalized.HasElements)
            {
                props[list] = normalized;
            }
            else
            {
                props.Remove(list);
            }
        }
    }

    /// <summary>Exchange's start for an item created without one: the next full hour.</summary>
    private static DateTime DefaultStart()
    {
        var now = DateTime.UtcNow;
        return new DateTime(now.Year, now.Month, now.Day, now.Hour, 0, 0, DateTimeKind.Utc).AddHours(1);
    }

    private static EwsException InvalidTimeZone() =>
        new("ErrorTimeZone", "The time zone isn't valid.");
}
