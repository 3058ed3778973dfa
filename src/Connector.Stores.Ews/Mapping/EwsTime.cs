using Connector.Domain;
using Connector.Mapping.TimeZones;

namespace Connector.Stores.Ews.Mapping;

/// <summary>
/// Time conversions between EWS (UTC instants plus a Windows zone id) and <see cref="CalendarTime"/>
/// (wall clock plus an IANA zone). Zone names go through <see cref="TimeZoneResolver"/>, so Windows ids,
/// <c>tzone://Microsoft/Utc</c>, "UTC" and Outlook display names all resolve.
/// </summary>
internal static class EwsTime
{
    public const string Utc = TimeZoneResolver.Utc;

    private static TimeZoneResolver Resolver => TimeZoneResolver.Default;

    /// <summary>IANA id for a zone name EWS wrote, or null when it means nothing to us.</summary>
    public static string? ResolveZone(string? name)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            return null;
        }

        var iana = Resolver.ResolveName(name);
        return iana is not null && Resolver.Find(iana) is not null ? iana : null;
    }

    /// <summary>The Windows id Exchange understands for an IANA zone; null when CLDR has none.</summary>
    public static string? ToWindows(string iana) =>
        IsUtc(iana) ? "UTC" : Resolver.Map.IanaToWindows(iana);

    public static bool IsUtc(string iana) => iana is Utc or "UTC" or "Etc/UCT" or "Etc/GMT";

    public static DateTime ToUtc(DateTime wallClock, string iana) =>
        IsUtc(iana) ? DateTime.SpecifyKind(wallClock, DateTimeKind.Utc) : Resolver.ToUtc(wallClock, iana);

    public static DateTime FromUtc(DateTime utc, string iana) =>
        IsUtc(iana)
            ? DateTime.SpecifyKind(utc, DateTimeKind.Unspecified)
            : DateTime.SpecifyKind(TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(utc, DateTimeKind.Utc), Resolver.Find(iana)!), DateTimeKind.Unspecified);

    /// <summary>The UTC instant of a dateTime, interpreting a zone-less value in <paramref name="zone"/> (UTC when null).</summary>
    public static DateTime Instant(EwsDateTime value, string? zone) =>
        value.IsInstant ? DateTime.SpecifyKind(value.Value, DateTimeKind.Utc) : ToUtc(value.Value, zone ?? Utc);

    /// <summary>An instant as a CalendarTime in <paramref name="zone"/> (UTC kind when the zone is null or UTC).</summary>
    public static CalendarTime ToCalendarTime(DateTime utc, string? zone) =>
        zone is null || IsUtc(zone) ? CalendarTime.FromUtc(utc) : CalendarTime.InZone(FromUtc(utc, zone), zone);

    /// <summary>The date an instant falls on in a zone (all-day values).</summary>
    public static DateOnly DateIn(DateTime utc, string? zone) => DateOnly.FromDateTime(FromUtc(utc, zone ?? Utc));

    /// <summary>
    /// A CalendarTime as the UTC instant and the IANA zone to write with it. Floating times and dates are
    /// placed in <paramref name="fallbackZone"/>; a zone CLDR has no Windows id for degrades to UTC (the
    /// instant is kept, the wall clock across DST is not).
    /// </summary>
    public static (DateTime Utc, string Zone) ToEws(CalendarTime time, string? fallbackZone)
    {
        var fallback = fallbackZone ?? Utc;
        return time.Kind switch
        {
            CalendarTimeKind.Utc => (DateTime.SpecifyKind(time.Value, DateTimeKind.Utc), Utc),
            CalendarTimeKind.Zoned when ToWindows(time.TimeZoneId!) is not null => (ToUtc(time.Value, time.TimeZoneId!), time.TimeZoneId!),
            CalendarTimeKind.Zoned => (ToUtc(time.Value, time.TimeZoneId!), Utc),
            _ => (ToUtc(time.Value, fallback), fallback),
        };
    }
}
