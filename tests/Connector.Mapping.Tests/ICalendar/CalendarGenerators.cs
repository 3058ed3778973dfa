using Connector.Domain;
using CsCheck;

namespace Connector.Mapping.Tests.ICalendar;

/// <summary>
/// CsCheck generators for events and tasks. They produce only what the reader can represent:
/// see the normalisation rules on <see cref="Connector.Mapping.ICalendar.ICalendarReader"/>
/// (no whitespace-only text, LF line breaks, whole seconds, a DATE start always has an end).
/// </summary>
internal static class CalendarGenerators
{
    private const string TextChars = "abcdefghijklmnopqrstuvwxyzABCXYZ0123456789 ,;:\\\"'^\n-_.@/äöüßé€中";
    private const string TokenChars = "abcdefghijklmnopqrstuvwxyz0123456789-_.@";

    /// <summary>Text with multi-byte characters; emoji are added whole (a char generator would split surrogate pairs).</summary>
    public static readonly Gen<string> Text =
        Gen.Select(Gen.String[Gen.Char[TextChars], 1, 60], Gen.Int[0, 3], (s, emoji) => emoji == 0 ? s + "😀" : s)
            .Where(s => !string.IsNullOrWhiteSpace(s));

    public static readonly Gen<string> Token = Gen.String[Gen.Char[TokenChars], 1, 20];

    public static readonly Gen<string> Email = Gen.Select(Token, Token, (a, b) => $"{a}@{b}.example");

    public static readonly Gen<string> Zone = Gen.OneOf("Europe/Berlin", "America/New_York", "Asia/Kolkata", "Australia/Sydney", "Pacific/Auckland", "Etc/UTC", "America/Sao_Paulo");

    public static readonly Gen<DateTime> Moment =
        Gen.Select(Gen.Int[1971, 2090], Gen.Int[1, 12], Gen.Int[1, 28], Gen.Int[0, 23], Gen.Int[0, 59], Gen.Int[0, 59],
            (y, mo, d, h, mi, s) => new DateTime(y, mo, d, h, mi, s, DateTimeKind.Unspecified));

    public static readonly Gen<DateTime> UtcMoment = Moment.Select(m => DateTime.SpecifyKind(m, DateTimeKind.Utc));

    public static readonly Gen<CalendarTime> DateTimeValue = Gen.Int[0, 2].SelectMany(kind => kind switch
    {
        0 => UtcMoment.Select(CalendarTime.FromUtc),
        1 => Moment.Select(CalendarTime.Floating),
        _ => Gen.Select(Moment, Zone, CalendarTime.InZone),
    });

    public static readonly Gen<CalendarTime> AnyTime = Gen.Frequency(
        (1, Moment.Select(m => CalendarTime.FromDate(DateOnly.FromDateTime(m)))),
        (3, DateTimeValue));

    public static readonly Gen<RecurrenceRule> Rule =
        from frequency in Gen.OneOf(RecurrenceFrequency.Daily, RecurrenceFrequency.Weekly, RecurrenceFrequency.Monthly, RecurrenceFrequency.Yearly)
        from interval in Gen.Int[1, 4]
        from end in Gen.Int[0, 2]
        from count in Gen.Int[1, 50]
        from until in UtcMoment
        from byDay in Gen.Select(Gen.Enum<DayOfWeek>(), Gen.OneOf(0, 1, 2, -1), (d, o) => new WeekdayOccurrence(d, o)).Array[0, 3]
        from byMonth in Gen.Int[1, 12].Array[0, 2]
        from byMonthDay in Gen.Int[1, 28].Array[0, 2]
        from wkst in Gen.Enum<DayOfWeek>().Select(d => (DayOfWeek?)d).OrNull()
        select new RecurrenceRule
        {
            Frequency = frequency,
            Interval = interval,
            Count = end == 1 ? count : null,
            Until = end == 2 ? CalendarTime.FromUtc(until) : null,
            ByDay = byDay,
            ByMonth = byMonth,
            ByMonthDay = byMonthDay,
            WeekStart = wkst,
        };

    public static readonly Gen<RawParameter> Parameter =
        Gen.Select(Gen.OneOf("X-A", "X-B", "LANGUAGE"), Gen.String[Gen.Char["abc ;:,\"^\n"], 1, 8].Array[1, 2],
            (name, values) => new RawParameter(name, new ValueList<string>(values)));

    public static readonly Gen<RawProperty> Extra =
        Gen.Select(Gen.OneOf("X-TEST-ONE", "X-TEST-TWO", "X-WR-ALARMUID", "X-LIC-ERROR"), Parameter.Array[0, 2], Gen.String[Gen.Char["abc;:,\\ é"], 0, 30],
            (name, parameters, value) => new RawProperty(null, name, new ValueList<RawParameter>(parameters), value));

    public static readonly Gen<Reminder> Alarm =
        from relative in Gen.Bool
        from minutes in Gen.Int[-20_000, 600]
        from at in UtcMoment
        from action in Gen.Enum<ReminderAction>()
        from toEnd in Gen.Bool
        from description in Text.OrNull()
        from extras in Extra.Array[0, 1]
        select new Reminder
        {
            Offset = relative ? TimeSpan.FromMinutes(minutes) : null,
            At = relative ? null : at,
            RelativeToEnd = relative && toEnd,
            Action = action,
            Description = description,
            ExtraProperties = extras,
        };

    public static readonly Gen<Attendee> Attendee =
        from email in Email
        from name in Text.OrNull()
        from role in Gen.Enum<AttendeeRole>()
        from status in Gen.Enum<ParticipationStatus>()
        from kind in Gen.Enum<AttendeeKind>()
        from rsvp in Gen.Bool
        from extra in Parameter.Array[0, 1]
        select new Attendee { Email = email, Name = name, Role = role, Status = status, Kind = kind, ResponseRequested = rsvp, ExtraParameters = extra };

    public static readonly Gen<Organizer> Organizer =
        Gen.Select(Email, Text.OrNull(), Parameter.Array[0, 1], (email, name, extra) => new Organizer { Email = email, Name = name, ExtraParameters = extra });

    private static readonly Gen<(CalendarTime? Start, CalendarTime? End)> Span =
        Gen.Int[0, 3].SelectMany(kind => kind switch
        {
            0 => Gen.Const<(CalendarTime?, CalendarTime?)>((null, null)),
            1 => Gen.Select(Moment, Gen.Int[1, 5], (m, days) => ((CalendarTime?)CalendarTime.FromDate(DateOnly.FromDateTime(m)), (CalendarTime?)CalendarTime.FromDate(DateOnly.FromDateTime(m).AddDays(days)))),
            2 => Gen.Select(DateTimeValue, Gen.Int[0, 600], (s, minutes) => ((CalendarTime?)s, (CalendarTime?)s.WithValue(s.Value.AddMinutes(minutes)))),
            _ => DateTimeValue.Select(s => ((CalendarTime?)s, (CalendarTime?)null)),
        });

    private static Gen<CalendarEvent> EventCore(string? uid) =>
        from span in Span
        from summary in Text.OrNull()
        from description in Text.OrNull()
        from html in Text.OrNull()
        from location in Text.OrNull()
        from organizer in Organizer.OrNull()
        from attendees in Attendee.Array[0, 3]
        from reminders in Alarm.Array[0, 2]
        from categories in Token.Array[0, 3]
        from sensitivity in Gen.Enum<Sensitivity>()
        from freeBusy in Gen.Enum<FreeBusyStatus>()
        from status in Gen.Enum<EventStatus>()
        from online in Token.Select(t => "https://meet.example/" + t).OrNull()
        from sequence in Gen.Int[0, 20]
        from created in UtcMoment.Select(m => (DateTime?)m).OrNull()
        from modified in UtcMoment.Select(m => (DateTime?)m).OrNull()
        from extras in Extra.Array[0, 3]
        from generatedUid in Token
        select new CalendarEvent
        {
            Uid = uid ?? generatedUid,
            Summary = summary,
            Description = description,
            HtmlDescription = html,
            Location = location,
            Start = span.Start,
            End = span.End,
            Organizer = organizer,
            Attendees = attendees,
            Reminders = reminders,
            Categories = categories,
            Sensitivity = sensitivity,
            FreeBusy = freeBusy,
            Status = status,
            OnlineMeetingUrl = online,
            Sequence = sequence,
            Created = created,
            LastModified = modified,
            ExtraProperties = extras,
        };

    public static readonly Gen<CalendarEvent> Event =
        from master in EventCore(null)
        from recurring in Gen.Bool
        from rule in Rule
        from exdates in AnyTime.Array[0, 3]
        from rdates in AnyTime.Array[0, 2]
        from overrides in EventCore("ignored").SelectMany(o => AnyTime.Select(rid => o with { RecurrenceId = rid })).Array[0, 3]
        select recurring
            ? master with
            {
                Recurrence = rule,
                ExcludedDates = exdates,
                AdditionalDates = rdates,
                Overrides = overrides.Select(o => o with { Uid = master.Uid }).ToValueList(),
            }
            : master;

    public static readonly Gen<TaskItem> Task =
        from uid in Token
        from summary in Text.OrNull()
        from description in Text.OrNull()
        from status in Gen.Enum<Connector.Domain.TaskStatus>()
        from exchangeStatus in Gen.OneOf("WaitingOnOthers", "Deferred").OrNull()
        from priority in Gen.Int[0, 9]
        from start in AnyTime.Select(t => (CalendarTime?)t).OrNull()
        from due in AnyTime.Select(t => (CalendarTime?)t).OrNull()
        from completed in UtcMoment.Select(m => (DateTime?)m).OrNull()
        from percent in Gen.Int[0, 100].Select(p => (int?)p).OrNull()
        from recurring in Gen.Bool
        from rule in Rule
        from reminders in Alarm.Array[0, 2]
        from categories in Token.Array[0, 3]
        from sensitivity in Gen.Enum<Sensitivity>()
        from extras in Extra.Array[0, 2]
        select new TaskItem
        {
            Uid = uid,
            Summary = summary,
            Description = description,
            Status = status,
            ExchangeStatus = exchangeStatus,
            Priority = priority,
            Start = start,
            Due = due,
            Completed = completed,
            PercentComplete = percent,
            Recurrence = recurring ? rule : null,
            Reminders = reminders,
            Categories = categories,
            Sensitivity = sensitivity,
            ExtraProperties = extras,
        };

    /// <summary>Null a quarter of the time.</summary>
    public static Gen<T?> OrNull<T>(this Gen<T> gen) =>
        Gen.Int[0, 3].SelectMany(n => n == 0 ? Gen.Const(default(T)) : gen.Select(v => (T?)v));
}
