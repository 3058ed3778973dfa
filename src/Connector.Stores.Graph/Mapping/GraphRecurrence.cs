using System.Globalization;
using Connector.Domain;
using Connector.Mapping.Text;
using Connector.Stores.Graph.Json;

namespace Connector.Stores.Graph.Mapping;

/// <summary>
/// Graph's patternedRecurrence ⇄ RRULE.
/// <list type="bullet">
/// <item>daily(n) ⇄ FREQ=DAILY;INTERVAL=n</item>
/// <item>weekly(n, days, firstDayOfWeek) ⇄ FREQ=WEEKLY;INTERVAL=n;BYDAY=days (WKST read only when INTERVAL &gt; 1, where it matters)</item>
/// <item>absoluteMonthly(n, d) ⇄ FREQ=MONTHLY;BYMONTHDAY=d</item>
/// <item>relativeMonthly(n, day, index) ⇄ FREQ=MONTHLY;BYDAY=index·day; several days ⇄ BYDAY=days;BYSETPOS=index</item>
/// <item>absoluteYearly(n, month, d) ⇄ FREQ=YEARLY;BYMONTH=month;BYMONTHDAY=d</item>
/// <item>relativeYearly(n, month, day, index) ⇄ FREQ=YEARLY;BYMONTH=month;BYDAY=index·day</item>
/// <item>range endDate ⇄ UNTIL (the last occurrence's start on that date, DTSTART's value type); numbered ⇄ COUNT; noEnd ⇄ neither.</item>
/// </list>
/// index first–fourth, last ⇄ 1–4, −1. A rule Graph cannot express (hourly, BYHOUR, several BYMONTHDAY, …) is refused
/// with a <see cref="MappingException"/> naming the part.
/// </summary>
internal static class GraphRecurrence
{
    public static RecurrenceRule Read(GraphPatternedRecurrence recurrence, CalendarTime start)
    {
        var p = recurrence.Pattern ?? throw new MappingException("recurrence has no pattern");
        var interval = Math.Max(1, p.Interval);
        var days = (p.DaysOfWeek ?? []).Select(ParseDay).ToList();
        var index = ParseIndex(p.Index);
        var rule = (p.Type ?? string.Empty).ToUpperInvariant() switch
        {
            "DAILY" => new RecurrenceRule { Frequency = RecurrenceFrequency.Daily, Interval = interval },
            "WEEKLY" => new RecurrenceRule
            {
                Frequency = RecurrenceFrequency.Weekly,
                Interval = interval,
                ByDay = days.Select(d => new WeekdayOccurrence(d)).ToValueList(),
                WeekStart = interval > 1 && p.FirstDayOfWeek is { } f ? ParseDay(f) : null,
            },
            "ABSOLUTEMONTHLY" => new RecurrenceRule { Frequency = RecurrenceFrequency.Monthly, Interval = interval, ByMonthDay = [ValidDay(p.DayOfMonth)] },
            "RELATIVEMONTHLY" => Relative(new RecurrenceRule { Frequency = RecurrenceFrequency.Monthly, Interval = interval }, days, index),
            "ABSOLUTEYEARLY" => new RecurrenceRule { Frequency = RecurrenceFrequency.Yearly, Interval = interval, ByMonth = [ValidMonth(p.Month)], ByMonthDay = [ValidDay(p.DayOfMonth)] },
            "RELATIVEYEARLY" => Relative(new RecurrenceRule { Frequency = RecurrenceFrequency.Yearly, Interval = interval, ByMonth = [ValidMonth(p.Month)] }, days, index),
            _ => throw new MappingException($"recurrence pattern type \"{p.Type}\" is not daily, weekly, absoluteMonthly, relativeMonthly, absoluteYearly or relativeYearly"),
        };

        var range = recurrence.Range;
        switch ((range?.Type ?? "noEnd").ToUpperInvariant())
        {
            case "ENDDATE":
                var end = ParseDate(range!.EndDate, "recurrence range endDate");
                return rule with { Until = UntilOn(end, start) };
            case "NUMBERED":
                if (range!.NumberOfOccurrences < 1)
                {
                    throw new MappingException($"recurrence range numberOfOccurrences {range.NumberOfOccurrences} is not positive");
                }

                return rule with { Count = range.NumberOfOccurrences };
            case "NOEND":
                return rule;
            default:
                throw new MappingException($"recurrence range type \"{range!.Type}\" is not endDate, numbered or noEnd");
        }
    }

    /// <summary>The rule as Graph's patternedRecurrence for a series starting at <paramref name="start"/>.</summary>
    public static GraphPatternedRecurrence Write(RecurrenceRule rule, CalendarTime start, string? fallbackZone)
    {
        if (!rule.OtherParts.IsEmpty)
        {
            throw new MappingException($"RRULE part {rule.OtherParts[0]} has no Graph pattern");
        }

        Reject(!rule.ByHour.IsEmpty || !rule.ByMinute.IsEmpty || !rule.BySecond.IsEmpty || !rule.ByYearDay.IsEmpty || !rule.ByWeekNumber.IsEmpty,
            "BYHOUR, BYMINUTE, BYSECOND, BYYEARDAY and BYWEEKNO have no Graph pattern");
        var zone = GraphTime.ZoneOf(start, fallbackZone);
        var startDate = DateOnly.FromDateTime(start.Value);
        var pattern = new GraphRecurrencePattern { Interval = rule.Interval, FirstDayOfWeek = DayName(rule.WeekStart ?? DayOfWeek.Monday) };
        switch (rule.Frequency)
        {
            case RecurrenceFrequency.Daily:
                Reject(!rule.ByMonthDay.IsEmpty || !rule.ByMonth.IsEmpty || !rule.BySetPosition.IsEmpty, "FREQ=DAILY with BYMONTHDAY, BYMONTH or BYSETPOS has no Graph pattern");
                if (!rule.ByDay.IsEmpty)
                {
                    // Every weekday: Graph expresses it as weekly on those days.
                    Reject(rule.Interval != 1 || rule.ByDay.Any(d => d.Ordinal != 0), "FREQ=DAILY with BYDAY is only representable with INTERVAL=1 and plain weekdays");
                    pattern.Type = "weekly";
                    pattern.DaysOfWeek = [.. rule.ByDay.Select(d => DayName(d.Day))];
                }
                else
                {
                    pattern.Type = "daily";
                }

                break;
            case RecurrenceFrequency.Weekly:
                Reject(!rule.ByMonthDay.IsEmpty || !rule.ByMonth.IsEmpty || !rule.BySetPosition.IsEmpty, "FREQ=WEEKLY with BYMONTHDAY, BYMONTH or BYSETPOS has no Graph pattern");
                Reject(rule.ByDay.Any(d => d.Ordinal != 0), "FREQ=WEEKLY with ordinal weekdays is not valid");
                pattern.Type = "weekly";
                pattern.DaysOfWeek = rule.ByDay.IsEmpty ? [DayName(startDate.DayOfWeek)] : [.. rule.ByDay.Select(d => DayName(d.Day))];
                break;
            case RecurrenceFrequency.Monthly:
                Reject(!rule.ByMonth.IsEmpty, "FREQ=MONTHLY with BYMONTH has no Graph pattern");
                MonthPart(rule, startDate, pattern, "Monthly");
                break;
            case RecurrenceFrequency.Yearly:
                Reject(rule.ByMonth.Count > 1, "FREQ=YEARLY with several BYMONTH values has no Graph pattern");
                pattern.Month = rule.ByMonth.IsEmpty ? startDate.Month : rule.ByMonth[0];
                MonthPart(rule, startDate, pattern, "Yearly");
                break;
            default:
                throw new MappingException($"FREQ={rule.Frequency.ToString().ToUpperInvariant()} has no Graph pattern");
        }

        var range = new GraphRecurrenceRange
        {
            StartDate = FormatDate(startDate),
            RecurrenceTimeZone = GraphTime.ToGraphZone(zone) ?? "UTC",
        };
        if (rule.Count is int count)
        {
            range.Type = "numbered";
            range.NumberOfOccurrences = count;
        }
        else if (rule.Until is { } until)
        {
            range.Type = "endDate";
            range.EndDate = FormatDate(until.Kind switch
            {
                CalendarTimeKind.Date => until.Date,
                CalendarTimeKind.Utc when !GraphTime.IsUtc(zone) => DateOnly.FromDateTime(GraphTime.FromUtc(until.Value, zone)),
                _ => DateOnly.FromDateTime(until.Value),
            });
        }
        else
        {
            range.Type = "noEnd";
        }

        return new GraphPatternedRecurrence { Pattern = pattern, Range = range };
    }

    /// <summary>UNTIL for an end date: the last possible occurrence's start on that day, in DTSTART's value type (UTC for zoned starts, RFC 5545).</summary>
    public static CalendarTime UntilOn(DateOnly endDate, CalendarTime start) => start.Kind switch
    {
        CalendarTimeKind.Date => CalendarTime.FromDate(endDate),
        CalendarTimeKind.Floating => CalendarTime.Floating(endDate.ToDateTime(TimeOnly.FromTimeSpan(start.Value.TimeOfDay))),
        CalendarTimeKind.Utc => CalendarTime.FromUtc(endDate.ToDateTime(TimeOnly.FromTimeSpan(start.Value.TimeOfDay))),
        _ => CalendarTime.FromUtc(GraphTime.ToUtc(endDate.ToDateTime(TimeOnly.FromTimeSpan(start.Value.TimeOfDay)), start.TimeZoneId!)),
    };

    private static void MonthPart(RecurrenceRule rule, DateOnly startDate, GraphRecurrencePattern pattern, string suffix)
    {
        if (rule.ByDay.IsEmpty)
        {
            Reject(!rule.BySetPosition.IsEmpty, "BYSETPOS without BYDAY has no Graph pattern");
            Reject(rule.ByMonthDay.Count > 1, "several BYMONTHDAY values have no Graph pattern");
            var day = rule.ByMonthDay.IsEmpty ? startDate.Day : rule.ByMonthDay[0];
            Reject(day is < 1 or > 31, $"BYMONTHDAY={day} has no Graph pattern (only 1-31)");
            pattern.Type = "absolute" + suffix;
            pattern.DayOfMonth = day;
            return;
        }

        Reject(!rule.ByMonthDay.IsEmpty, "BYDAY with BYMONTHDAY has no Graph pattern");
        pattern.Type = "relative" + suffix;
        if (rule.ByDay.Count == 1 && rule.ByDay[0].Ordinal != 0)
        {
            Reject(!rule.BySetPosition.IsEmpty, "BYSETPOS with an ordinal BYDAY has no Graph pattern");
            pattern.DaysOfWeek = [DayName(rule.ByDay[0].Day)];
            pattern.Index = IndexName(rule.ByDay[0].Ordinal);
            return;
        }

        Reject(rule.ByDay.Any(d => d.Ordinal != 0), "several ordinal weekdays have no Graph pattern");
        Reject(rule.BySetPosition.Count != 1, "BYDAY without an ordinal needs exactly one BYSETPOS for Graph");
        pattern.DaysOfWeek = [.. rule.ByDay.Select(d => DayName(d.Day))];
        pattern.Index = IndexName(rule.BySetPosition[0]);
    }

    private static RecurrenceRule Relative(RecurrenceRule rule, List<DayOfWeek> days, int index)
    {
        if (days.Count == 0)
        {
            throw new MappingException("a relative recurrence pattern has no daysOfWeek");
        }

        return days.Count == 1
            ? rule with { ByDay = [new WeekdayOccurrence(days[0], index)] }
            : rule with { ByDay = days.Select(d => new WeekdayOccurrence(d)).ToValueList(), BySetPosition = [index] };
    }

    public static DayOfWeek ParseDay(string day) => day.ToUpperInvariant() switch
    {
        "SUNDAY" => DayOfWeek.Sunday,
        "MONDAY" => DayOfWeek.Monday,
        "TUESDAY" => DayOfWeek.Tuesday,
        "WEDNESDAY" => DayOfWeek.Wednesday,
        "THURSDAY" => DayOfWeek.Thursday,
        "FRIDAY" => DayOfWeek.Friday,
        "SATURDAY" => DayOfWeek.Saturday,
        _ => throw new MappingException($"\"{day}\" is not a day of the week"),
    };

    private static string DayName(DayOfWeek day) => day.ToString().ToLowerInvariant();

    private static int ParseIndex(string? index) => (index ?? "first").ToUpperInvariant() switch
    {
        "FIRST" => 1,
        "SECOND" => 2,
        "THIRD" => 3,
        "FOURTH" => 4,
        "LAST" => -1,
        _ => throw new MappingException($"recurrence index \"{index}\" is not first, second, third, fourth or last"),
    };

    private static string IndexName(int ordinal) => ordinal switch
    {
        1 => "first",
        2 => "second",
        3 => "third",
        4 => "fourth",
        -1 => "last",
        _ => throw new MappingException($"occurrence {ordinal} in the month has no Graph index (first-fourth, last)"),
    };

    private static int ValidDay(int day) => day is >= 1 and <= 31 ? day : throw new MappingException($"recurrence dayOfMonth {day} is not 1-31");

    private static int ValidMonth(int month) => month is >= 1 and <= 12 ? month : throw new MappingException($"recurrence month {month} is not 1-12");

    public static DateOnly ParseDate(string? text, string what) =>
        text is not null && DateOnly.TryParseExact(text.Length > 10 ? text[..10] : text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
            ? date
            : throw new MappingException($"{what} \"{text}\" is not a date");

    public static string FormatDate(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static void Reject(bool condition, string reason)
    {
        if (condition)
        {
            throw new MappingException(reason);
        }
    }
}
