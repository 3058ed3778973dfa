using System.Globalization;
using System.Xml.Linq;
using static Connector.Emulator.Ews.EwsNames;

namespace Connector.Emulator.Store.Calendar;

/// <summary>The EWS recurrence pattern kinds (RecurrencePatternTypes, plus task regeneration).</summary>
internal enum PatternKind
{
    Daily,
    Weekly,
    AbsoluteMonthly,
    RelativeMonthly,
    AbsoluteYearly,
    RelativeYearly,
    DailyRegeneration,
    WeeklyRegeneration,
    MonthlyRegeneration,
    YearlyRegeneration,
}

/// <summary>The EWS recurrence range kinds.</summary>
internal enum RangeKind
{
    NoEnd,
    EndDate,
    Numbered,
}

/// <summary>
/// A parsed t:Recurrence (RecurrenceType / TaskRecurrenceType) that enumerates occurrence dates.
/// Expansion follows Outlook: monthly day 31 falls on the last day of shorter months; weekly
/// weeks start on FirstDayOfWeek (default Sunday); an open-ended series stops at year 4500.
/// </summary>
internal sealed class RecurrencePattern
{
    private static readonly DateOnly Horizon = new(4500, 12, 31);

    private RecurrencePattern()
    {
    }

    public PatternKind Kind { get; private init; }

    public int Interval { get; private init; } = 1;

    /// <summary>Weekly: the days; relative patterns: the days matching the DaysOfWeek token (Day, Weekday, …).</summary>
    public IReadOnlyList<DayOfWeek> Days { get; private init; } = [];

    /// <summary>Relative patterns: 1..4, or 5 for Last.</summary>
    public int WeekIndex { get; private init; }

    public int DayOfMonth { get; private init; }

    public int Month { get; private init; }

    public DayOfWeek FirstDayOfWeek { get; private init; } = DayOfWeek.Sunday;

    public RangeKind Range { get; private init; }

    public DateOnly StartDate { get; private init; }

    public DateOnly? EndDate { get; private init; }

    public int? NumberOfOccurrences { get; private init; }

    public bool IsRegenerating => Kind is PatternKind.DailyRegeneration or PatternKind.WeeklyRegeneration
        or PatternKind.MonthlyRegeneration or PatternKind.YearlyRegeneration;

    /// <summary>Parses a schema-valid t:Recurrence element; invalid values give ErrorCalendarInvalidRecurrence.</summary>
    public static RecurrencePattern Parse(XElement recurrence)
    {
        var elements = recurrence.Elements().ToList();
        if (elements.Count != 2)
        {
            throw Invalid("a recurrence needs one pattern and one range");
        }

        var pattern = elements[0];
        var range = elements[1];
        var kind = pattern.Name.LocalName switch
        {
            "DailyRecurrence" => PatternKind.Daily,
            "WeeklyRecurrence" => PatternKind.Weekly,
            "AbsoluteMonthlyRecurrence" => PatternKind.AbsoluteMonthly,
            "RelativeMonthlyRecurrence" => PatternKind.RelativeMonthly,
            "AbsoluteYearlyRecurrence" => PatternKind.AbsoluteYearly,
            "RelativeYearlyRecurrence" => PatternKind.RelativeYearly,
            "DailyRegeneration" => PatternKind.DailyRegeneration,
            "WeeklyRegeneration" => PatternKind.WeeklyRegeneration,
            "MonthlyRegeneration" => PatternKind.MonthlyRegeneration,
            "YearlyRegeneration" => PatternKind.YearlyRegeneration,
            _ => throw Invalid($"unknown pattern {pattern.Name.LocalName}"),
        };

        var interval = Int(pattern, "Interval") ?? 1;
        var daysText = pattern.Element(T + "DaysOfWeek")?.Value;
        var days = daysText is null ? [] : ExpandDays(daysText);
        var weekIndex = pattern.Element(T + "DayOfWeekIndex")?.Value switch
        {
            null => 0,
            "First" => 1,
            "Second" => 2,
            "Third" => 3,
            "Fourth" => 4,
            _ => 5,
        };
        var month = pattern.Element(T + "Month")?.Value is { } monthName
            ? DateTime.ParseExact(monthName, "MMMM", CultureInfo.InvariantCulture).Month
            : 0;
        var dayOfMonth = Int(pattern, "DayOfMonth") ?? 0;
        var firstDay = pattern.Element(T + "FirstDayOfWeek")?.Value is { } first ? Enum.Parse<DayOfWeek>(first) : DayOfWeek.Sunday;

        if (interval < 1 || interval > 999)
        {
            throw Invalid("Interval must be 1..999");
        }

        if (kind is PatternKind.AbsoluteMonthly or PatternKind.AbsoluteYearly && dayOfMonth is < 1 or > 31)
        {
            throw Invalid("DayOfMonth must be 1..31");
        }

        if (kind == PatternKind.Weekly && days.Count == 0)
        {
            throw new EwsException("ErrorCalendarInvalidDayForWeeklyRecurrence", "The day of the week is invalid for a weekly recurrence.");
        }

        var rangeKind = range.Name.LocalName switch
        {
            "NoEndRecurrence" => RangeKind.NoEnd,
            "EndDateRecurrence" => RangeKind.EndDate,
            _ => RangeKind.Numbered,
        };
        var startDate = ParseDate(range.Element(T + "StartDate")!.Value);
        DateOnly? endDate = range.Element(T + "EndDate") is { } end ? ParseDate(end.Value) : null;
        var count = Int(range, "NumberOfOccurrences");
        if (rangeKind == RangeKind.Numbered && count is < 1 or > 999)
        {
            throw Invalid("NumberOfOccurrences must be 1..999");
        }

        if (endDate is { } e && e < startDate)
        {
            throw Invalid("EndDate is before StartDate");
        }

        return new RecurrencePattern
        {
            Kind = kind,
            Interval = interval,
            Days = days,
            WeekIndex = weekIndex,
            DayOfMonth = dayOfMonth,
            Month = month,
            FirstDayOfWeek = firstDay,
            Range = rangeKind,
            StartDate = startDate,
            EndDate = endDate,
            NumberOfOccurrences = count,
        };
    }

    /// <summary>xs:date, with or without a zone suffix ("2013-09-23", "2013-09-23-07:00", "2013-09-23Z").</summary>
    public static DateOnly ParseDate(string text)
    {
        var trimmed = text.Trim();
        return DateOnly.ParseExact(trimmed[..10], "yyyy-MM-dd", CultureInfo.InvariantCulture);
    }

    /// <summary>Occurrence dates in order, bounded by the range (and year 4500 for open series).</summary>
    public IEnumerable<DateOnly> Dates()
    {
        var produced = 0;
        foreach (var date in Candidates())
        {
            if (date < StartDate)
            {
                continue;
            }

            if (date > (EndDate ?? Horizon))
            {
                yield break;
            }

            if (Range == RangeKind.Numbered && produced >= NumberOfOccurrences)
            {
                yield break;
            }

            produced++;
            yield return date;
        }
    }

    /// <summary>The next due date of a regenerating task pattern after completion on <paramref name="completed"/>.</summary>
    public DateOnly Regenerate(DateOnly completed) => Kind switch
    {
        PatternKind.DailyRegeneration => completed.AddDays(Interval),
        PatternKind.WeeklyRegeneration => completed.AddDays(7 * Interval),
        PatternKind.MonthlyRegeneration => completed.AddMonths(Interval),
        _ => completed.AddYears(Interval),
    };

    private IEnumerable<DateOnly> Candidates()
    {
        switch (Kind)
        {
            case PatternKind.Daily:
            case PatternKind.DailyRegeneration:
            case PatternKind.WeeklyRegeneration:
            case PatternKind.MonthlyRegeneration:
            case PatternKind.YearlyRegeneration:
                for (var d = StartDate; d <= Horizon; d = d.AddDays(Kind == PatternKind.Daily ? Interval : 1))
                {
                    yield return d;
                    if (Kind != PatternKind.Daily)
                    {
                        yield break;
                    }
                }

                break;
            case PatternKind.Weekly:
                var offset = ((int)StartDate.DayOfWeek - (int)FirstDayOfWeek + 7) % 7;
                var weekStart = StartDate.AddDays(-offset);
                var ordered = Enumerable.Range(0, 7).Select(i => (DayOfWeek)(((int)FirstDayOfWeek + i) % 7)).Where(Days.Contains).ToList();
                for (var week = weekStart; week <= Horizon; week = week.AddDays(7 * Interval))
                {
                    foreach (var day in ordered)
                    {
                        yield return week.AddDays(((int)day - (int)FirstDayOfWeek + 7) % 7);
                    }
                }

                break;
            case PatternKind.AbsoluteMonthly:
            case PatternKind.RelativeMonthly:
                for (var month = new DateOnly(StartDate.Year, StartDate.Month, 1); month <= Horizon; month = month.AddMonths(Interval))
                {
                    if (Pick(month) is { } d)
                    {
                        yield return d;
                    }
                }

                break;
            default:
                for (var year = StartDate.Year; year <= Horizon.Year; year++)
                {
                    if (Pick(new DateOnly(year, Month, 1)) is { } d)
                    {
                        yield return d;
                    }
                }

                break;
        }
    }

    private DateOnly? Pick(DateOnly firstOfMonth)
    {
        var daysInMonth = DateTime.DaysInMonth(firstOfMonth.Year, firstOfMonth.Month);
        if (Kind is PatternKind.AbsoluteMonthly or PatternKind.AbsoluteYearly)
        {
            return firstOfMonth.AddDays(Math.Min(DayOfMonth, daysInMonth) - 1);
        }

        var matching = Enumerable.Range(0, daysInMonth).Select(firstOfMonth.AddDays).Where(d => Days.Contains(d.DayOfWeek)).ToList();
        if (matching.Count == 0)
        {
            return null;
        }

        return WeekIndex == 5 ? matching[^1] : WeekIndex <= matching.Count ? matching[WeekIndex - 1] : null;
    }

    private static List<DayOfWeek> ExpandDays(string text)
    {
        var days = new List<DayOfWeek>();
        foreach (var token in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            IEnumerable<DayOfWeek> add = token switch
            {
                "Day" => Enum.GetValues<DayOfWeek>(),
                "Weekday" => [DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday],
                "WeekendDay" => [DayOfWeek.Saturday, DayOfWeek.Sunday],
                _ => [Enum.Parse<DayOfWeek>(token)],
            };
            days.AddRange(add.Where(d => !days.Contains(d)));
        }

        return days;
    }

    private static int? Int(XElement parent, string name) =>
        parent.Element(T + name)?.Value is { } text ? int.Parse(text, CultureInfo.InvariantCulture) : null;

    private static EwsException Invalid(string why) =>
        new("ErrorCalendarInvalidRecurrence", $"The recurrence pattern is invalid: {why}.");
}
