namespace Connector.Domain;

public enum RecurrenceFrequency
{
    Secondly,
    Minutely,
    Hourly,
    Daily,
    Weekly,
    Monthly,
    Yearly,
}

/// <summary>A weekday with an optional ordinal: <c>MO</c>, <c>2TU</c>, <c>-1SU</c>.</summary>
public readonly record struct WeekdayOccurrence(DayOfWeek Day, int Ordinal = 0);

/// <summary>
/// An RFC 5545 RRULE, structured so that both iCalendar and the Exchange recurrence patterns
/// (daily / weekly / absolute and relative monthly and yearly) can be produced from it.
/// </summary>
public sealed record RecurrenceRule
{
    public required RecurrenceFrequency Frequency { get; init; }

    public int Interval { get; init; } = 1;

    /// <summary>Number of occurrences; mutually exclusive with <see cref="Until"/>.</summary>
    public int? Count { get; init; }

    /// <summary>Last possible occurrence (inclusive), same value type as DTSTART per RFC 5545.</summary>
    public CalendarTime? Until { get; init; }

    public ValueList<WeekdayOccurrence> ByDay { get; init; }

    public ValueList<int> ByMonthDay { get; init; }

    public ValueList<int> ByMonth { get; init; }

    public ValueList<int> BySetPosition { get; init; }

    public ValueList<int> ByYearDay { get; init; }

    public ValueList<int> ByWeekNumber { get; init; }

    public ValueList<int> ByHour { get; init; }

    public ValueList<int> ByMinute { get; init; }

    public ValueList<int> BySecond { get; init; }

    /// <summary>WKST; null when the rule does not say (RFC default Monday).</summary>
    public DayOfWeek? WeekStart { get; init; }

    /// <summary>Rule parts this model does not know (e.g. <c>RSCALE</c>, <c>X-NAME=...</c>), kept verbatim.</summary>
    public ValueList<string> OtherParts { get; init; }
}
