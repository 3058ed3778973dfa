using System.Xml;
using Connector.Domain;
using Connector.Mapping.Text;

namespace Connector.Stores.Ews.Mapping;

/// <summary>
/// Reads one <c>t:CalendarItem</c> into a <see cref="CalendarEvent"/>. Elements not listed in
/// <see cref="EwsFields.CalendarItem"/> (plus MeetingTimeZone, TimeZone, StartTimeZoneId, EndTimeZoneId,
/// NetShowUrl, IsResponseRequested and the like) are ignored: ItemClass, DateTimeReceived, Size, Importance,
/// ResponseObjects, DisplayTo/Cc, EffectiveRights, MyResponseType, ConflictingMeetings, Duration,
/// FirstOccurrence/LastOccurrence, EnhancedLocation, Attachments, InternetMessageHeaders and every other
/// ItemType/CalendarItemType element.
/// </summary>
public static class EwsCalendarItemReader
{
    public static EwsItem<CalendarEvent> Read(XmlReader reader, EwsMappingOptions? options = null)
    {
        options ??= EwsMappingOptions.Default;
        EwsItemXml.ExpectItemElement(reader, "CalendarItem");
        var s = new State();
        return EwsCommonWriter.Named(() => s.Base.Label("CalendarItem", s.Uid), () =>
        {
            EwsItemXml.ReadChildren(reader, name => s.Read(reader, name));
            return new EwsItem<CalendarEvent>(s.Base.ItemId, s.Base.ChangeKey, s.Build(options)) { ModifiedOccurrenceIds = s.ModifiedIds };
        });
    }

    /// <summary>
    /// Puts an exception item (CalendarItemType Exception, read on its own) into its series as an
    /// override, replacing the one for the same occurrence. The override keeps the series organizer (S10).
    /// </summary>
    public static CalendarEvent WithOccurrence(CalendarEvent master, CalendarEvent occurrence)
    {
        var recurrenceId = occurrence.RecurrenceId ?? throw new MappingException("the occurrence has no RecurrenceId/OriginalStart", null, $"CalendarItem UID={occurrence.Uid}");
        var fixedUp = occurrence with { Uid = master.Uid, Organizer = master.Organizer, Recurrence = null, Overrides = [], ExcludedDates = [] };
        var overrides = master.Overrides.Where(o => !SameInstant(o.RecurrenceId, recurrenceId)).Append(fixedUp).ToValueList();
        return master with { Overrides = overrides };
    }

    /// <summary>
    /// Puts every exception item of a series into it (<see cref="WithOccurrence"/>), then drops the exceptions that
    /// only repeat their pattern occurrence: EWS cannot turn an exception back into a plain occurrence, so the store
    /// "removes" an override by writing the series' own values to that occurrence, and such an exception is no
    /// override in iCalendar terms.
    /// </summary>
    public static CalendarEvent WithOccurrences(CalendarEvent master, IEnumerable<CalendarEvent> occurrences)
    {
        ArgumentNullException.ThrowIfNull(master);
        ArgumentNullException.ThrowIfNull(occurrences);
        var merged = master;
        foreach (var occurrence in occurrences)
        {
            merged = WithOccurrence(merged, occurrence);
        }

        return merged with { Overrides = merged.Overrides.Where(o => !IsPlainOccurrence(merged, o)).ToValueList() };
    }

    /// <summary>
    /// Whether an override says nothing its series does not: it starts at its RECURRENCE-ID, lasts as long as the
    /// series' events and every other field equals the series'. Server stamps (Created, LastModified, Sequence) are
    /// not compared.
    /// </summary>
    public static bool IsPlainOccurrence(CalendarEvent master, CalendarEvent occurrence)
    {
        ArgumentNullException.ThrowIfNull(master);
        ArgumentNullException.ThrowIfNull(occurrence);
        if (occurrence.RecurrenceId is not { } recurrenceId || occurrence.Start is not { } start || master.Start is not { } seriesStart
            || !SameInstant(start, recurrenceId) || Length(occurrence.Start, occurrence.End) != Length(seriesStart, master.End))
        {
            return false;
        }

        var asSeries = occurrence with
        {
            Uid = master.Uid,
            RecurrenceId = null,
            Start = master.Start,
            End = master.End,
            Organizer = master.Organizer,
            Created = master.Created,
            LastModified = master.LastModified,
            Sequence = master.Sequence,
        };
        return asSeries == master with { Recurrence = null, Overrides = [], ExcludedDates = [], AdditionalDates = [] };
    }

    /// <summary>The UTC instant EWS would write for a time (dates and floating times as UTC wall clock).</summary>
    internal static DateTime InstantOf(CalendarTime time) => time.IsDate ? time.Value : EwsTime.ToEws(time, null).Utc;

    private static TimeSpan? Length(CalendarTime? start, CalendarTime? end) =>
        start is { } s && end is { } e ? InstantOf(e) - InstantOf(s) : null;

    private static bool SameInstant(CalendarTime? a, CalendarTime b) =>
        a is { } x && InstantOf(x) == InstantOf(b);

    private sealed class State
    {
        public EwsItemBase Base { get; } = new();

        public string? Uid { get; private set; }

        private string? _recurrenceId;
        private string? _start;
        private string? _end;
        private string? _originalStart;
        private string? _allDay;
        private string? _freeBusy;
        private string? _location;
        private string? _cancelled;
        private string? _sequence;
        private string? _startZone;
        private string? _endZone;
        private string? _legacyZone;
        private string? _onlineUrl;
        private Organizer? _organizer;
        private readonly List<Attendee> _attendees = [];
        private EwsPattern? _pattern;
        private readonly List<(string Start, string End, string OriginalStart)> _modified = [];
        private readonly List<string> _deleted = [];

        public List<string> ModifiedIds { get; } = [];

        public void Read(XmlReader r, string name)
        {
            if (Base.TryRead(r, name))
            {
                return;
            }

            switch (name)
            {
                case "UID": Uid = EwsItemXml.Text(r); break;
                case "RecurrenceId": _recurrenceId = r.ReadElementContentAsString(); break;
                case "Start": _start = r.ReadElementContentAsString(); break;
                case "End": _end = r.ReadElementContentAsString(); break;
                case "OriginalStart": _originalStart = r.ReadElementContentAsString(); break;
                case "IsAllDayEvent": _allDay = r.ReadElementContentAsString(); break;
                case "LegacyFreeBusyStatus": _freeBusy = r.ReadElementContentAsString(); break;
                case "Location": _location = EwsItemXml.Text(r); break;
                case "IsCancelled": _cancelled = r.ReadElementContentAsString(); break;
                case "AppointmentSequenceNumber": _sequence = r.ReadElementContentAsString(); break;
                // Read the text before ??=: a short-circuited read would leave the element unconsumed and the loop spinning on it.
                case "StartTimeZoneId": var startZoneId = EwsItemXml.Text(r); _startZone ??= startZoneId; break;
                case "EndTimeZoneId": var endZoneId = EwsItemXml.Text(r); _endZone ??= endZoneId; break;
                case "StartTimeZone": _startZone = r.GetAttribute("Id") ?? r.GetAttribute("Name") ?? _startZone; r.Skip(); break;
                case "EndTimeZone": _endZone = r.GetAttribute("Id") ?? r.GetAttribute("Name") ?? _endZone; r.Skip(); break;
                case "MeetingTimeZone": _legacyZone ??= r.GetAttribute("TimeZoneName"); r.Skip(); break;
                case "TimeZone": var legacyZone = EwsItemXml.Text(r); _legacyZone ??= legacyZone; break;
                case "JoinOnlineMeetingUrl": _onlineUrl = EwsItemXml.Text(r) ?? _onlineUrl; break;
                case "NetShowUrl": var netShowUrl = EwsItemXml.Text(r); _onlineUrl ??= netShowUrl; break;
                case "Organizer":
                    EwsItemXml.ReadChildren(r, n =>
                    {
                        if (n == "Mailbox" && ReadMailbox(r) is { Email: { } email } m)
                        {
                            _organizer = new Organizer { Email = email, Name = m.Name };
                        }
                        else if (n != "Mailbox")
                        {
                            r.Skip();
                        }
                    });
                    break;
                case "RequiredAttendees": ReadAttendees(r, AttendeeRole.Required, AttendeeKind.Individual); break;
                case "OptionalAttendees": ReadAttendees(r, AttendeeRole.Optional, AttendeeKind.Individual); break;
                case "Resources": ReadAttendees(r, AttendeeRole.NonParticipant, AttendeeKind.Resource); break;
                case "Recurrence": _pattern = EwsRecurrence.Read(r, task: false, Base.Label("CalendarItem", Uid)); break;
                case "ModifiedOccurrences":
                    EwsItemXml.ReadChildren(r, n =>
                    {
                        string? s = null, e = null, o = null, id = null;
                        if (n != "Occurrence")
                        {
                            r.Skip();
                            return;
                        }

                        EwsItemXml.ReadChildren(r, f =>
                        {
                            switch (f)
                            {
                                case "Start": s = r.ReadElementContentAsString(); break;
                                case "End": e = r.ReadElementContentAsString(); break;
                                case "OriginalStart": o = r.ReadElementContentAsString(); break;
                                case "ItemId": id = r.GetAttribute("Id"); r.Skip(); break;
                                default: r.Skip(); break;
                            }
                        });
                        if (id is not null)
                        {
                            ModifiedIds.Add(id);
                        }

                        _modified.Add((s ?? throw new MappingException("Occurrence has no Start"), e ?? throw new MappingException("Occurrence has no End"),
                            o ?? throw new MappingException("Occurrence has no OriginalStart")));
                    });
                    break;
                case "DeletedOccurrences":
                    EwsItemXml.ReadChildren(r, n =>
                    {
                        if (n != "DeletedOccurrence")
                        {
                            r.Skip();
                            return;
                        }

                        EwsItemXml.ReadChildren(r, f =>
                        {
                            if (f == "Start")
                            {
                                _deleted.Add(r.ReadElementContentAsString());
                            }
                            else
                            {
                                r.Skip();
                            }
                        });
                    });
                    break;
                default:
                    r.Skip();
                    break;
            }
        }

        public CalendarEvent Build(EwsMappingOptions options)
        {
            // A zone-less dateTime is read in the item's zone, else the request's TimeZoneContext, else UTC.
            var itemZone = EwsTime.ResolveZone(_startZone) ?? EwsTime.ResolveZone(_legacyZone);
            var zone = itemZone ?? options.MailboxTimeZone;
            var endZone = EwsTime.ResolveZone(_endZone) ?? zone;
            var allDay = _allDay is not null && EwsItemXml.ParseBool(_allDay, "IsAllDayEvent");

            CalendarTime? Time(string? text, string field, string? z)
            {
                if (text is null)
                {
                    return null;
                }

                var utc = EwsTime.Instant(EwsItemXml.ParseDateTime(text, field), z);
                return allDay ? CalendarTime.FromDate(AllDayDate(utc, z, field == "End")) : EwsTime.ToCalendarTime(utc, z);
            }

            var start = Time(_start, "Start", zone);
            var end = Time(_end, "End", endZone);
            if (allDay && start is { } sd && (end is null || end.Value.Date <= sd.Date))
            {
                end = CalendarTime.FromDate(sd.Date.AddDays(1));
            }

            var ev = new CalendarEvent
            {
                Uid = Uid ?? Base.ExtendedProperties.GetValueOrDefault(EwsExtendedProperty.Uid.Key) ?? Base.ItemId ?? string.Empty,
                RecurrenceId = Time(_recurrenceId ?? _originalStart, "RecurrenceId", zone),
                Summary = Base.Subject,
                Description = Base.Text,
                HtmlDescription = Base.Html,
                Location = _location,
                Start = start,
                End = end,
                Organizer = _organizer,
                Attendees = _attendees.ToValueList(),
                Categories = Base.Categories,
                Sensitivity = Base.Sensitivity,
                FreeBusy = _freeBusy switch
                {
                    null or "Busy" or "NoData" => FreeBusyStatus.Busy,
                    "Free" => FreeBusyStatus.Free,
                    "Tentative" => FreeBusyStatus.Tentative,
                    "OOF" => FreeBusyStatus.OutOfOffice,
                    "WorkingElsewhere" => FreeBusyStatus.WorkingElsewhere,
                    _ => throw new MappingException($"LegacyFreeBusyStatus '{EwsItemXml.Shorten(_freeBusy)}' is not a known value"),
                },
                Status = _cancelled is not null && EwsItemXml.ParseBool(_cancelled, "IsCancelled") ? EventStatus.Cancelled : EventStatus.None,
                Reminders = Base.IsReminderSet && Base.ReminderMinutes is { } minutes
                    ? [new Reminder { Offset = TimeSpan.FromMinutes(-EwsItemXml.ParseInt(minutes, "ReminderMinutesBeforeStart")) }]
                    : [],
                OnlineMeetingUrl = _onlineUrl,
                Sequence = _sequence is null ? 0 : EwsItemXml.ParseInt(_sequence, "AppointmentSequenceNumber"),
                Created = Base.CreatedUtc,
                LastModified = Base.LastModifiedUtc,
            };

            if (_pattern is not null)
            {
                var series = start ?? throw new MappingException("a recurring item has no Start");
                var rule = EwsRecurrence.ToRule(_pattern);
                if (_pattern.EndDate is { } endDate)
                {
                    rule = rule with { Until = UntilFor(series, endDate) };
                }

                ev = ev with { Recurrence = rule };
            }

            var excluded = _deleted.Select(d => Time(d, "DeletedOccurrence", zone)!.Value).ToValueList();
            var overrides = _modified.Select(m => ev with
            {
                RecurrenceId = Time(m.OriginalStart, "OriginalStart", zone),
                Start = Time(m.Start, "Start", zone),
                End = Time(m.End, "End", endZone),
                Recurrence = null,
            }).ToValueList();
            return ev with { ExcludedDates = excluded, Overrides = overrides };
        }

        /// <summary>UNTIL for an EndDate: the last possible occurrence, i.e. the series' wall-clock time on that day, in DTSTART's type.</summary>
        private static CalendarTime UntilFor(CalendarTime start, DateOnly endDate) => start.Kind switch
        {
            CalendarTimeKind.Date => CalendarTime.FromDate(endDate),
            CalendarTimeKind.Zoned => CalendarTime.FromUtc(EwsTime.ToUtc(endDate.ToDateTime(TimeOnly.FromDateTime(start.Value)), start.TimeZoneId!)),
            _ => CalendarTime.FromUtc(endDate.ToDateTime(TimeOnly.FromDateTime(start.Value))),
        };

        private static DateOnly AllDayDate(DateTime utc, string? zone, bool isEnd)
        {
            var wall = EwsTime.FromUtc(utc, zone ?? EwsTime.Utc);
            var date = DateOnly.FromDateTime(wall);

            // Exchange keeps all-day bounds on midnights of the item's zone; an end off midnight covers its day.
            return isEnd && wall.TimeOfDay != TimeSpan.Zero ? date.AddDays(1) : date;
        }

        private void ReadAttendees(XmlReader r, AttendeeRole role, AttendeeKind kind) =>
            EwsItemXml.ReadChildren(r, n =>
            {
                if (n != "Attendee")
                {
                    r.Skip();
                    return;
                }

                (string? Email, string? Name)? mailbox = null;
                string? response = null;
                EwsItemXml.ReadChildren(r, f =>
                {
                    switch (f)
                    {
                        case "Mailbox": mailbox = ReadMailbox(r); break;
                        case "ResponseType": response = r.ReadElementContentAsString(); break;
                        default: r.Skip(); break;
                    }
                });

                // An attendee without an address cannot be written to iCalendar; Exchange sends these only for unresolved names.
                if (mailbox is { Email: { } email } m)
                {
                    var (status, chair) = response switch
                    {
                        null or "Unknown" or "NoResponseReceived" or "NoResponseYet" => (ParticipationStatus.NeedsAction, false),
                        "Organizer" => (ParticipationStatus.Accepted, true),
                        "Accept" => (ParticipationStatus.Accepted, false),
                        "Tentative" => (ParticipationStatus.Tentative, false),
                        "Decline" => (ParticipationStatus.Declined, false),
                        _ => throw new MappingException($"ResponseType '{EwsItemXml.Shorten(response)}' is not a known value"),
                    };
                    _attendees.Add(new Attendee { Email = email, Name = m.Name, Role = chair ? AttendeeRole.Chair : role, Kind = kind, Status = status });
                }
            });

        private static (string? Email, string? Name) ReadMailbox(XmlReader r)
        {
            string? email = null, name = null;
            EwsItemXml.ReadChildren(r, f =>
            {
                switch (f)
                {
                    case "EmailAddress": email = EwsItemXml.Text(r); break;
                    case "Name": name = EwsItemXml.Text(r); break;
                    default: r.Skip(); break;
                }
            });
            return (email, name);
        }
    }
}
