using Connector.Domain;
using Connector.Mapping.Text;

namespace Connector.Mapping.ICalendar;

/// <summary>One VEVENT component → <see cref="CalendarEvent"/> (without its overrides).</summary>
internal static class EventComponentReader
{
    /// <summary>
    /// Properties the model holds or regenerates; everything else is kept verbatim. DTSTAMP is
    /// regenerated on every write; X-MICROSOFT-CDO-ALLDAYEVENT is derived from the DATE values.
    /// </summary>
    private static readonly HashSet<string> Known = new(StringComparer.Ordinal)
    {
        "UID", "RECURRENCE-ID", "SUMMARY", "DESCRIPTION", "LOCATION", "DTSTART", "DTEND", "DURATION",
        "RRULE", "RDATE", "EXDATE", "ORGANIZER", "ATTENDEE", "CATEGORIES", "CLASS",
        CommonProperties.ExchangeSensitivityProperty, "TRANSP", "X-MICROSOFT-CDO-BUSYSTATUS", "STATUS",
        "CONFERENCE", "X-MICROSOFT-SKYPETEAMSMEETINGURL", "X-MICROSOFT-ONLINEMEETINGEXTERNALLINK", "X-GOOGLE-CONFERENCE",
        "URL", "SEQUENCE", "CREATED", "LAST-MODIFIED", "DTSTAMP", "X-MICROSOFT-CDO-ALLDAYEVENT",
    };

    public static CalendarEvent Read(Component c, string uid, TimeContext time)
    {
        var start = c.Get("DTSTART") is { } dtstart ? time.Parse(dtstart) : (CalendarTime?)null;
        CalendarTime? end = null;
        if (c.Get("DTEND") is { } dtend)
        {
            end = time.Parse(dtend);
        }
        else if (c.Get("DURATION") is { } duration)
        {
            if (!ICalFormat.TryParseDuration(duration.Value, out var d))
            {
                throw ICalFormat.Invalid(duration, "DURATION");
            }

            end = start is { } s ? s.WithValue(s.Value + d) : null;
        }
        else if (start is { IsDate: true } dateStart)
        {
            // RFC 5545 3.6.1: a DATE start without end lasts one day.
            end = CalendarTime.FromDate(dateStart.Date.AddDays(1));
        }

        // MS-OXCICAL: Outlook marks all-day events it exports with local midnights in a zone; they are
        // dates, whatever the zone (S12).
        if (string.Equals(c.Get("X-MICROSOFT-CDO-ALLDAYEVENT")?.Value.Trim(), "TRUE", StringComparison.OrdinalIgnoreCase)
            && start is { IsDate: false } s0 && end is { IsDate: false } e0
            && s0.Kind is CalendarTimeKind.Zoned or CalendarTimeKind.Floating && e0.Kind == s0.Kind
            && s0.Value.TimeOfDay == TimeSpan.Zero && e0.Value.TimeOfDay == TimeSpan.Zero && e0.Value > s0.Value)
        {
            start = CalendarTime.FromDate(s0.Date);
            end = CalendarTime.FromDate(e0.Date);
        }

        var rule = CommonProperties.ReadRule(c);

        var extras = new List<RawProperty>();
        var rdates = new List<CalendarTime>();
        foreach (var p in c.Properties)
        {
            if (p.Name == "RDATE" && string.Equals(p.Param("VALUE"), "PERIOD", StringComparison.OrdinalIgnoreCase))
            {
                extras.Add(p.ToRaw()); // periods are rare and Exchange cannot hold them; keep verbatim
            }
            else if (p.Name == "RDATE")
            {
                rdates.AddRange(time.ParseList(p));
            }
            else if (p.Name == "RRULE" && !ReferenceEquals(p, c.Get("RRULE")))
            {
                extras.Add(p.ToRaw()); // RFC 5545 deprecates several RRULEs; keep the others verbatim
            }
            else if (!Known.Contains(p.Name) && !IsHtmlDescription(p))
            {
                extras.Add(p.ToRaw());
            }
        }

        var (reminders, components) = CommonProperties.ReadChildren(c, time);

        return new CalendarEvent
        {
            Uid = uid,
            RecurrenceId = c.Get("RECURRENCE-ID") is { } rid ? time.Parse(rid) : null,
            Summary = CommonProperties.Text(c.Get("SUMMARY")),
            Description = CommonProperties.Text(c.Get("DESCRIPTION")),
            HtmlDescription = CommonProperties.ReadHtml(c),
            Location = CommonProperties.Text(c.Get("LOCATION")),
            Start = start,
            End = end,
            Recurrence = rule,
            AdditionalDates = rdates,
            ExcludedDates = c.GetAll("EXDATE").SelectMany(time.ParseList).ToValueList(),
            Organizer = c.Get("ORGANIZER") is { } organizer ? CommonProperties.ReadOrganizer(organizer) : null,
            Attendees = c.GetAll("ATTENDEE").Select(CommonProperties.ReadAttendee).ToValueList(),
            Reminders = reminders,
            Categories = CommonProperties.ReadCategories(c),
            Sensitivity = CommonProperties.ReadSensitivity(c),
            FreeBusy = ReadFreeBusy(c),
            Status = (c.Get("STATUS")?.Value.Trim().ToUpperInvariant()) switch
            {
                "CONFIRMED" => EventStatus.Confirmed,
                "TENTATIVE" => EventStatus.Tentative,
                "CANCELLED" => EventStatus.Cancelled,
                _ => EventStatus.None,
            },
            OnlineMeetingUrl = ReadOnlineMeeting(c),
            Url = TextValue.NullIfEmpty(c.Get("URL")?.Value.Trim()),
            Sequence = CommonProperties.ReadInt(c.Get("SEQUENCE"), 0, int.MaxValue, 0),
            Created = time.ParseStamp(c.Get("CREATED")),
            LastModified = time.ParseStamp(c.Get("LAST-MODIFIED")),
            ExtraProperties = extras,
            ExtraComponents = components,
        };
    }

    internal static bool IsHtmlDescription(ContentLine p) =>
        p.Name is "X-ALT-DESC" or "STYLED-DESCRIPTION" && string.Equals(p.Param("FMTTYPE"), "text/html", StringComparison.OrdinalIgnoreCase);

    private static FreeBusyStatus ReadFreeBusy(Component c)
    {
        // Outlook's busy status is richer than TRANSP; when present it wins (MS-OXCICAL).
        switch (c.Get("X-MICROSOFT-CDO-BUSYSTATUS")?.Value.Trim().ToUpperInvariant())
        {
            case "FREE": return FreeBusyStatus.Free;
            case "TENTATIVE": return FreeBusyStatus.Tentative;
            case "BUSY": return FreeBusyStatus.Busy;
            case "OOF": return FreeBusyStatus.OutOfOffice;
            case "WORKINGELSEWHERE": return FreeBusyStatus.WorkingElsewhere;
        }

        return string.Equals(c.Get("TRANSP")?.Value.Trim(), "TRANSPARENT", StringComparison.OrdinalIgnoreCase)
            ? FreeBusyStatus.Free
            : FreeBusyStatus.Busy;
    }

    private static string? ReadOnlineMeeting(Component c)
    {
        foreach (var name in (string[])["CONFERENCE", "X-MICROSOFT-SKYPETEAMSMEETINGURL", "X-MICROSOFT-ONLINEMEETINGEXTERNALLINK", "X-GOOGLE-CONFERENCE"])
        {
            if (c.Get(name) is { } line && TextValue.NullIfEmpty(line.Value.Trim()) is { } url)
            {
                return url;
            }
        }

        return null;
    }
}
