using System.Globalization;
using System.Text.Json.Nodes;
using Connector.Emulator.Store.Calendar;

namespace Connector.Emulator.Graph;

/// <summary>A dateTimeTimeZone value resolved: wall-clock time, its zone, and the instant.</summary>
internal readonly record struct ZonedTime(DateTime Local, TimeZoneInfo Zone, string ZoneName, DateTime Utc);

/// <summary>
/// Graph's dateTimeTimeZone values: "dateTime" is a wall-clock time, "timeZone" a Windows or IANA
/// zone name. Read into instants, written in the zone a client prefers (Prefer: outlook.timezone).
/// </summary>
internal static class GraphTimes
{
    public const string Format = "yyyy-MM-dd'T'HH:mm:ss.fffffff";

    /// <summary>Resolved zones by name (resolving goes through ICU and is dear; the names a mailbox uses are few).</summary>
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, TimeZoneInfo?> Zones = new(StringComparer.Ordinal);

    /// <summary>A Windows zone ("Pacific Standard Time"), an IANA zone ("Europe/Berlin") or UTC; null when unknown.</summary>
    public static TimeZoneInfo? FindZone(string? name)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            return null;
        }

        return Zones.GetOrAdd(name, Resolve);
    }

    private static TimeZoneInfo? Resolve(string name)
    {
        if (name is "UTC" or "Etc/UTC" or "tzone://Microsoft/Utc" or "Coordinated Universal Time" or "GMT" or "Etc/GMT")
        {
            return TimeZoneInfo.Utc;
        }

        return WindowsTimeZones.FindById(name)
            ?? (TimeZoneInfo.TryFindSystemTimeZoneById(name, out var zone) ? zone : null);
    }

    /// <summary>Reads a dateTimeTimeZone object; throws <see cref="GraphError"/> 400 the way Graph words it.</summary>
    public static ZonedTime Read(JsonNode? node, string property)
    {
        if (node is not JsonObject value || value["dateTime"]?.GetValue<string>() is not { Length: > 0 } text)
        {
            throw GraphError.BadRequest("ErrorInvalidRequest", $"The {property} property needs a dateTime.");
        }

        var zoneName = value["timeZone"]?.GetValue<string>() is { Length: > 0 } given ? given : "UTC";
        var zone = FindZone(zoneName)
            ?? throw GraphError.BadRequest("TimeZoneNotSupportedException", $"A valid TimeZone value must be specified. The following TimeZone value is not supported: '{zoneName}'.");
        if (!DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var parsed))
        {
            throw GraphError.BadRequest("ErrorInvalidRequest", $"Cannot convert the literal '{text}' to the expected type 'Edm.DateTime' ({property}).");
        }

        // A value with Z or an offset is an instant; Graph then reads it in the given zone.
        var local = parsed.Kind == DateTimeKind.Unspecified
            ? parsed
            : WindowsTimeZones.ToLocal(parsed.ToUniversalTime(), zone);
        return new ZonedTime(local, zone, zoneName, WindowsTimeZones.ToUtc(local, zone));
    }

    public static ZonedTime At(DateTime local, TimeZoneInfo zone, string zoneName) =>
        new(DateTime.SpecifyKind(local, DateTimeKind.Unspecified), zone, zoneName, WindowsTimeZones.ToUtc(local, zone));

    /// <summary>Writes an instant as dateTimeTimeZone in <paramref name="zoneName"/> (null: UTC).</summary>
    public static JsonObject Write(DateTime utc, string? zoneName)
    {
        var zone = FindZone(zoneName) ?? TimeZoneInfo.Utc;
        var name = zone == TimeZoneInfo.Utc && zoneName is null ? "UTC" : zoneName ?? "UTC";
        var local = zone == TimeZoneInfo.Utc ? utc : WindowsTimeZones.ToLocal(utc, zone);
        return new JsonObject
        {
            ["dateTime"] = local.ToString(Format, CultureInfo.InvariantCulture),
            ["timeZone"] = name,
        };
    }

    /// <summary>A floating wall-clock value (all-day events keep their midnights in every zone, as Graph shows them).</summary>
    public static JsonObject WriteFloating(DateTime local, string? zoneName) => new()
    {
        ["dateTime"] = local.ToString(Format, CultureInfo.InvariantCulture),
        ["timeZone"] = zoneName ?? "UTC",
    };

    /// <summary>The stored form: wall-clock text in the zone the client gave.</summary>
    public static JsonObject Stored(ZonedTime time) => WriteFloating(time.Local, time.ZoneName);

    public static string Instant(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);

    /// <summary>A startDateTime/endDateTime query value: ISO 8601 with or without offset (without: UTC).</summary>
    public static DateTime? ParseQuery(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        return DateTimeOffset.TryParse(text.Replace(' ', '+'), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var value)
            ? value.UtcDateTime
            : throw GraphError.BadRequest("ErrorInvalidParameter", $"The value '{text}' of a startDateTime or endDateTime parameter is not a valid date and time.");
    }
}
