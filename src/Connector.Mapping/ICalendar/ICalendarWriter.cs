using Connector.Domain;
using Connector.Mapping.Text;
using Connector.Mapping.TimeZones;

namespace Connector.Mapping.ICalendar;

/// <summary>Options for writing iCalendar.</summary>
public sealed record ICalendarWriteOptions
{
    public const string DefaultProductId = "-//Exchange-Nextcloud Connector//Connector 1.0//EN";

    public static ICalendarWriteOptions Default { get; } = new();

    /// <summary>
    /// Mark ORGANIZER and ATTENDEE with SCHEDULE-AGENT=CLIENT (RFC 6638) so the CalDAV server sends no
    /// invitations for the connector's copies (S01; checked on Nextcloud 29). On by default.
    /// </summary>
    public bool ScheduleAgentClient { get; init; } = true;

    /// <summary>Write a VTIMEZONE for every zone used, for clients that do not know IANA names.</summary>
    public bool IncludeTimeZones { get; init; } = true;

    public string ProductId { get; init; } = DefaultProductId;

    /// <summary>DTSTAMP when the item has no LastModified/Created; fixed so output is reproducible.</summary>
    public DateTime FallbackStamp { get; init; } = new(2000, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    public TimeZoneResolver TimeZones { get; init; } = TimeZoneResolver.Default;
}

/// <summary>Domain model → iCalendar (one resource per UID: master and overrides together, S09).</summary>
public static class ICalendarWriter
{
    public static string Write(CalendarEvent calendarEvent, ICalendarWriteOptions? options = null) =>
        WriteCalendar([calendarEvent], [], options);

    public static string Write(TaskItem task, ICalendarWriteOptions? options = null) =>
        WriteCalendar([], [task], options);

    public static string WriteCalendar(IEnumerable<CalendarEvent> events, IEnumerable<TaskItem> tasks, ICalendarWriteOptions? options = null)
    {
        options ??= ICalendarWriteOptions.Default;
        var eventList = events.ToList();
        var taskList = tasks.ToList();
        var w = new ContentWriter();
        w.Begin("VCALENDAR");
        w.Line("VERSION", "2.0");
        w.Line("PRODID", options.ProductId);

        if (options.IncludeTimeZones)
        {
            var zones = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var e in eventList.SelectMany(e => e.Overrides.Prepend(e)))
            {
                CollectZones(zones, e.Start, e.End, e.RecurrenceId);
                CollectZones(zones, [.. e.ExcludedDates, .. e.AdditionalDates]);
            }

            foreach (var t in taskList)
            {
                CollectZones(zones, t.Start, t.Due);
            }

            foreach (var (zone, year) in zones)
            {
                VTimeZoneBuilder.Write(w, zone, year, options.TimeZones);
            }
        }

        foreach (var e in eventList)
        {
            WriteEvent(w, e, options);
            foreach (var o in e.Overrides)
            {
                WriteEvent(w, o with { Uid = e.Uid }, options);
            }
        }

        foreach (var t in taskList)
        {
            WriteTask(w, t, options);
        }

        w.End("VCALENDAR");
        return w.ToString();
    }

    private static void CollectZones(Dictionary<string, int> zones, params CalendarTime?[] times)
    {
        foreach (var t in times)
        {
            if (t is { Kind: CalendarTimeKind.Zoned, TimeZoneId: { } id })
            {
                zones.TryAdd(id, t.Value.Value.Year);
            }
        }
    }

    private static void WriteEvent(ContentWriter w, CalendarEvent e, ICalendarWriteOptions options)
    {
        w.Begin("VEVENT");
        w.Text("UID", e.Uid); // TEXT (RFC 5545 3.8.4.7): servers re-save it escaped
        CommonProperties.WriteTime(w, "RECURRENCE-ID", e.RecurrenceId);
        WriteCommonHead(w, e.Created, e.LastModified, e.Sequence, e.Summary, e.Description, e.HtmlDescription, options);
        w.Text("LOCATION", e.Location);
        CommonProperties.WriteTime(w, "DTSTART", e.Start);
        CommonProperties.WriteTime(w, "DTEND", e.End);
        if (e.Recurrence is not null)
        {
            w.Line("RRULE", RecurrenceRuleFormat.Format(e.Recurrence, t => options.TimeZones.ToUtc(t.Value, t.TimeZoneId!)));
        }

        CommonProperties.WriteTimeList(w, "RDATE", e.AdditionalDates);
        CommonProperties.WriteTimeList(w, "EXDATE", e.ExcludedDates);
        if (e.Organizer is not null)
        {
            CommonProperties.WriteOrganizer(w, e.Organizer, options.ScheduleAgentClient);
        }

        foreach (var a in e.Attendees)
        {
            CommonProperties.WriteAttendee(w, a, options.ScheduleAgentClient);
        }

        CommonProperties.WriteCategories(w, e.Categories);
        CommonProperties.WriteSensitivity(w, e.Sensitivity);
        w.Line("TRANSP", e.FreeBusy == FreeBusyStatus.Free ? "TRANSPARENT" : "OPAQUE");
        var busy = e.FreeBusy switch
        {
            FreeBusyStatus.Tentative => "TENTATIVE",
            FreeBusyStatus.OutOfOffice => "OOF",
            FreeBusyStatus.WorkingElsewhere => "WORKINGELSEWHERE",
            _ => null,
        };
        if (busy is not null)
        {
            w.Line("X-MICROSOFT-CDO-BUSYSTATUS", busy);
        }

        if (e.Status != EventStatus.None)
        {
            w.Line("STATUS", e.Status.ToString().ToUpperInvariant());
        }

        if (e.OnlineMeetingUrl is not null)
        {
            w.Line("CONFERENCE", [new RawParameter("VALUE", "URI"), new RawParameter("FEATURE", "VIDEO")], e.OnlineMeetingUrl);
        }

        if (e.Url is not null)
        {
            w.Line("URL", e.Url);
        }

        foreach (var p in e.ExtraProperties)
        {
            w.Raw(p);
        }

        foreach (var r in e.Reminders)
        {
            CommonProperties.WriteAlarm(w, r);
        }

        foreach (var c in e.ExtraComponents)
        {
            w.Raw(c);
        }

        w.End("VEVENT");
    }

    /// <summary>Time stamps, sequence and texts, which VEVENT and VTODO write alike.</summary>
    private static void WriteCommonHead(ContentWriter w, DateTime? created, DateTime? lastModified, int sequence, string? summary, string? description, string? html, ICalendarWriteOptions options)
    {
        CommonProperties.WriteStamp(w, "DTSTAMP", lastModified ?? created ?? options.FallbackStamp);
        CommonProperties.WriteStamp(w, "CREATED", created);
        CommonProperties.WriteStamp(w, "LAST-MODIFIED", lastModified);
        if (sequence != 0)
        {
            w.Line("SEQUENCE", sequence.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        w.Text("SUMMARY", summary);
        w.Text("DESCRIPTION", description);
        CommonProperties.WriteHtml(w, html);
    }

    private static void WriteTask(ContentWriter w, TaskItem t, ICalendarWriteOptions options)
    {
        w.Begin("VTODO");
        w.Text("UID", t.Uid);
        WriteCommonHead(w, t.Created, t.LastModified, t.Sequence, t.Summary, t.Description, t.HtmlDescription, options);
        if (t.Status != Domain.TaskStatus.NeedsAction)
        {
            w.Line("STATUS", t.Status == Domain.TaskStatus.InProcess ? "IN-PROCESS" : t.Status.ToString().ToUpperInvariant());
        }

        if (t.ExchangeStatus is not null)
        {
            w.Line(TaskComponentReader.ExchangeStatusProperty, t.ExchangeStatus);
        }

        if (t.Priority != 0)
        {
            w.Line("PRIORITY", t.Priority.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        CommonProperties.WriteTime(w, "DTSTART", t.Start);
        CommonProperties.WriteTime(w, "DUE", t.Due);
        CommonProperties.WriteStamp(w, "COMPLETED", t.Completed);
        if (t.PercentComplete is int pct)
        {
            w.Line("PERCENT-COMPLETE", pct.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        if (t.Recurrence is not null)
        {
            w.Line("RRULE", RecurrenceRuleFormat.Format(t.Recurrence, x => options.TimeZones.ToUtc(x.Value, x.TimeZoneId!)));
        }

        CommonProperties.WriteCategories(w, t.Categories);
        CommonProperties.WriteSensitivity(w, t.Sensitivity);
        foreach (var p in t.ExtraProperties)
        {
            w.Raw(p);
        }

        foreach (var r in t.Reminders)
        {
            CommonProperties.WriteAlarm(w, r);
        }

        foreach (var c in t.ExtraComponents.Where(c => c.Name != "VTODO"))
        {
            w.Raw(c);
        }

        w.End("VTODO");

        // Overridden occurrences kept verbatim by the reader are siblings, not children.
        foreach (var c in t.ExtraComponents.Where(c => c.Name == "VTODO"))
        {
            w.Raw(c);
        }
    }
}
