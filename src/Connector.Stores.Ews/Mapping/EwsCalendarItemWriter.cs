using System.Xml;
using Connector.Domain;
using Connector.Mapping.Text;

namespace Connector.Stores.Ews.Mapping;

/// <summary>
/// Writes a <see cref="CalendarEvent"/> as a <c>t:CalendarItem</c> (CreateItem: the full item).
/// Lost on the way (Exchange has no place for it): RDATEs, reminders after the first (and any not relative
/// to the start), attendee RSVP/delegation/CUTYPE group/room (rooms become Resources), PARTSTAT
/// delegated/completed/in-process (Unknown), STATUS tentative/confirmed, URL, extra properties and
/// components, floating times (written in <see cref="EwsMappingOptions.MailboxTimeZone"/>), zones CLDR
/// has no Windows id for (UTC instant). Overrides and EXDATEs are not part of CreateItem: the store applies
/// them to the created series through occurrence items (<c>EwsSeriesWriter</c>); in <see cref="EwsWriteMode.Server"/> mode the
/// EXDATEs are written as DeletedOccurrences (read-only fields are only written in that mode).
/// </summary>
public static class EwsCalendarItemWriter
{
    private const string Ns = EwsFields.TypesNamespace;

    public static void Write(XmlWriter writer, CalendarEvent ev, EwsMappingOptions? options = null, string? itemId = null)
    {
        options ??= EwsMappingOptions.Default;
        var label = itemId is not null ? $"CalendarItem ItemId={itemId}" : $"CalendarItem UID={ev.Uid}";
        var e = EwsCommonWriter.Named(() => label, () => Build(ev, options, itemId));
        writer.WriteStartElement("t", "CalendarItem", Ns);
        e.WriteTo(writer);
        writer.WriteEndElement();
    }

    public static string ToXml(CalendarEvent ev, EwsMappingOptions? options = null, string? itemId = null)
    {
        using var text = new StringWriter();
        using (var w = XmlWriter.Create(text, EwsItemXml.WriterSettings))
        {
            Write(w, ev, options, itemId);
        }

        return text.ToString();
    }

    private static OrderedElementWriter Build(CalendarEvent ev, EwsMappingOptions options, string? itemId)
    {
        var e = new OrderedElementWriter(EwsFields.CalendarItem, options.Mode);
        EwsCommonWriter.WriteBase(e, itemId, ev.Summary, ev.Description, ev.HtmlDescription, ev.Categories, ev.Sensitivity, ev.Created, ev.LastModified);
        e.AddText("UID", ev.Uid.Length > 0 ? ev.Uid : null);

        var reminder = ev.Reminders.FirstOrDefault(r => r.Offset is { } o && o <= TimeSpan.Zero && !r.RelativeToEnd);
        e.AddText("ReminderIsSet", reminder is null ? "false" : "true");
        if (reminder is not null)
        {
            e.AddText("ReminderMinutesBeforeStart", EwsItemXml.FormatInt((int)Math.Round(-reminder.Offset!.Value.TotalMinutes)));
        }

        var start = ev.Start ?? throw new MappingException("an Exchange calendar item needs a start");
        var end = ev.End ?? (start.IsDate ? CalendarTime.FromDate(start.Date.AddDays(1)) : start);
        var (startUtc, startZone) = EwsTime.ToEws(start, options.MailboxTimeZone);
        var (endUtc, endZone) = end.IsDate
            ? (EwsTime.ToUtc(end.Date.ToDateTime(TimeOnly.MinValue), startZone), startZone)
            : EwsTime.ToEws(end, options.MailboxTimeZone);
        if (endUtc < startUtc)
        {
            throw new MappingException("the event ends before it starts");
        }

        e.AddText("Start", EwsItemXml.FormatUtc(startUtc));
        e.AddText("End", EwsItemXml.FormatUtc(endUtc));
        e.AddText("IsAllDayEvent", start.IsDate ? "true" : "false");
        e.AddText("LegacyFreeBusyStatus", ev.FreeBusy switch
        {
            FreeBusyStatus.Free => "Free",
            FreeBusyStatus.Tentative => "Tentative",
            FreeBusyStatus.OutOfOffice => "OOF",
            FreeBusyStatus.WorkingElsewhere => "WorkingElsewhere",
            _ => "Busy",
        });
        e.AddText("Location", ev.Location);
        if (ev.RecurrenceId is { } rid)
        {
            e.AddText("RecurrenceId", EwsItemXml.FormatUtc(EwsTime.ToEws(rid, startZone).Utc));
        }

        if (ev.Status == EventStatus.Cancelled)
        {
            e.AddText("IsCancelled", "true");
        }

        if (ev.Organizer is { } organizer)
        {
            e.Add("Organizer", w =>
            {
                w.WriteStartElement("Organizer", Ns);
                WriteMailbox(w, organizer.Email, organizer.Name);
                w.WriteEndElement();
            });
        }

        WriteAttendees(e, "RequiredAttendees", ev.Attendees.Where(a => !IsResource(a) && a.Role is AttendeeRole.Required or AttendeeRole.Chair));
        WriteAttendees(e, "OptionalAttendees", ev.Attendees.Where(a => !IsResource(a) && a.Role is AttendeeRole.Optional or AttendeeRole.NonParticipant));
        WriteAttendees(e, "Resources", ev.Attendees.Where(IsResource));
        if (ev.Sequence != 0)
        {
            e.AddText("AppointmentSequenceNumber", EwsItemXml.FormatInt(ev.Sequence));
        }

        if (ev.Recurrence is { } rule)
        {
            var seriesStart = start.IsDate ? start.Date : EwsTime.DateIn(startUtc, startZone);
            DateOnly? endDate = rule.Until is { } until
                ? until.IsDate ? until.Date : EwsTime.DateIn(EwsTime.ToEws(until, startZone).Utc, startZone)
                : null;
            var pattern = EwsRecurrence.ToPattern(rule, seriesStart, endDate);
            e.Add("Recurrence", w =>
            {
                w.WriteStartElement("Recurrence", Ns);
                EwsRecurrence.Write(w, pattern, seriesStart);
                w.WriteEndElement();
            });
        }

        if (!ev.ExcludedDates.IsEmpty)
        {
            var deleted = ev.ExcludedDates.Select(x => x.IsDate
                ? EwsTime.ToUtc(x.Date.ToDateTime(TimeOnly.MinValue), startZone)
                : EwsTime.ToEws(x, startZone).Utc).ToArray();
            e.Add("DeletedOccurrences", w =>
            {
                w.WriteStartElement("DeletedOccurrences", Ns);
                foreach (var d in deleted)
                {
                    w.WriteStartElement("DeletedOccurrence", Ns);
                    w.WriteElementString("Start", Ns, EwsItemXml.FormatUtc(d));
                    w.WriteEndElement();
                }

                w.WriteEndElement();
            });
        }

        e.Add("StartTimeZone", w => WriteZone(w, "StartTimeZone", startZone));
        e.Add("EndTimeZone", w => WriteZone(w, "EndTimeZone", endZone));
        e.AddText("JoinOnlineMeetingUrl", ev.OnlineMeetingUrl);
        return e;
    }

    private static bool IsResource(Attendee a) => a.Kind is AttendeeKind.Resource or AttendeeKind.Room;

    private static void WriteZone(XmlWriter w, string element, string iana)
    {
        w.WriteStartElement(element, Ns);
        w.WriteAttributeString("Id", EwsTime.ToWindows(iana) ?? "UTC");
        w.WriteEndElement();
    }

    private static void WriteAttendees(OrderedElementWriter e, string element, IEnumerable<Attendee> attendees)
    {
        var list = attendees.ToArray();
        if (list.Length == 0)
        {
            return;
        }

        e.Add(element, w =>
        {
            w.WriteStartElement(element, Ns);
            foreach (var a in list)
            {
                w.WriteStartElement("Attendee", Ns);
                WriteMailbox(w, a.Email, a.Name);
                w.WriteElementString("ResponseType", Ns, a.Role == AttendeeRole.Chair ? "Organizer" : a.Status switch
                {
                    ParticipationStatus.Accepted => "Accept",
                    ParticipationStatus.Declined => "Decline",
                    ParticipationStatus.Tentative => "Tentative",
                    ParticipationStatus.NeedsAction => "NoResponseReceived",
                    _ => "Unknown",
                });
                w.WriteEndElement();
            }

            w.WriteEndElement();
        });
    }

    private static void WriteMailbox(XmlWriter w, string email, string? name)
    {
        w.WriteStartElement("Mailbox", Ns);
        if (name is not null)
        {
            w.WriteElementString("Name", Ns, name);
        }

        w.WriteElementString("EmailAddress", Ns, email);
        w.WriteEndElement();
    }
}
