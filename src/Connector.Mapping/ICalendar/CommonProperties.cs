using System.Globalization;
using Connector.Domain;
using Connector.Mapping.Text;

namespace Connector.Mapping.ICalendar;

/// <summary>Reading and writing of properties VEVENT and VTODO share: people, alarms, class, categories.</summary>
internal static class CommonProperties
{
    /// <summary>Our own property for Exchange's "Personal" sensitivity, which iCalendar CLASS cannot say.</summary>
    public const string ExchangeSensitivityProperty = "X-EXCHANGE-SENSITIVITY";

    /// <summary>
    /// Scheduling parameters the CalDAV server manages (RFC 6638). They are never kept: the connector
    /// writes SCHEDULE-AGENT=CLIENT itself and SCHEDULE-STATUS is the server's report.
    /// </summary>
    private static readonly HashSet<string> ServerSchedulingParameters = new(StringComparer.OrdinalIgnoreCase)
    {
        "SCHEDULE-AGENT", "SCHEDULE-STATUS", "SCHEDULE-FORCE-SEND",
    };

    public static string? Text(ContentLine? line) => line is null ? null : TextValue.NullIfEmpty(TextValue.Unescape(line.Value));

    public static string MailAddress(string value)
    {
        var v = value.Trim();
        return v.StartsWith("mailto:", StringComparison.OrdinalIgnoreCase) ? v[7..] : v;
    }

    public static string MailUri(string email) =>
        email.Contains(':', StringComparison.Ordinal) && !email.Contains('@', StringComparison.Ordinal) ? email : "mailto:" + email;

    public static Organizer ReadOrganizer(ContentLine line) => new()
    {
        Email = MailAddress(line.Value),
        Name = TextValue.NullIfEmpty(line.Param("CN")),
        ExtraParameters = line.Parameters.Where(p => !IsKnownPersonParameter(p.Name, organizer: true)).ToValueList(),
    };

    public static Attendee ReadAttendee(ContentLine line) => new()
    {
        Email = MailAddress(line.Value),
        Name = TextValue.NullIfEmpty(line.Param("CN")),
        Role = (line.Param("ROLE") ?? string.Empty).ToUpperInvariant() switch
        {
            "OPT-PARTICIPANT" => AttendeeRole.Optional,
            "NON-PARTICIPANT" => AttendeeRole.NonParticipant,
            "CHAIR" => AttendeeRole.Chair,
            _ => AttendeeRole.Required,
        },
        Status = (line.Param("PARTSTAT") ?? string.Empty).ToUpperInvariant() switch
        {
            "ACCEPTED" => ParticipationStatus.Accepted,
            "DECLINED" => ParticipationStatus.Declined,
            "TENTATIVE" => ParticipationStatus.Tentative,
            "DELEGATED" => ParticipationStatus.Delegated,
            "COMPLETED" => ParticipationStatus.Completed,
            "IN-PROCESS" => ParticipationStatus.InProcess,
            _ => ParticipationStatus.NeedsAction,
        },
        Kind = (line.Param("CUTYPE") ?? string.Empty).ToUpperInvariant() switch
        {
            "GROUP" => AttendeeKind.Group,
            "RESOURCE" => AttendeeKind.Resource,
            "ROOM" => AttendeeKind.Room,
            "UNKNOWN" => AttendeeKind.Unknown,
            _ => AttendeeKind.Individual,
        },
        ResponseRequested = string.Equals(line.Param("RSVP"), "TRUE", StringComparison.OrdinalIgnoreCase),
        ExtraParameters = line.Parameters.Where(p => !IsKnownPersonParameter(p.Name, organizer: false)).ToValueList(),
    };

    private static bool IsKnownPersonParameter(string name, bool organizer) =>
        ServerSchedulingParameters.Contains(name)
        || name.Equals("CN", StringComparison.OrdinalIgnoreCase)
        || (!organizer && (name.Equals("ROLE", StringComparison.OrdinalIgnoreCase)
            || name.Equals("PARTSTAT", StringComparison.OrdinalIgnoreCase)
            || name.Equals("CUTYPE", StringComparison.OrdinalIgnoreCase)
            || name.Equals("RSVP", StringComparison.OrdinalIgnoreCase)));

    public static void WriteOrganizer(ContentWriter w, Organizer organizer, bool scheduleAgentClient)
    {
        var p = new List<RawParameter>();
        if (organizer.Name is not null)
        {
            p.Add(new RawParameter("CN", organizer.Name));
        }

        p.AddRange(organizer.ExtraParameters);
        if (scheduleAgentClient)
        {
            p.Add(new RawParameter("SCHEDULE-AGENT", "CLIENT"));
        }

        w.Line("ORGANIZER", p, MailUri(organizer.Email));
    }

    public static void WriteAttendee(ContentWriter w, Attendee a, bool scheduleAgentClient)
    {
        var p = new List<RawParameter>();
        if (a.Name is not null)
        {
            p.Add(new RawParameter("CN", a.Name));
        }

        if (a.Kind != AttendeeKind.Individual)
        {
            p.Add(new RawParameter("CUTYPE", a.Kind.ToString().ToUpperInvariant()));
        }

        p.Add(new RawParameter("ROLE", a.Role switch
        {
            AttendeeRole.Optional => "OPT-PARTICIPANT",
            AttendeeRole.NonParticipant => "NON-PARTICIPANT",
            AttendeeRole.Chair => "CHAIR",
            _ => "REQ-PARTICIPANT",
        }));
        p.Add(new RawParameter("PARTSTAT", a.Status switch
        {
            ParticipationStatus.InProcess => "IN-PROCESS",
            ParticipationStatus.NeedsAction => "NEEDS-ACTION",
            _ => a.Status.ToString().ToUpperInvariant(),
        }));
        if (a.ResponseRequested)
        {
            p.Add(new RawParameter("RSVP", "TRUE"));
        }

        p.AddRange(a.ExtraParameters);
        if (scheduleAgentClient)
        {
            p.Add(new RawParameter("SCHEDULE-AGENT", "CLIENT"));
        }

        w.Line("ATTENDEE", p, MailUri(a.Email));
    }

    /// <summary>The first RRULE, or null; an invalid rule fails the item (a series must not become a single event).</summary>
    public static RecurrenceRule? ReadRule(Component c)
    {
        if (c.Get("RRULE") is not { } rrule)
        {
            return null;
        }

        return RecurrenceRuleFormat.TryParse(rrule.Value, out var error)
            ?? throw new MappingException($"RRULE is not valid: {error}", rrule.Line);
    }

    /// <summary>VALARMs the model understands as reminders; every other sub-component kept verbatim.</summary>
    public static (List<Reminder> Reminders, List<RawComponent> Components) ReadChildren(Component c, TimeContext time)
    {
        var reminders = new List<Reminder>();
        var components = new List<RawComponent>();
        foreach (var child in c.Children)
        {
            if (child.Name == "VALARM" && ReadAlarm(child, time) is { } reminder)
            {
                reminders.Add(reminder);
            }
            else
            {
                components.Add(child.ToRaw());
            }
        }

        return (reminders, components);
    }

    /// <summary>A VALARM as a reminder; null when its ACTION is one the model does not know (kept raw).</summary>
    public static Reminder? ReadAlarm(Component alarm, TimeContext time)
    {
        var actionText = alarm.Get("ACTION")?.Value.Trim().ToUpperInvariant();
        ReminderAction? action = actionText switch
        {
            "DISPLAY" => ReminderAction.Display,
            "AUDIO" => ReminderAction.Audio,
            "EMAIL" => ReminderAction.Email,
            _ => null,
        };
        var trigger = alarm.Get("TRIGGER");
        if (action is null || trigger is null || alarm.Children.Count > 0)
        {
            return null;
        }

        TimeSpan? offset = null;
        DateTime? at = null;
        if (string.Equals(trigger.Param("VALUE"), "DATE-TIME", StringComparison.OrdinalIgnoreCase)
            || (!trigger.Value.TrimStart('+', '-').StartsWith('P') && trigger.Value.Length >= 15))
        {
            var t = time.Parse(trigger);
            at = t.Kind == CalendarTimeKind.Utc ? t.Value : t.Kind == CalendarTimeKind.Zoned ? time.Resolver.ToUtc(t.Value, t.TimeZoneId!) : DateTime.SpecifyKind(t.Value, DateTimeKind.Utc);
        }
        else if (ICalFormat.TryParseDuration(trigger.Value, out var d))
        {
            offset = d;
        }
        else
        {
            throw ICalFormat.Invalid(trigger, "TRIGGER duration or date-time");
        }

        return new Reminder
        {
            Action = action.Value,
            Offset = offset,
            At = at,
            RelativeToEnd = string.Equals(trigger.Param("RELATED"), "END", StringComparison.OrdinalIgnoreCase),
            Description = alarm.Get("DESCRIPTION") is { } description ? TextValue.Unescape(description.Value) : null,
            ExtraProperties = alarm.Properties
                .Where(p => p.Name is not ("ACTION" or "TRIGGER" or "DESCRIPTION"))
                .Select(p => p.ToRaw()).ToValueList(),
        };
    }

    public static void WriteAlarm(ContentWriter w, Reminder r)
    {
        w.Begin("VALARM");
        w.Line("ACTION", r.Action.ToString().ToUpperInvariant());
        if (r.At is { } at)
        {
            w.Line("TRIGGER", [new RawParameter("VALUE", "DATE-TIME")], ICalFormat.FormatDateTime(at, utc: true));
        }
        else
        {
            w.Line("TRIGGER", r.RelativeToEnd ? [new RawParameter("RELATED", "END")] : null, ICalFormat.FormatDuration(r.Offset ?? TimeSpan.Zero));
        }

        // RFC 5545 requires DESCRIPTION on DISPLAY and EMAIL alarms; Outlook writes "Reminder".
        w.Text("DESCRIPTION", r.Description);
        foreach (var p in r.ExtraProperties)
        {
            w.Raw(p);
        }

        w.End("VALARM");
    }

    public static Sensitivity ReadSensitivity(Component c)
    {
        var cls = c.Get("CLASS")?.Value.Trim().ToUpperInvariant();
        var exchange = c.Get(ExchangeSensitivityProperty)?.Value.Trim().ToUpperInvariant();
        return cls switch
        {
            "PRIVATE" when exchange == "PERSONAL" => Sensitivity.Personal,
            "PRIVATE" => Sensitivity.Private,
            "CONFIDENTIAL" => Sensitivity.Confidential,
            _ => Sensitivity.Normal,
        };
    }

    public static void WriteSensitivity(ContentWriter w, Sensitivity sensitivity)
    {
        switch (sensitivity)
        {
            case Sensitivity.Private:
                w.Line("CLASS", "PRIVATE");
                break;
            case Sensitivity.Personal:
                w.Line("CLASS", "PRIVATE");
                w.Line(ExchangeSensitivityProperty, "PERSONAL");
                break;
            case Sensitivity.Confidential:
                w.Line("CLASS", "CONFIDENTIAL");
                break;
        }
    }

    public static ValueList<string> ReadCategories(Component c) =>
        c.GetAll("CATEGORIES").SelectMany(l => TextValue.UnescapeList(l.Value)).ToValueList();

    public static void WriteCategories(ContentWriter w, ValueList<string> categories)
    {
        if (!categories.IsEmpty)
        {
            w.Line("CATEGORIES", string.Join(',', categories.Select(TextValue.Escape)));
        }
    }

    public static int ReadInt(ContentLine? line, int min, int max, int fallback)
    {
        if (line is null)
        {
            return fallback;
        }

        if (!int.TryParse(line.Value.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) || n < min || n > max)
        {
            throw ICalFormat.Invalid(line, $"number between {min} and {max}");
        }

        return n;
    }

    public static string FormatTime(CalendarTime t) => t.Kind switch
    {
        CalendarTimeKind.Date => ICalFormat.FormatDate(t.Date),
        CalendarTimeKind.Utc => ICalFormat.FormatDateTime(t.Value, utc: true),
        _ => ICalFormat.FormatDateTime(t.Value, utc: false),
    };

    public static List<RawParameter>? TimeParameters(CalendarTime t) => t.Kind switch
    {
        CalendarTimeKind.Date => [new RawParameter("VALUE", "DATE")],
        CalendarTimeKind.Zoned => [new RawParameter("TZID", t.TimeZoneId!)],
        _ => null,
    };

    public static void WriteTime(ContentWriter w, string name, CalendarTime? t)
    {
        if (t is { } value)
        {
            w.Line(name, TimeParameters(value), FormatTime(value));
        }
    }

    /// <summary>Writes a list (EXDATE, RDATE), joining consecutive values of the same kind and zone.</summary>
    public static void WriteTimeList(ContentWriter w, string name, ValueList<CalendarTime> times)
    {
        var i = 0;
        while (i < times.Count)
        {
            var first = times[i];
            var run = new List<string> { FormatTime(first) };
            var j = i + 1;
            while (j < times.Count && times[j].Kind == first.Kind && times[j].TimeZoneId == first.TimeZoneId)
            {
                run.Add(FormatTime(times[j]));
                j++;
            }

            w.Line(name, TimeParameters(first), string.Join(',', run));
            i = j;
        }
    }

    public static void WriteStamp(ContentWriter w, string name, DateTime? value)
    {
        if (value is { } v)
        {
            w.Line(name, ICalFormat.FormatDateTime(v, utc: true));
        }
    }

    public static void WriteHtml(ContentWriter w, string? html)
    {
        if (html is not null)
        {
            w.Text("X-ALT-DESC", html, [new RawParameter("FMTTYPE", "text/html")]);
        }
    }

    public static string? ReadHtml(Component c)
    {
        foreach (var name in (string[])["X-ALT-DESC", "STYLED-DESCRIPTION"])
        {
            foreach (var line in c.GetAll(name))
            {
                if (string.Equals(line.Param("FMTTYPE"), "text/html", StringComparison.OrdinalIgnoreCase))
                {
                    return TextValue.NullIfEmpty(TextValue.Unescape(line.Value));
                }
            }
        }

        return null;
    }
}
