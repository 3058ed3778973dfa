using System.Globalization;
using System.Xml.Linq;
using static Connector.Emulator.Ews.EwsNames;

namespace Connector.Emulator.Store.Calendar;

/// <summary>How zone-less xs:dateTime values of a request are read (the EWS time-zone rules).</summary>
internal sealed record RequestTimeContext(TimeZoneInfo? ContextZone, bool IsExchange2007)
{
    public static readonly RequestTimeContext Utc = new(null, false);
}

/// <summary>Reading and writing the normalised calendar times of stored properties.</summary>
internal static class CalendarTimes
{
    public const string UtcFormat = "yyyy-MM-ddTHH:mm:ss'Z'";

    public static string Format(DateTime utc) => utc.ToString(UtcFormat, CultureInfo.InvariantCulture);

    public static DateTime ParseUtc(string text) =>
        DateTime.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);

    /// <summary>
    /// Parses an xs:dateTime: with 'Z' or an offset it is an instant; without, it is wall-clock
    /// time in <paramref name="zone"/>.
    /// </summary>
    public static DateTime ToUtc(string text, TimeZoneInfo zone)
    {
        var value = DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
        if (HasZone(text))
        {
            return value.UtcDateTime;
        }

        var local = DateTime.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.None);
        return WindowsTimeZones.ToUtc(DateTime.SpecifyKind(local, DateTimeKind.Unspecified), zone);
    }

    public static bool HasZone(string text)
    {
        var trimmed = text.Trim();
        if (trimmed.EndsWith('Z') || trimmed.EndsWith('z'))
        {
            return true;
        }

        var timePart = trimmed.IndexOf('T', StringComparison.Ordinal) is var t and >= 0 ? trimmed[t..] : string.Empty;
        return timePart.Contains('+', StringComparison.Ordinal) || timePart.Contains('-', StringComparison.Ordinal);
    }

    public static DateTime StartUtc(IReadOnlyDictionary<string, XElement> props) =>
        props.TryGetValue("Start", out var s) ? ParseUtc(s.Value) : DateTime.UnixEpoch;

    public static DateTime EndUtc(IReadOnlyDictionary<string, XElement> props) =>
        props.TryGetValue("End", out var e) ? ParseUtc(e.Value) : StartUtc(props);

    public static bool IsAllDay(IReadOnlyDictionary<string, XElement> props) =>
        props.TryGetValue("IsAllDayEvent", out var a) && System.Xml.XmlConvert.ToBoolean(a.Value.Trim());

    /// <summary>The item's start time zone (UTC when it has none).</summary>
    public static TimeZoneInfo Zone(IReadOnlyDictionary<string, XElement> props) =>
        props.TryGetValue("StartTimeZone", out var z) ? WindowsTimeZones.FromDefinition(z) ?? TimeZoneInfo.Utc : TimeZoneInfo.Utc;

    public static TimeZoneInfo EndZone(IReadOnlyDictionary<string, XElement> props) =>
        props.TryGetValue("EndTimeZone", out var z) ? WindowsTimeZones.FromDefinition(z) ?? Zone(props) : Zone(props);

    public static XElement Element(string name, DateTime utc) => new(T + name, Format(utc));
}
