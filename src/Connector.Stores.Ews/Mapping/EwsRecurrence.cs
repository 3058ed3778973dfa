using System.Xml;
using Connector.Domain;
using Connector.Mapping.Text;

namespace Connector.Stores.Ews.Mapping;

/// <summary>The EWS recurrence pattern elements.</summary>
public enum EwsPatternKind
{
    DailyRecurrence,
    WeeklyRecurrence,
    AbsoluteMonthlyRecurrence,
    RelativeMonthlyRecurrence,
    AbsoluteYearlyRecurrence,
    RelativeYearlyRecurrence,
}

/// <summary>
/// One EWS recurrence pattern with its range. <see cref="DaysOfWeek"/> holds EWS day words
/// (Sunday…Saturday, Day, Weekday, WeekendDay); <see cref="DayOfWeekIndex"/> is 1-4 or -1 (Last).
/// </summary>
public sealed record EwsPattern
{
    public required EwsPatternKind Kind { get; init; }

    public int Interval { get; init; } = 1;

    public ValueList<string> DaysOfWeek { get; init; }

    public DayOfWeek? FirstDayOfWeek { get; init; }

    public int DayOfMonth { get; init; }

    public int DayOfWeekIndex { get; init; }

    public int Month { get; init; }

    /// <summary>NumberedRecurrence; null with <see cref="EndDate"/> null means NoEndRecurrence.</summary>
    public int? NumberOfOccurrences { get; init; }

    /// <summary>EndDateRecurrence (inclusive, a date in the series' zone).</summary>
    public DateOnly? EndDate { get; init; }
}

/// <summary>
/// EWS recurrence patterns ⇄ <see cref="RecurrenceRule"/>. The table (both ways):
/// <list type="bullet">
/// <item>DailyRecurrence(n) ⇄ FREQ=DAILY;INTERVAL=n (DAILY;BYDAY=… with interval 1 is written as WeeklyRecurrence).</item>
/// <item>WeeklyRecurrence(n, days, FirstDayOfWeek) ⇄ FREQ=WEEKLY;INTERVAL=n;BYDAY=days;WKST (Weekday/WeekendDay/Day read as their days).</item>
/// <item>AbsoluteMonthlyRecurrence(n, d) ⇄ FREQ=MONTHLY;INTERVAL=n;BYMONTHDAY=d (d 1-31).</item>
/// <item>RelativeMonthlyRecurrence(n, day, idx) ⇄ FREQ=MONTHLY;BYDAY=idx·day (idx 1-4, -1); for Day/Weekday/WeekendDay
/// ⇄ BYDAY=the days;BYSETPOS=idx. BYMONTHDAY=-1 is written as Day/Last.</item>
/// <item>AbsoluteYearlyRecurrence(d, m) ⇄ FREQ=YEARLY;BYMONTH=m;BYMONTHDAY=d; RelativeYearlyRecurrence likewise with BYDAY.</item>
/// <item>NoEndRecurrence ⇄ neither COUNT nor UNTIL; NumberedRecurrence ⇄ COUNT; EndDateRecurrence ⇄ UNTIL (the caller turns the date into UNTIL of DTSTART's type).</item>
/// </list>
/// A rule missing BYDAY/BYMONTHDAY/BYMONTH takes them from the series start, so it reads back explicit.
/// Anything else (HOURLY and finer, BYYEARDAY, BYWEEKNO, BYHOUR…, several BYMONTHDAY, fifth weekdays,
/// BYSETPOS outside the forms above, yearly INTERVAL&gt;1, unknown rule parts) is a <see cref="MappingException"/>.
/// </summary>
public static class EwsRecurrence
{
    private static readonly DayOfWeek[] Weekdays = [DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday];
    private static readonly DayOfWeek[] WeekendDays = [DayOfWeek.Saturday, DayOfWeek.Sunday];
    private static readonly DayOfWeek[] AllDays = [.. Weekdays, .. WeekendDays];

    private static readonly string[] MonthNames =
        ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];

    /// <summary>The rule Exchange holds for a pattern; UNTIL is left to the caller (see <see cref="EwsPattern.EndDate"/>).</summary>
    public static RecurrenceRule ToRule(EwsPattern p)
    {
        var rule = new RecurrenceRule { Frequency = RecurrenceFrequency.Daily, Interval = Math.Max(1, p.Interval), Count = p.NumberOfOccurrences };
        return p.Kind switch
        {
            EwsPatternKind.DailyRecurrence => rule,
            EwsPatternKind.WeeklyRecurrence => rule with
            {
                Frequency = RecurrenceFrequency.Weekly,
                ByDay = p.DaysOfWeek.SelectMany(ExpandDays).Distinct().Select(d => new WeekdayOccurrence(d)).ToValueList(),
                WeekStart = p.FirstDayOfWeek,
            },
            EwsPatternKind.AbsoluteMonthlyRecurrence => rule with { Frequency = RecurrenceFrequency.Monthly, ByMonthDay = [p.DayOfMonth] },
            EwsPatternKind.RelativeMonthlyRecurrence => Relative(rule with { Frequency = RecurrenceFrequency.Monthly }, p),
            EwsPatternKind.AbsoluteYearlyRecurrence => rule with { Frequency = RecurrenceFrequency.Yearly, Interval = 1, ByMonth = [p.Month], ByMonthDay = [p.DayOfMonth] },
            _ => Relative(rule with { Frequency = RecurrenceFrequency.Yearly, Interval = 1, ByMonth = [p.Month] }, p),
        };
    }

    /// <summary>The pattern for a rule whose series starts on <paramref name="start"/>; throws when Exchange cannot hold it.</summary>
    public static EwsPattern ToPattern(RecurrenceRule rule, DateOnly start, DateOnly? endDate)
    {
        Reject(rule.Frequency is RecurrenceFrequency.Secondly or RecurrenceFrequency.Minutely or RecurrenceFrequency.Hourly,
            $"FREQ={rule.Frequency.ToString().ToUpperInvariant()} has no Exchange recurrence pattern");
        Reject(!rule.ByYearDay.IsEmpty || !rule.ByWeekNumber.IsEmpty || !rule.ByHour.IsEmpty || !rule.ByMinute.IsEmpty || !rule.BySecond.IsEmpty,
            "BYYEARDAY, BYWEEKNO, BYHOUR, BYMINUTE and BYSECOND have no Exchange recurrence pattern");
        Reject(!rule.OtherParts.IsEmpty, $"rule part {(rule.OtherParts.IsEmpty ? string.Empty : rule.OtherParts[0])} has no Exchange equivalent");
        Reject(rule.Count is not null && rule.Until is not null, "a rule cannot have both COUNT and UNTIL");
        Reject(rule.Count is <= 0, "COUNT must be positive");
        Reject(rule.Interval < 1 || rule.Interval > 999, $"INTERVAL={rule.Interval} is out of Exchange's range");

        var pattern = rule.Frequency switch
        {
            RecurrenceFrequency.Daily => Daily(rule),
            RecurrenceFrequency.Weekly => Weekly(rule, start),
            RecurrenceFrequency.Monthly => Monthly(rule, start),
            _ => Yearly(rule, start),
        };
        return pattern with { NumberOfOccurrences = rule.Count, EndDate = rule.Count is null ? endDate : null };
    }

    internal static EwsPattern? Read(XmlReader reader, bool task, string item)
    {
        EwsPattern? pattern = null;
        EwsItemXml.ReadChildren(reader, name =>
        {
            switch (name)
            {
                case "DailyRecurrence" or "WeeklyRecurrence" or "AbsoluteMonthlyRecurrence" or "RelativeMonthlyRecurrence"
                    or "AbsoluteYearlyRecurrence" or "RelativeYearlyRecurrence":
                    pattern = ReadPattern(reader, Enum.Parse<EwsPatternKind>(name));
                    break;
                case "DailyRegeneration" or "WeeklyRegeneration" or "MonthlyRegeneration" or "YearlyRegeneration" when task:
                    throw new MappingException($"regenerating task recurrence ({name}: the next task is due a period after the previous one is completed) has no iCalendar equivalent", null, item);
                case "NoEndRecurrence":
                    reader.Skip();
                    break;
                case "EndDateRecurrence":
                    var endDate = default(DateOnly?);
                    EwsItemXml.ReadChildren(reader, n =>
                    {
                        if (n == "EndDate")
                        {
                            endDate = EwsItemXml.ParseDate(reader.ReadElementContentAsString(), "EndDate");
                        }
                        else
                        {
                            reader.Skip();
                        }
                    });
                    pattern = (pattern ?? throw Missing(item)) with { EndDate = endDate ?? throw new MappingException("EndDateRecurrence has no EndDate", null, item) };
                    break;
                case "NumberedRecurrence":
                    var count = default(int?);
                    EwsItemXml.ReadChildren(reader, n =>
                    {
                        if (n == "NumberOfOccurrences")
                        {
                            count = EwsItemXml.ParseInt(reader.ReadElementContentAsString(), "NumberOfOccurrences");
                        }
                        else
                        {
                            reader.Skip();
                        }
                    });
                    pattern = (pattern ?? throw Missing(item)) with { NumberOfOccurrences = count ?? throw new MappingException("NumberedRecurrence has no NumberOfOccurrences", null, item) };
                    break;
                default:
                    throw new MappingException($"unknown recurrence element {name}", null, item);
            }
        });
        return pattern ?? throw Missing(item);
    }

    internal static void Write(XmlWriter w, EwsPattern p, DateOnly start)
    {
        const string ns = EwsFields.TypesNamespace;
        w.WriteStartElement(p.Kind.ToString(), ns);
        if (p.Kind is not (EwsPatternKind.AbsoluteYearlyRecurrence or EwsPatternKind.RelativeYearlyRecurrence))
        {
            w.WriteElementString("Interval", ns, EwsItemXml.FormatInt(p.Interval));
        }

        switch (p.Kind)
        {
            case EwsPatternKind.WeeklyRecurrence:
                w.WriteElementString("DaysOfWeek", ns, string.Join(' ', p.DaysOfWeek));
                if (p.FirstDayOfWeek is { } first)
                {
                    w.WriteElementString("FirstDayOfWeek", ns, first.ToString());
                }

                break;
            case EwsPatternKind.AbsoluteMonthlyRecurrence:
                w.WriteElementString("DayOfMonth", ns, EwsItemXml.FormatInt(p.DayOfMonth));
                break;
            case EwsPatternKind.RelativeMonthlyRecurrence or EwsPatternKind.RelativeYearlyRecurrence:
                w.WriteElementString("DaysOfWeek", ns, p.DaysOfWeek[0]);
                w.WriteElementString("DayOfWeekIndex", ns, IndexName(p.DayOfWeekIndex));
                if (p.Kind == EwsPatternKind.RelativeYearlyRecurrence)
                {
                    w.WriteElementString("Month", ns, MonthNames[p.Month - 1]);
                }

                break;
            case EwsPatternKind.AbsoluteYearlyRecurrence:
                w.WriteElementString("DayOfMonth", ns, EwsItemXml.FormatInt(p.DayOfMonth));
                w.WriteElementString("Month", ns, MonthNames[p.Month - 1]);
                break;
        }

        w.WriteEndElement();
        var range = p.NumberOfOccurrences is not null ? "NumberedRecurrence" : p.EndDate is not null ? "EndDateRecurrence" : "NoEndRecurrence";
        w.WriteStartElement(range, ns);
        w.WriteElementString("StartDate", ns, EwsItemXml.FormatDate(start));
        if (p.NumberOfOccurrences is int n)
        {
            w.WriteElementString("NumberOfOccurrences", ns, EwsItemXml.FormatInt(n));
        }
        else if (p.EndDate is { } end)
        {
            w.WriteElementString("EndDate", ns, EwsItemXml.FormatDate(end));
        }

        w.WriteEndElement();
    }

    private static EwsPattern ReadPattern(XmlReader reader, EwsPatternKind kind)
    {
        var p = new EwsPattern { Kind = kind };
        EwsItemXml.ReadChildren(reader, name =>
        {
            var text = reader.ReadElementContentAsString().Trim();
            p = name switch
            {
                "Interval" => p with { Interval = EwsItemXml.ParseInt(text, name) },
                "DaysOfWeek" => p with { DaysOfWeek = text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(d => ValidDay(d)).ToValueList() },
                "FirstDayOfWeek" => p with { FirstDayOfWeek = EwsItemXml.ParseEnum<DayOfWeek>(text, name) },
                "DayOfMonth" => p with { DayOfMonth = EwsItemXml.ParseInt(text, name) },
                "DayOfWeekIndex" => p with { DayOfWeekIndex = ParseIndex(text) },
                "Month" => p with { Month = Array.IndexOf(MonthNames, text) is var m and >= 0 ? m + 1 : throw new MappingException($"Month '{EwsItemXml.Shorten(text)}' is not a month name") },
                _ => p,
            };
        });
        Reject(p.Interval < 1, $"{kind} has Interval {p.Interval}");
        Reject(kind is EwsPatternKind.WeeklyRecurrence && p.DaysOfWeek.IsEmpty, "WeeklyRecurrence has no DaysOfWeek");
        Reject(kind is EwsPatternKind.RelativeMonthlyRecurrence or EwsPatternKind.RelativeYearlyRecurrence && (p.DaysOfWeek.Count != 1 || p.DayOfWeekIndex == 0),
            $"{kind} needs one DaysOfWeek and a DayOfWeekIndex");
        Reject(kind is EwsPatternKind.AbsoluteMonthlyRecurrence or EwsPatternKind.AbsoluteYearlyRecurrence && p.DayOfMonth is < 1 or > 31,
            $"{kind} has DayOfMonth {p.DayOfMonth}");
        Reject(kind is EwsPatternKind.AbsoluteYearlyRecurrence or EwsPatternKind.RelativeYearlyRecurrence && p.Month == 0, $"{kind} has no Month");
        return p;
    }

    private static RecurrenceRule Relative(RecurrenceRule rule, EwsPattern p)
    {
        var word = p.DaysOfWeek[0];
        return word is "Day" or "Weekday" or "WeekendDay"
            ? rule with { ByDay = ExpandDays(word).Select(d => new WeekdayOccurrence(d)).ToValueList(), BySetPosition = [p.DayOfWeekIndex] }
            : rule with { ByDay = [new WeekdayOccurrence(Enum.Parse<DayOfWeek>(word), p.DayOfWeekIndex)] };
    }

    private static EwsPattern Daily(RecurrenceRule rule)
    {
        Reject(!rule.ByMonthDay.IsEmpty || !rule.ByMonth.IsEmpty || !rule.BySetPosition.IsEmpty, "FREQ=DAILY with BYMONTHDAY, BYMONTH or BYSETPOS has no Exchange pattern");
        if (rule.ByDay.IsEmpty)
        {
            return new EwsPattern { Kind = EwsPatternKind.DailyRecurrence, Interval = rule.Interval };
        }

        Reject(rule.Interval != 1 || rule.ByDay.Any(d => d.Ordinal != 0), "FREQ=DAILY with BYDAY is only representable with INTERVAL=1 and plain weekdays");
        return new EwsPattern { Kind = EwsPatternKind.WeeklyRecurrence, DaysOfWeek = rule.ByDay.Select(d => d.Day.ToString()).Distinct().ToValueList(), FirstDayOfWeek = rule.WeekStart };
    }

    private static EwsPattern Weekly(RecurrenceRule rule, DateOnly start)
    {
        Reject(!rule.ByMonthDay.IsEmpty || !rule.ByMonth.IsEmpty || !rule.BySetPosition.IsEmpty, "FREQ=WEEKLY with BYMONTHDAY, BYMONTH or BYSETPOS has no Exchange pattern");
        Reject(rule.ByDay.Any(d => d.Ordinal != 0), "FREQ=WEEKLY with ordinal weekdays is not valid");
        var days = rule.ByDay.IsEmpty ? [start.DayOfWeek] : rule.ByDay.Select(d => d.Day).Distinct().ToArray();
        return new EwsPattern
        {
            Kind = EwsPatternKind.WeeklyRecurrence,
            Interval = rule.Interval,
            DaysOfWeek = days.Select(d => d.ToString()).ToValueList(),
            FirstDayOfWeek = rule.WeekStart,
        };
    }

    private static EwsPattern Monthly(RecurrenceRule rule, DateOnly start)
    {
        Reject(!rule.ByMonth.IsEmpty, "FREQ=MONTHLY with BYMONTH has no Exchange pattern");
        var (kind, day, words, index) = DayPart(rule, start);
        return new EwsPattern
        {
            Kind = kind == 0 ? EwsPatternKind.AbsoluteMonthlyRecurrence : EwsPatternKind.RelativeMonthlyRecurrence,
            Interval = rule.Interval,
            DayOfMonth = day,
            DaysOfWeek = words,
            DayOfWeekIndex = index,
        };
    }

    private static EwsPattern Yearly(RecurrenceRule rule, DateOnly start)
    {
        Reject(rule.Interval != 1, $"FREQ=YEARLY;INTERVAL={rule.Interval}: EWS yearly patterns have no interval");
        Reject(rule.ByMonth.Count > 1, "FREQ=YEARLY with several BYMONTH values has no Exchange pattern");
        var month = rule.ByMonth.IsEmpty ? start.Month : rule.ByMonth[0];
        Reject(month is < 1 or > 12, $"BYMONTH={month} is not a month");
        var (kind, day, words, index) = DayPart(rule, start);
        return new EwsPattern
        {
            Kind = kind == 0 ? EwsPatternKind.AbsoluteYearlyRecurrence : EwsPatternKind.RelativeYearlyRecurrence,
            Month = month,
            DayOfMonth = day,
            DaysOfWeek = words,
            DayOfWeekIndex = index,
        };
    }

    /// <summary>The day-in-month part of a monthly/yearly rule: (0, day) absolute, or (1, day word, index) relative.</summary>
    private static (int Kind, int Day, ValueList<string> Words, int Index) DayPart(RecurrenceRule rule, DateOnly start)
    {
        if (rule.ByDay.IsEmpty)
        {
            Reject(!rule.BySetPosition.IsEmpty, "BYSETPOS without BYDAY has no Exchange pattern");
            Reject(rule.ByMonthDay.Count > 1, "several BYMONTHDAY values have no Exchange pattern");
            var day = rule.ByMonthDay.IsEmpty ? start.Day : rule.ByMonthDay[0];
            if (day == -1)
            {
                return (1, 0, ["Day"], -1);
            }

            Reject(day is < 1 or > 31, $"BYMONTHDAY={day} has no Exchange pattern (only 1-31 and -1)");
            return (0, day, [], 0);
        }

        Reject(!rule.ByMonthDay.IsEmpty, "BYDAY together with BYMONTHDAY has no Exchange pattern");
        if (rule.ByDay.Count == 1 && rule.ByDay[0].Ordinal != 0)
        {
            Reject(!rule.BySetPosition.IsEmpty, "BYSETPOS with an ordinal BYDAY has no Exchange pattern");
            return (1, 0, [rule.ByDay[0].Day.ToString()], ValidIndex(rule.ByDay[0].Ordinal));
        }

        Reject(rule.ByDay.Any(d => d.Ordinal != 0), "several ordinal weekdays have no Exchange pattern");
        Reject(rule.BySetPosition.Count != 1, "BYDAY without an ordinal needs exactly one BYSETPOS for Exchange");
        var set = rule.ByDay.Select(d => d.Day).ToHashSet();
        var word = set.Count == 1 ? set.First().ToString()
            : set.SetEquals(AllDays) ? "Day"
            : set.SetEquals(Weekdays) ? "Weekday"
            : set.SetEquals(WeekendDays) ? "WeekendDay"
            : throw new MappingException($"BYSETPOS over the days {string.Join(',', set.Order())} has no Exchange pattern (only one day, all days, weekdays or weekend days)");
        return (1, 0, [word], ValidIndex(rule.BySetPosition[0]));
    }

    private static int ValidIndex(int ordinal)
    {
        Reject(ordinal is not (1 or 2 or 3 or 4 or -1), $"occurrence {ordinal} in the month has no Exchange DayOfWeekIndex (First-Fourth, Last)");
        return ordinal;
    }

    private static IEnumerable<DayOfWeek> ExpandDays(string word) => word switch
    {
        "Day" => AllDays,
        "Weekday" => Weekdays,
        "WeekendDay" => WeekendDays,
        _ => [Enum.Parse<DayOfWeek>(word)],
    };

    private static string ValidDay(string word) =>
        word is "Day" or "Weekday" or "WeekendDay" || Enum.TryParse<DayOfWeek>(word, out _) && !char.IsDigit(word[0])
            ? word
            : throw new MappingException($"DaysOfWeek '{EwsItemXml.Shorten(word)}' is not a day");

    private static int ParseIndex(string text) => text switch
    {
        "First" => 1,
        "Second" => 2,
        "Third" => 3,
        "Fourth" => 4,
        "Last" => -1,
        _ => throw new MappingException($"DayOfWeekIndex '{EwsItemXml.Shorten(text)}' is not First-Fourth or Last"),
    };

    private static string IndexName(int index) => index switch
    {
        1 => "First",
        2 => "Second",
        3 => "Third",
        4 => "Fourth",
        _ => "Last",
    };

    private static MappingException Missing(string item) => new("Recurrence has no pattern or no range", null, item);

    private static void Reject(bool condition, string reason)
    {
        if (condition)
        {
            throw new MappingException(reason);
        }
    }
}
