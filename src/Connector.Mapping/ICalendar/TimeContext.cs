using System.Globalization;
using Connector.Domain;
using Connector.Mapping.Text;
using Connector.Mapping.TimeZones;

namespace Connector.Mapping.ICalendar;

/// <summary>
/// Resolves DATE / DATE-TIME properties of one VCALENDAR: TZIDs by name first, then by the
/// VTIMEZONE's own rules; a zone nothing matches is converted to UTC by its rules so the instant
/// stays right (S11).
/// </summary>
internal sealed class TimeContext
{
    private readonly Dictionary<string, VTimeZoneDefinition> _definitions;
    private readonly TimeZoneResolver _resolver;
    private readonly List<string> _warnings;

    public TimeContext(Dictionary<string, VTimeZoneDefinition> definitions, TimeZoneResolver resolver, List<string> warnings)
    {
        _definitions = definitions;
        _resolver = resolver;
        _warnings = warnings;
    }

    public TimeZoneResolver Resolver => _resolver;

    /// <summary>Parses a single DATE or DATE-TIME property.</summary>
    public CalendarTime Parse(ContentLine line) => ParseValue(line, line.Value);

    /// <summary>Parses a comma-separated list (EXDATE, RDATE).</summary>
    public IEnumerable<CalendarTime> ParseList(ContentLine line)
    {
        foreach (var token in line.Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            yield return ParseValue(line, token);
        }
    }

    public CalendarTime ParseValue(ContentLine line, string value)
    {
        var valueType = line.Param("VALUE");
        var trimmed = value.Trim();
        if (trimmed.Length == 9 && trimmed[8] is 'Z' or 'z')
        {
            trimmed = trimmed[..8]; // Google birthday calendars write RDATE:20131210Z, a date with a stray Z
        }
        if (string.Equals(valueType, "DATE", StringComparison.OrdinalIgnoreCase) || (valueType is null && trimmed.Length == 8))
        {
            if (ICalFormat.TryParseDate(trimmed, out var date))
            {
                return CalendarTime.FromDate(date);
            }

            // Some producers mark a DATE-TIME as VALUE=DATE; take the date part rather than fail.
            if (ICalFormat.TryParseDateTime(trimmed, out var dt, out _))
            {
                return CalendarTime.FromDate(DateOnly.FromDateTime(dt));
            }

            throw ICalFormat.Invalid(line, "DATE");
        }

        if (!ICalFormat.TryParseDateTime(trimmed, out var value2, out var isUtc))
        {
            // Tolerated: a DATE marked VALUE=DATE-TIME, and ISO 8601 with an offset
            // (2024-01-01T10:00:00+01:00) as some web calendars write.
            if (ICalFormat.TryParseDate(trimmed, out var onlyDate))
            {
                return CalendarTime.FromDate(onlyDate);
            }

            if (trimmed.Length > 19 && DateTimeOffset.TryParseExact(trimmed, ["yyyy-MM-dd'T'HH:mm:sszzz", "yyyyMMdd'T'HHmmsszzz"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var withOffset))
            {
                return CalendarTime.FromUtc(withOffset.UtcDateTime);
            }

            throw ICalFormat.Invalid(line, "DATE-TIME");
        }

        if (isUtc)
        {
            return CalendarTime.FromUtc(value2);
        }

        var tzid = line.Param("TZID");
        if (string.IsNullOrWhiteSpace(tzid))
        {
            return CalendarTime.Floating(value2);
        }

        if (_resolver.ResolveName(tzid) is { } iana)
        {
            return CalendarTime.InZone(value2, iana);
        }

        if (_definitions.TryGetValue(tzid.Trim(), out var definition))
        {
            if (_resolver.ResolveByRules(definition, value2.Year) is { } matched)
            {
                return CalendarTime.InZone(value2, matched);
            }

            AddWarning($"time zone \"{tzid}\" matches no known zone; times converted to UTC by its VTIMEZONE rules");
            return CalendarTime.FromUtc(definition.LocalToUtc(value2));
        }

        AddWarning($"time zone \"{tzid}\" is unknown and has no VTIMEZONE; times kept as floating (line {line.Line})");
        return CalendarTime.Floating(value2);
    }

    /// <summary>A UTC timestamp property (CREATED, LAST-MODIFIED, COMPLETED); a local value is taken as UTC.</summary>
    public DateTime? ParseStamp(ContentLine? line)
    {
        if (line is null)
        {
            return null;
        }

        if (ICalFormat.TryParseDateTime(line.Value, out var value, out var isUtc))
        {
            if (!isUtc && line.Param("TZID") is { } tzid && _resolver.ResolveName(tzid) is { } iana)
            {
                return _resolver.ToUtc(value, iana);
            }

            return DateTime.SpecifyKind(value, DateTimeKind.Utc);
        }

        if (ICalFormat.TryParseDate(line.Value, out var date))
        {
            return date.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
        }

        throw ICalFormat.Invalid(line, "DATE-TIME");
    }

    private void AddWarning(string warning)
    {
        if (!_warnings.Contains(warning))
        {
            _warnings.Add(warning);
        }
    }
}
