using System.Collections.Concurrent;
using System.Globalization;

namespace Connector.Mapping.TimeZones;

/// <summary>
/// Turns whatever a producer wrote as TZID into an IANA zone: IANA ids, Windows ids (CLDR map),
/// Outlook display names, vendor-prefixed paths (<c>/mozilla.org/…/Europe/Berlin</c>),
/// <c>tzone://Microsoft/Utc</c>, and — when the name means nothing — the VTIMEZONE's own rules,
/// matched against the system's zones for the year in question. Never uses the host's local zone.
/// </summary>
public sealed class TimeZoneResolver
{
    public const string Utc = "Etc/UTC";

    private readonly WindowsZoneMap _map;
    private readonly ConcurrentDictionary<string, string?> _byName = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string?> _byRules = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, TimeZoneInfo?> _zones = new(StringComparer.Ordinal);
    private readonly Lazy<string[]> _candidates;

    public TimeZoneResolver(WindowsZoneMap map)
    {
        _map = map;
        _candidates = new Lazy<string[]>(() =>
            map.CanonicalIanaZones
                .Concat(TimeZoneInfo.GetSystemTimeZones().Select(z => z.Id).Where(id => id.Contains('/', StringComparison.Ordinal)).Order(StringComparer.Ordinal))
                .Distinct(StringComparer.Ordinal)
                .Where(id => Find(id) is not null)
                .ToArray());
    }

    public static TimeZoneResolver Default { get; } = new(WindowsZoneMap.Instance);

    public WindowsZoneMap Map => _map;

    /// <summary>The IANA zone a TZID names, or null when the name alone does not tell.</summary>
    public string? ResolveName(string tzid) => _byName.GetOrAdd(tzid, ResolveNameUncached);

    /// <summary>The system zone for an IANA id, or null.</summary>
    public TimeZoneInfo? Find(string ianaId) => _zones.GetOrAdd(ianaId, static id =>
        TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone) ? zone : null);

    /// <summary>
    /// An IANA zone whose offsets match the VTIMEZONE's rules on every day of <paramref name="year"/>,
    /// preferring the canonical zone of a Windows zone; a fixed-offset <c>Etc/GMT±h</c> zone when the
    /// definition has no DST; null when nothing matches (the caller then converts to UTC by the rules).
    /// </summary>
    public string? ResolveByRules(VTimeZoneDefinition definition, int year)
    {
        year = Math.Clamp(year, 1971, 2199);
        return _byRules.GetOrAdd(definition.Key + "@" + year.ToString(CultureInfo.InvariantCulture), _ => MatchRules(definition, year));
    }

    /// <summary>UTC for a wall-clock time in an IANA zone (a time in a DST gap moves forward).</summary>
    public DateTime ToUtc(DateTime wallClock, string ianaId)
    {
        var zone = Find(ianaId) ?? throw new ArgumentException($"unknown time zone {ianaId}", nameof(ianaId));
        var local = DateTime.SpecifyKind(wallClock, DateTimeKind.Unspecified);
        if (zone.IsInvalidTime(local))
        {
            local = local.AddHours(1);
        }

        return TimeZoneInfo.ConvertTimeToUtc(local, zone);
    }

    private string? ResolveNameUncached(string raw)
    {
        var tzid = raw.Trim().Trim('"').Trim();
        if (tzid.Length == 0)
        {
            return null;
        }

        if (tzid.StartsWith("tzone://Microsoft/", StringComparison.OrdinalIgnoreCase))
        {
            // Exchange writes tzone://Microsoft/Utc for UTC and tzone://Microsoft/Custom for its own rules.
            return tzid.EndsWith("/Utc", StringComparison.OrdinalIgnoreCase) ? Utc : null;
        }

        if (tzid is "Z" or "UTC" or "utc" or "GMT" or "Etc/UTC" or "Etc/GMT" or "Coordinated Universal Time")
        {
            return Utc;
        }

        if (_map.WindowsToIana(tzid) is { } fromWindows)
        {
            return fromWindows;
        }

        if (tzid.Contains('/', StringComparison.Ordinal) && Find(tzid) is not null && !tzid.StartsWith('/'))
        {
            return tzid;
        }

        // Vendor prefixes: /mozilla.org/20070129_1/Europe/Berlin, /softwarestudio.org/Olson_20011030_5/America/New_York
        var segments = tzid.Split('/', StringSplitOptions.RemoveEmptyEntries);
        for (var take = Math.Min(3, segments.Length); take >= 2; take--)
        {
            var candidate = string.Join('/', segments[^take..]);
            if (Find(candidate) is not null)
            {
                return candidate;
            }
        }

        if (_map.DisplayNameToWindows(tzid) is { } windows && _map.WindowsToIana(windows) is { } fromDisplay)
        {
            return fromDisplay;
        }

        return null;
    }

    private string? MatchRules(VTimeZoneDefinition definition, int year)
    {
        var samples = SampleInstants(year);
        var expected = samples.Select(definition.OffsetAtUtc).ToArray();
        foreach (var id in _candidates.Value)
        {
            var zone = Find(id)!;
            var match = true;
            for (var i = 0; i < samples.Length && match; i++)
            {
                match = zone.GetUtcOffset(samples[i]) == expected[i];
            }

            if (match)
            {
                return id;
            }
        }

        if (expected.Distinct().Count() == 1 && expected[0].Minutes == 0 && expected[0].Seconds == 0)
        {
            var hours = expected[0].Hours;
            return hours == 0 ? Utc : $"Etc/GMT{(hours > 0 ? "-" : "+")}{Math.Abs(hours)}";
        }

        return null;
    }

    /// <summary>Every six hours of the year: enough to tell transition days apart without hour-level probing.</summary>
    private static DateTime[] SampleInstants(int year)
    {
        var start = new DateTime(year, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        var count = (DateTime.IsLeapYear(year) ? 366 : 365) * 4;
        var samples = new DateTime[count];
        for (var i = 0; i < count; i++)
        {
            samples[i] = start.AddHours(6 * i);
        }

        return samples;
    }
}
