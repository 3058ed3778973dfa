using System.Globalization;

namespace Connector.Domain;

/// <summary>How a <see cref="CalendarTime"/> is anchored in time.</summary>
public enum CalendarTimeKind
{
    /// <summary>A calendar date without a time (all-day values, birthdays of tasks).</summary>
    Date,

    /// <summary>A wall-clock time in no particular zone ("floating" in RFC 5545).</summary>
    Floating,

    /// <summary>An instant in UTC.</summary>
    Utc,

    /// <summary>A wall-clock time in a named IANA time zone.</summary>
    Zoned,
}

/// <summary>
/// A DATE or DATE-TIME as calendars express it: the wall-clock value is kept with its zone so a
/// weekly series keeps its local time across a DST change (S11). <see cref="TimeZoneId"/> is always
/// an IANA id; Windows and custom zone names are resolved by the mapping layer.
/// </summary>
public readonly record struct CalendarTime
{
    private CalendarTime(DateTime value, CalendarTimeKind kind, string? timeZoneId)
    {
        Value = value;
        Kind = kind;
        TimeZoneId = timeZoneId;
    }

    /// <summary>The wall-clock value (for <see cref="CalendarTimeKind.Utc"/>: the UTC value).</summary>
    public DateTime Value { get; }

    public CalendarTimeKind Kind { get; }

    /// <summary>IANA time-zone id when <see cref="Kind"/> is <see cref="CalendarTimeKind.Zoned"/>.</summary>
    public string? TimeZoneId { get; }

    public bool IsDate => Kind == CalendarTimeKind.Date;

    public DateOnly Date => DateOnly.FromDateTime(Value);

    public static CalendarTime FromDate(DateOnly date) =>
        new(date.ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified), CalendarTimeKind.Date, null);

    public static CalendarTime Floating(DateTime wallClock) =>
        new(DateTime.SpecifyKind(wallClock, DateTimeKind.Unspecified), CalendarTimeKind.Floating, null);

    public static CalendarTime FromUtc(DateTime utc) =>
        new(DateTime.SpecifyKind(utc, DateTimeKind.Utc), CalendarTimeKind.Utc, null);

    public static CalendarTime InZone(DateTime wallClock, string ianaTimeZoneId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(ianaTimeZoneId);
        return new(DateTime.SpecifyKind(wallClock, DateTimeKind.Unspecified), CalendarTimeKind.Zoned, ianaTimeZoneId);
    }

    /// <summary>The same kind and zone with another wall-clock value (e.g. an end computed from a duration).</summary>
    public CalendarTime WithValue(DateTime value) => new(DateTime.SpecifyKind(value, Value.Kind), Kind, TimeZoneId);

    public override string ToString() => Kind switch
    {
        CalendarTimeKind.Date => Value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        CalendarTimeKind.Utc => Value.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
        CalendarTimeKind.Floating => Value.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture),
        _ => Value.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture) + "[" + TimeZoneId + "]",
    };
}
