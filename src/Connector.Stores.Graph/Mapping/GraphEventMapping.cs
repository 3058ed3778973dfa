using System.Globalization;
using System.Text.Json;
using Connector.Domain;
using Connector.Mapping.Text;
using Connector.Stores.Graph.Json;

namespace Connector.Stores.Graph.Mapping;

/// <summary>How the mapping places values that carry no zone.</summary>
public sealed record GraphMappingOptions
{
    /// <summary>IANA zone for all-day events, dates and floating times written to Graph; null: UTC.</summary>
    public string? MailboxTimeZone { get; init; }
}

/// <summary>
/// Graph event ⇄ <see cref="CalendarEvent"/>, pure. A series is one item: the master with its recurrence,
/// <c>cancelledOccurrences</c> as EXDATEs (DTSTART's value type and zone) and <c>exceptionOccurrences</c> as
/// overrides (RECURRENCE-ID from <c>originalStart</c>), the series organizer on every override (S09, S10).
/// <list type="bullet">
/// <item>UID: the connector's UID property when the event came from Nextcloud, else <c>iCalUId</c> (read-only in Graph).</item>
/// <item>subject ⇄ SUMMARY; body html ⇄ HTML description, text ⇄ description; location.displayName ⇄ LOCATION.</item>
/// <item>start/end with <c>originalStartTimeZone</c> ⇄ DTSTART/DTEND in that zone (Windows or IANA names); isAllDay ⇄ DATE values, exclusive end.</item>
/// <item>organizer/attendees (type required/optional/resource, status) ⇄ ORGANIZER/ATTENDEE; a meeting from Nextcloud keeps
/// them in the connector's property instead (no invitations, S01). Without attendees there is no organizer.</item>
/// <item>categories, sensitivity (normal/personal/private/confidential), showAs (free/tentative/busy/oof/workingElsewhere),
/// isReminderOn + reminderMinutesBeforeStart ⇄ one display alarm before the start, isCancelled ⇄ STATUS:CANCELLED (read only).</item>
/// <item>Not in Graph (lost on the way in, defaults on the way out): SEQUENCE, URL, RDATE, extra alarms, unknown properties.</item>
/// </list>
/// </summary>
public static class GraphEventMapping
{
    public static CalendarEvent Read(GraphEvent e, GraphMappingOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(e);
        var item = DescribeItem(e);
        try
        {
            return ReadCore(e, options ?? new GraphMappingOptions());
        }
        catch (MappingException ex)
        {
            throw ex.WithItem(item);
        }
    }

    private static CalendarEvent ReadCore(GraphEvent e, GraphMappingOptions options)
    {
        var uid = GraphProperties.Find(e.SingleValueExtendedProperties, GraphProperties.Uid) ?? NotEmpty(e.ICalUId) ?? NotEmpty(e.Id)
            ?? throw new MappingException("the event has neither iCalUId nor id");
        var master = ReadSingle(e, uid, recurrenceId: null);
        if (e.Recurrence is null || !string.Equals(e.Type, "seriesMaster", StringComparison.OrdinalIgnoreCase) && e.Type is not null)
        {
            return master;
        }

        var start = master.Start ?? throw new MappingException("a recurring event has no start");
        var excluded = new List<CalendarTime>();
        foreach (var cancelled in e.CancelledOccurrences ?? [])
        {
            excluded.Add(OccurrenceOn(CancelledDate(cancelled), start));
        }

        var overrides = new List<CalendarEvent>();
        foreach (var exception in e.ExceptionOccurrences ?? [])
        {
            if (exception.OriginalStart is not { } originalStart)
            {
                throw new MappingException($"exception occurrence {exception.Id} has no originalStart");
            }

            var recurrenceId = RecurrenceIdFor(originalStart.UtcDateTime, start, e.OriginalStartTimeZone);
            var occurrence = ReadSingle(exception, uid, recurrenceId);
            overrides.Add(occurrence with { Organizer = master.Organizer, Recurrence = null, ExcludedDates = [], Overrides = [] });
        }

        return master with
        {
            Recurrence = GraphRecurrence.Read(e.Recurrence, start),
            ExcludedDates = excluded.OrderBy(t => t.Value).ToValueList(),
            Overrides = overrides.OrderBy(o => o.RecurrenceId!.Value.Value).ToValueList(),
        };
    }

    private static CalendarEvent ReadSingle(GraphEvent e, string uid, CalendarTime? recurrenceId)
    {
        var allDay = e.IsAllDay == true;
        CalendarTime? start = null;
        CalendarTime? end = null;
        if (e.Start is not null)
        {
            start = allDay
                ? CalendarTime.FromDate(GraphTime.ToDate(e.Start, e.OriginalStartTimeZone, "start"))
                : GraphTime.ToCalendarTime(e.Start, e.OriginalStartTimeZone, "start");
        }

        if (e.End is not null)
        {
            end = allDay
                ? CalendarTime.FromDate(GraphTime.ToDate(e.End, e.OriginalEndTimeZone ?? e.OriginalStartTimeZone, "end"))
                : GraphTime.ToCalendarTime(e.End, e.OriginalEndTimeZone ?? e.OriginalStartTimeZone, "end");
        }

        var (organizer, attendees) = ReadPeople(e);
        var (text, html) = ReadBody(e.Body);
        return new CalendarEvent
        {
            Uid = uid,
            RecurrenceId = recurrenceId,
            Summary = NotEmpty(e.Subject),
            Description = text,
            HtmlDescription = html,
            Location = NotEmpty(e.Location?.DisplayName),
            Start = start,
            End = end,
            Organizer = organizer,
            Attendees = attendees,
            Reminders = e.IsReminderOn == true && e.ReminderMinutesBeforeStart is int minutes && minutes >= 0
                ? [new Reminder { Offset = TimeSpan.FromMinutes(-minutes) }]
                : [],
            Categories = (e.Categories ?? []).Where(c => !string.IsNullOrWhiteSpace(c)).ToValueList(),
            Sensitivity = (e.Sensitivity ?? "normal").ToUpperInvariant() switch
            {
                "PERSONAL" => Sensitivity.Personal,
                "PRIVATE" => Sensitivity.Private,
                "CONFIDENTIAL" => Sensitivity.Confidential,
                _ => Sensitivity.Normal,
            },
            FreeBusy = (e.ShowAs ?? "busy").ToUpperInvariant() switch
            {
                "FREE" => FreeBusyStatus.Free,
                "TENTATIVE" => FreeBusyStatus.Tentative,
                "OOF" => FreeBusyStatus.OutOfOffice,
                "WORKINGELSEWHERE" => FreeBusyStatus.WorkingElsewhere,
                _ => FreeBusyStatus.Busy,
            },
            Status = e.IsCancelled == true ? EventStatus.Cancelled : EventStatus.None,
            OnlineMeetingUrl = NotEmpty(e.OnlineMeeting?.JoinUrl) ?? NotEmpty(e.OnlineMeetingUrl),
            Created = e.CreatedDateTime?.UtcDateTime,
            LastModified = e.LastModifiedDateTime?.UtcDateTime,
        };
    }

    private static (Organizer? Organizer, ValueList<Attendee> Attendees) ReadPeople(GraphEvent e)
    {
        GraphRecipient? organizer = e.Organizer;
        var attendees = e.Attendees ?? [];
        if (attendees.Count == 0 && GraphProperties.Find(e.SingleValueExtendedProperties, GraphProperties.MeetingPeople) is { Length: > 0 } kept)
        {
            GraphMeetingPeople? people;
            try
            {
                people = JsonSerializer.Deserialize(kept, GraphJsonContext.Default.GraphMeetingPeople);
            }
            catch (JsonException ex)
            {
                throw new MappingException($"the connector's meeting property is not valid JSON: {ex.Message}");
            }

            organizer = people?.Organizer;
            attendees = people?.Attendees ?? [];
        }

        if (attendees.Count == 0)
        {
            // An appointment: Graph names the mailbox owner as organizer of everything, iCalendar only of meetings.
            return (null, []);
        }

        var list = new List<Attendee>();
        foreach (var a in attendees)
        {
            if (NotEmpty(a.EmailAddress?.Address) is not { } email)
            {
                continue;
            }

            var type = (a.Type ?? "required").ToUpperInvariant();
            list.Add(new Attendee
            {
                Email = email,
                Name = NotEmpty(a.EmailAddress!.Name),
                Role = type == "OPTIONAL" ? AttendeeRole.Optional : type == "RESOURCE" ? AttendeeRole.NonParticipant : AttendeeRole.Required,
                Kind = type == "RESOURCE" ? AttendeeKind.Resource : AttendeeKind.Individual,
                Status = (a.Status?.Response ?? "none").ToUpperInvariant() switch
                {
                    "ACCEPTED" or "ORGANIZER" => ParticipationStatus.Accepted,
                    "DECLINED" => ParticipationStatus.Declined,
                    "TENTATIVELYACCEPTED" => ParticipationStatus.Tentative,
                    _ => ParticipationStatus.NeedsAction,
                },
            });
        }

        var org = NotEmpty(organizer?.EmailAddress?.Address) is { } address
            ? new Organizer { Email = address, Name = NotEmpty(organizer!.EmailAddress!.Name) }
            : null;
        return (org, list.ToValueList());
    }

    /// <summary>
    /// The event as Graph's request body. Organizer and attendees never go into Graph's own properties (Graph would
    /// send invitations); a meeting keeps them in the connector's property (S01). <paramref name="transactionId"/> is
    /// set on creates only.
    /// </summary>
    public static GraphEventWrite Write(CalendarEvent ev, GraphMappingOptions? options = null, bool create = true)
    {
        ArgumentNullException.ThrowIfNull(ev);
        options ??= new GraphMappingOptions();
        try
        {
            if (ev.RecurrenceId is not null)
            {
                throw new MappingException("a single occurrence without its series cannot be written to Exchange");
            }

            if (ev.Start is not { } start)
            {
                throw new MappingException("the event has no start");
            }

            var end = ev.End ?? (start.IsDate ? CalendarTime.FromDate(start.Date.AddDays(1)) : start);
            var allDay = start.IsDate;
            if (allDay != end.IsDate)
            {
                throw new MappingException("start and end must both be dates or both be date-times");
            }

            var zone = options.MailboxTimeZone;
            var body = new GraphEventWrite
            {
                Subject = ev.Summary,
                Body = WriteBody(ev.Description, ev.HtmlDescription),
                Start = GraphTime.FromCalendarTime(start, zone),
                End = GraphTime.FromCalendarTime(end, zone),
                IsAllDay = allDay,
                Location = new GraphLocation { DisplayName = ev.Location ?? string.Empty },
                Categories = [.. ev.Categories],
                Sensitivity = ev.Sensitivity.ToString().ToLowerInvariant(),
                ShowAs = ev.FreeBusy switch
                {
                    FreeBusyStatus.Free => "free",
                    FreeBusyStatus.Tentative => "tentative",
                    FreeBusyStatus.OutOfOffice => "oof",
                    FreeBusyStatus.WorkingElsewhere => "workingElsewhere",
                    _ => "busy",
                },
                Recurrence = ev.Recurrence is { } rule ? GraphRecurrence.Write(rule, start, zone) : null,
            };

            if (ev.Reminders.FirstOrDefault(r => r.Offset is { } o && o <= TimeSpan.Zero && !r.RelativeToEnd) is { } reminder)
            {
                body.IsReminderOn = true;
                body.ReminderMinutesBeforeStart = (int)Math.Round(-reminder.Offset!.Value.TotalMinutes);
            }

            var properties = new List<GraphExtendedProperty> { new() { Id = GraphProperties.Uid, Value = ev.Uid } };
            properties.Add(new GraphExtendedProperty { Id = GraphProperties.MeetingPeople, Value = ev.Attendees.IsEmpty ? string.Empty : WritePeople(ev) });
            body.SingleValueExtendedProperties = properties;
            if (create)
            {
                body.TransactionId = TransactionId(ev.Uid, body);
            }

            return body;
        }
        catch (MappingException ex)
        {
            throw ex.WithItem($"event UID={ev.Uid}");
        }
    }

    /// <summary>What an override changes on its occurrence.</summary>
    public static GraphOccurrenceWrite WriteOccurrence(CalendarEvent occurrence, GraphMappingOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(occurrence);
        var zone = options?.MailboxTimeZone;
        return new GraphOccurrenceWrite
        {
            Subject = occurrence.Summary,
            Body = WriteBody(occurrence.Description, occurrence.HtmlDescription),
            Start = occurrence.Start is { } s ? GraphTime.FromCalendarTime(s, zone) : null,
            End = occurrence.End is { } e ? GraphTime.FromCalendarTime(e, zone) : null,
            Location = new GraphLocation { DisplayName = occurrence.Location ?? string.Empty },
            ShowAs = occurrence.FreeBusy switch
            {
                FreeBusyStatus.Free => "free",
                FreeBusyStatus.Tentative => "tentative",
                FreeBusyStatus.OutOfOffice => "oof",
                FreeBusyStatus.WorkingElsewhere => "workingElsewhere",
                _ => "busy",
            },
        };
    }

    /// <summary>The UTC instant an occurrence originally started at, as a RECURRENCE-ID or EXDATE is compared with it.</summary>
    public static DateTime InstantOf(CalendarTime recurrenceId, CalendarTime masterStart, string? fallbackZone) =>
        recurrenceId.IsDate
            ? GraphTime.ToUtc(recurrenceId.Value, GraphTime.ZoneOf(masterStart, fallbackZone))
            : GraphTime.InstantOf(recurrenceId, GraphTime.ZoneOf(masterStart, fallbackZone));

    private static string WritePeople(CalendarEvent ev)
    {
        var people = new GraphMeetingPeople
        {
            Organizer = ev.Organizer is { } o ? new GraphRecipient { EmailAddress = new GraphEmailAddress { Address = o.Email, Name = o.Name } } : null,
            Attendees =
            [
                .. ev.Attendees.Select(a => new GraphAttendee
                {
                    EmailAddress = new GraphEmailAddress { Address = a.Email, Name = a.Name },
                    Type = a.Kind is AttendeeKind.Resource or AttendeeKind.Room ? "resource" : a.Role == AttendeeRole.Optional ? "optional" : "required",
                    Status = new GraphResponseStatus
                    {
                        Response = a.Status switch
                        {
                            ParticipationStatus.Accepted => "accepted",
                            ParticipationStatus.Declined => "declined",
                            ParticipationStatus.Tentative => "tentativelyAccepted",
                            _ => "none",
                        },
                    },
                }),
            ],
        };
        return JsonSerializer.Serialize(people, GraphJsonContext.Default.GraphMeetingPeople);
    }

    /// <summary>
    /// A transactionId from the UID and the content: a create retried after a lost answer sends the same one, so Graph
    /// hands back the event it already made instead of a duplicate; another create with the same UID but other content
    /// (a real second item) gets another.
    /// </summary>
    private static string TransactionId(string uid, GraphEventWrite body)
    {
        var json = JsonSerializer.SerializeToUtf8Bytes(body, GraphJsonContext.Default.GraphEventWrite);
        var uidBytes = System.Text.Encoding.UTF8.GetBytes(uid);
        var hash = System.Security.Cryptography.SHA256.HashData([.. uidBytes, 0, .. json]);
        return new Guid(hash.AsSpan(0, 16)).ToString("D");
    }

    /// <summary>The plain text when there is one (the store reads bodies as text); HTML only for an item that has nothing else.</summary>
    internal static GraphItemBody WriteBody(string? text, string? html) =>
        text is null && html is not null
            ? new GraphItemBody { ContentType = "html", Content = html }
            : new GraphItemBody { ContentType = "text", Content = text ?? string.Empty };

    internal static (string? Text, string? Html) ReadBody(GraphItemBody? body)
    {
        if (NotEmpty(body?.Content) is not { } content)
        {
            return (null, null);
        }

        return string.Equals(body!.ContentType, "html", StringComparison.OrdinalIgnoreCase)
            ? (null, content)
            : (content.Replace("\r\n", "\n", StringComparison.Ordinal).TrimEnd(), null);
    }

    /// <summary>Graph writes cancelled occurrences as "OID.{master id}.{yyyy-MM-dd}": the date is what counts.</summary>
    private static DateOnly CancelledDate(string text)
    {
        var tail = text.Length >= 10 ? text[^10..] : text;
        return DateOnly.TryParseExact(tail, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
            ? date
            : throw new MappingException($"cancelled occurrence \"{GraphTime.Shorten(text)}\" does not end in a date");
    }

    /// <summary>The occurrence of a series on <paramref name="date"/>, in DTSTART's value type and zone.</summary>
    private static CalendarTime OccurrenceOn(DateOnly date, CalendarTime start) => start.Kind switch
    {
        CalendarTimeKind.Date => CalendarTime.FromDate(date),
        _ => start.WithValue(date.ToDateTime(TimeOnly.FromTimeSpan(start.Value.TimeOfDay))),
    };

    private static CalendarTime RecurrenceIdFor(DateTime originalStartUtc, CalendarTime masterStart, string? originalZone) => masterStart.Kind switch
    {
        CalendarTimeKind.Date => CalendarTime.FromDate(GraphTime.ResolveZone(originalZone) is { } z && !GraphTime.IsUtc(z)
            ? DateOnly.FromDateTime(GraphTime.FromUtc(originalStartUtc, z))
            : DateOnly.FromDateTime(originalStartUtc)),
        CalendarTimeKind.Zoned => CalendarTime.InZone(GraphTime.FromUtc(originalStartUtc, masterStart.TimeZoneId!), masterStart.TimeZoneId!),
        CalendarTimeKind.Floating => CalendarTime.Floating(originalStartUtc),
        _ => CalendarTime.FromUtc(originalStartUtc),
    };

    private static string DescribeItem(GraphEvent e) => e.Id is { } id ? $"event {GraphTime.Shorten(id)}" : "event";

    internal static string? NotEmpty(string? s) => string.IsNullOrWhiteSpace(s) ? null : s;
}
