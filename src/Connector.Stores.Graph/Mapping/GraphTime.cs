using System.Globalization;
using Connector.Domain;
using Connector.Mapping.Text;
using Connector.Mapping.TimeZones;
using Connector.Stores.Graph.Json;

namespace Connector.Stores.Graph.Mapping;

/// <summary>
/// Graph's dateTimeTimeZone (wall clock + Windows or IANA zone name) ⇄ <see cref="CalendarTime"/> (wall clock + IANA
/// zone). The store asks for times in UTC (<c>Prefer: outlook.timezone="UTC"</c>) and takes the zone an event was
/// made in from <c>originalStartTimeZone</c>, so every time is read the same way whatever the mailbox's zone is,
/// and a series keeps its wall-clock time across DST (S11). Zone names go through <see cref="TimeZoneResolver"/>.
/// </summary>
internal static class GraphTime
{
    public const string Utc = TimeZoneResolver.Utc;

    private static readonly string[] Formats =
    [
        "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF",
        "yyyy-MM-dd'T'HH:mm:ss",
        "yyyy-MM-dd'T'HH:mm",
        "yyyy-MM-dd",
    ];

    private static TimeZoneResolver Resolver => TimeZoneResolver.Default;

    /// <summary>IANA id for a zone name Graph wrote, or null when it means nothing to us.</summary>
    public static string? ResolveZone(string? name)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            return null;
        }

        var iana = Resolver.ResolveName(name);
        return iana is not null && (IsUtc(iana) || Resolver.Find(iana) is not null) ? iana : null;
    }

    public static bool IsUtc(string iana) => iana is Utc or "UTC" or "Etc/UCT" or "Etc/GMT" or "Etc/Universal" or "Etc/Zulu";

    /// <summary>The zone name to write: the Windows id Exchange stores natively, "UTC", or null when CLDR has none.</summary>
    public static string? ToGraphZone(string iana) => IsUtc(iana) ? "UTC" : Resolver.Map.IanaToWindows(iana);

    public static DateTime ToUtc(DateTime wallClock, string iana) =>
        IsUtc(iana) ? DateTime.SpecifyKind(wallClock, DateTimeKind.Utc) : Resolver.ToUtc(wallClock, iana);

    public static DateTime FromUtc(DateTime utc, string iana) =>
        IsUtc(iana)
            ? DateTime.SpecifyKind(utc, DateTimeKind.Unspecified)
            : DateTime.SpecifyKind(TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(utc, DateTimeKind.Utc), Resolver.Find(iana)!), DateTimeKind.Unspecified);

    /// <summary>Parses Graph's dateTime text ("2016-12-09T20:30:00.0000000"); an offset or Z, if any, makes it UTC.</summary>
    public static DateTime ParseWallClock(string text, string what)
    {
        if (DateTime.TryParseExact(text, Formats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var value))
        {
            return DateTime.SpecifyKind(value, DateTimeKind.Unspecified);
        }

        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var withOffset))
        {
            return withOffset.UtcDateTime;
        }

        throw new MappingException($"{what} \"{Shorten(text)}\" is not a date-time");
    }

    /// <summary>The UTC instant of a dateTimeTimeZone (an unknown or missing zone counts as UTC).</summary>
    public static DateTime Instant(GraphDateTimeTimeZone value, string what)
    {
        var wall = ParseWallClock(value.DateTime ?? throw new MappingException($"{what} has no dateTime"), what);
        if (wall.Kind == DateTimeKind.Utc)
        {
            return wall;
        }

        var zone = ResolveZone(value.TimeZone) ?? Utc;
        return ToUtc(wall, zone);
    }

    /// <summary>
    /// A dateTimeTimeZone as a CalendarTime: in the zone it was given in, or, when given in UTC, in
    /// <paramref name="originalZone"/> (the zone the event was made in). UTC kind when neither names a real zone.
    /// </summary>
    public static CalendarTime ToCalendarTime(GraphDateTimeTimeZone value, string? originalZone, string what)
    {
        var wall = ParseWallClock(value.DateTime ?? throw new MappingException($"{what} has no dateTime"), what);
        var given = wall.Kind == DateTimeKind.Utc ? Utc : ResolveZone(value.TimeZone) ?? Utc;
        if (!IsUtc(given))
        {
            return CalendarTime.InZone(wall, given);
        }

        var utc = DateTime.SpecifyKind(wall, DateTimeKind.Utc);
        var original = ResolveZone(originalZone);
        return original is null || IsUtc(original) ? CalendarTime.FromUtc(utc) : CalendarTime.InZone(FromUtc(utc, original), original);
    }

    /// <summary>
    /// The date of an all-day boundary. Graph keeps all-day events at midnight in the zone they were made in; read
    /// in UTC that is another hour, so the value is moved into <paramref name="originalZone"/> when that makes it
    /// midnight, and otherwise its own date is taken.
    /// </summary>
    public static DateOnly ToDate(GraphDateTimeTimeZone value, string? originalZone, string what)
    {
        var wall = ParseWallClock(value.DateTime ?? throw new MappingException($"{what} has no dateTime"), what);
        var given = wall.Kind == DateTimeKind.Utc ? Utc : ResolveZone(value.TimeZone) ?? Utc;
        if (IsUtc(given) && ResolveZone(originalZone) is { } original && !IsUtc(original))
        {
            var moved = FromUtc(DateTime.SpecifyKind(wall, DateTimeKind.Utc), original);
            if (moved.TimeOfDay == TimeSpan.Zero)
            {
                return DateOnly.FromDateTime(moved);
            }
        }

        return DateOnly.FromDateTime(wall);
    }

    /// <summary>
    /// A CalendarTime as Graph's dateTimeTimeZone. Zoned values keep their wall clock and get the Windows id; a zone
    /// CLDR has no Windows id for is written as UTC (the instant is kept, the wall clock across DST is not). Floating
    /// times and dates are placed in <paramref name="fallbackZone"/> (midnight for dates).
    /// </summary>
    public static GraphDateTimeTimeZone FromCalendarTime(CalendarTime time, string? fallbackZone)
    {
        var fallback = fallbackZone ?? Utc;
        switch (time.Kind)
        {
            case CalendarTimeKind.Utc:
                return Write(time.Value, "UTC");
            case CalendarTimeKind.Zoned when ToGraphZone(time.TimeZoneId!) is { } windows:
                return Write(time.Value, windows);
            case CalendarTimeKind.Zoned:
                return Write(ToUtc(time.Value, time.TimeZoneId!), "UTC");
            default:
                var zone = ToGraphZone(fallback);
                return zone is null ? Write(ToUtc(time.Value, fallback), "UTC") : Write(time.Value, zone);
        }
    }

    /// <summary>The zone a CalendarTime is written in (IANA), for placing related values (EXDATEs, ranges).</summary>
    public static string ZoneOf(CalendarTime time, string? fallbackZone) => time.Kind switch
    {
        CalendarTimeKind.Utc => Utc,
        CalendarTimeKind.Zoned => time.TimeZoneId!,
        _ => fallbackZone ?? Utc,
    };

    /// <summary>The UTC instant of a CalendarTime; floating times and dates in <paramref name="fallbackZone"/>.</summary>
    public static DateTime InstantOf(CalendarTime time, string? fallbackZone) => time.Kind switch
    {
        CalendarTimeKind.Utc => DateTime.SpecifyKind(time.Value, DateTimeKind.Utc),
        CalendarTimeKind.Zoned => ToUtc(time.Value, time.TimeZoneId!),
        _ => ToUtc(time.Value, fallbackZone ?? Utc),
    };

    public static GraphDateTimeTimeZone Write(DateTime wallClock, string zone) => new()
    {
        DateTime = wallClock.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture),
        TimeZone = zone,
    };

    public static string Shorten(string text) => text.Length <= 60 ? text : text[..60] + "…";
}
