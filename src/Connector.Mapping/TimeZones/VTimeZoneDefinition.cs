using System.Text;
using Connector.Domain;
using Connector.Mapping.ICalendar;
using Connector.Mapping.Text;

namespace Connector.Mapping.TimeZones;

/// <summary>
/// The rules of a VTIMEZONE component, evaluated by this code rather than trusted by name, so that
/// custom or unknown TZIDs (Outlook's "Customized Time Zone", broken exports) still map correctly.
/// Supports the shapes real producers write: fixed onsets, RDATEs and yearly rules by month with
/// BYDAY (±n weekday) and/or BYMONTHDAY.
/// </summary>
public sealed class VTimeZoneDefinition
{
    private VTimeZoneDefinition(string tzId, List<Observance> observances)
    {
        TzId = tzId;
        Observances = observances;
        Key = BuildKey(observances);
    }

    public string TzId { get; }

    public IReadOnlyList<Observance> Observances { get; }

    /// <summary>A canonical text of the rules, for caching resolutions.</summary>
    public string Key { get; }

    public sealed record Observance(bool IsDaylight, DateTime Start, TimeSpan OffsetFrom, TimeSpan OffsetTo, RecurrenceRule? Rule, IReadOnlyList<DateTime> AdditionalStarts);

    public static VTimeZoneDefinition Parse(Component vtimezone)
    {
        var tzid = vtimezone.Get("TZID")?.Value.Trim()
            ?? throw new MappingException("VTIMEZONE without TZID", vtimezone.Line);
        var observances = new List<Observance>();
        foreach (var child in vtimezone.Children)
        {
            if (child.Name is not ("STANDARD" or "DAYLIGHT"))
            {
                continue;
            }

            var item = $"VTIMEZONE {tzid}";
            var dtstart = child.Get("DTSTART") ?? throw new MappingException($"{child.Name} without DTSTART", child.Line, item);
            if (!ICalFormat.TryParseDateTime(dtstart.Value, out var start, out _))
            {
                throw ICalFormat.Invalid(dtstart, "DATE-TIME").WithItem(item);
            }

            var to = child.Get("TZOFFSETTO") ?? throw new MappingException($"{child.Name} without TZOFFSETTO", child.Line, item);
            if (!ICalFormat.TryParseUtcOffset(to.Value, out var offsetTo))
            {
                throw ICalFormat.Invalid(to, "UTC offset").WithItem(item);
            }

            var offsetFrom = offsetTo;
            if (child.Get("TZOFFSETFROM") is { } from && !ICalFormat.TryParseUtcOffset(from.Value, out offsetFrom))
            {
                throw ICalFormat.Invalid(from, "UTC offset").WithItem(item);
            }

            RecurrenceRule? rule = null;
            if (child.Get("RRULE") is { } rrule)
            {
                rule = RecurrenceRuleFormat.TryParse(rrule.Value, out var error)
                    ?? throw new MappingException($"RRULE: {error}", rrule.Line, item);
            }

            var rdates = new List<DateTime>();
            foreach (var rdate in child.GetAll("RDATE"))
            {
                foreach (var token in rdate.Value.Split(','))
                {
                    if (ICalFormat.TryParseDateTime(token, out var r, out _))
                    {
                        rdates.Add(r);
                    }
                }
            }

            observances.Add(new Observance(child.Name == "DAYLIGHT", start, offsetFrom, offsetTo, rule, rdates));
        }

        if (observances.Count == 0)
        {
            throw new MappingException("VTIMEZONE has neither STANDARD nor DAYLIGHT", vtimezone.Line, $"VTIMEZONE {tzid}");
        }

        return new VTimeZoneDefinition(tzid, observances);
    }

    /// <summary>The UTC offset in force at a UTC instant.</summary>
    public TimeSpan OffsetAtUtc(DateTime utc)
    {
        (DateTime Utc, TimeSpan Offset)? latest = null;
        foreach (var (onsetUtc, offset) in Onsets(utc.Year - 1, utc.Year))
        {
            if (onsetUtc <= utc && (latest is null || onsetUtc > latest.Value.Utc))
            {
                latest = (onsetUtc, offset);
            }
        }

        if (latest is { } found)
        {
            return found.Offset;
        }

        // Before every onset: the offset the earliest observance starts from.
        return Observances.MinBy(o => o.Start)!.OffsetFrom;
    }

    /// <summary>Converts a wall-clock time in this zone to UTC (a time in a DST gap moves forward).</summary>
    public DateTime LocalToUtc(DateTime local)
    {
        var guess = DateTime.SpecifyKind(local - OffsetAtUtc(DateTime.SpecifyKind(local, DateTimeKind.Utc)), DateTimeKind.Utc);
        var offset = OffsetAtUtc(guess);
        return DateTime.SpecifyKind(local - offset, DateTimeKind.Utc);
    }

    /// <summary>Every onset (as a UTC instant, with the offset it switches to) in the given years.</summary>
    public IEnumerable<(DateTime Utc, TimeSpan Offset)> Onsets(int fromYear, int toYear)
    {
        foreach (var o in Observances)
        {
            foreach (var local in OnsetsLocal(o, fromYear, toYear))
            {
                yield return (DateTime.SpecifyKind(local - o.OffsetFrom, DateTimeKind.Utc), o.OffsetTo);
            }
        }
    }

    private static IEnumerable<DateTime> OnsetsLocal(Observance o, int fromYear, int toYear)
    {
        yield return o.Start;
        foreach (var r in o.AdditionalStarts)
        {
            yield return r;
        }

        if (o.Rule is not { Frequency: RecurrenceFrequency.Yearly } rule)
        {
            yield break;
        }

        var months = rule.ByMonth.IsEmpty ? [o.Start.Month] : rule.ByMonth.ToArray();
        for (var year = Math.Max(fromYear, o.Start.Year); year <= toYear; year++)
        {
            if ((year - o.Start.Year) % rule.Interval != 0)
            {
                continue;
            }

            foreach (var month in months)
            {
                if (month is < 1 or > 12)
                {
                    continue;
                }

                foreach (var day in DaysInRule(rule, year, month, o.Start.Day))
                {
                    var onset = new DateTime(year, month, day, 0, 0, 0, DateTimeKind.Unspecified) + o.Start.TimeOfDay;
                    if (onset <= o.Start)
                    {
                        continue;
                    }

                    if (rule.Until is { } until && onset > until.Value + o.OffsetFrom)
                    {
                        continue;
                    }

                    yield return onset;
                }
            }
        }
    }

    private static IEnumerable<int> DaysInRule(RecurrenceRule rule, int year, int month, int startDay)
    {
        var daysInMonth = DateTime.DaysInMonth(year, month);
        if (rule.ByDay.IsEmpty)
        {
            foreach (var d in rule.ByMonthDay.IsEmpty ? [startDay] : rule.ByMonthDay.ToArray())
            {
                var day = d < 0 ? daysInMonth + d + 1 : d;
                if (day >= 1 && day <= daysInMonth)
                {
                    yield return day;
                }
            }

            yield break;
        }

        foreach (var weekday in rule.ByDay)
        {
            var matches = new List<int>();
            for (var day = 1; day <= daysInMonth; day++)
            {
                if (new DateOnly(year, month, day).DayOfWeek == weekday.Day
                    && (rule.ByMonthDay.IsEmpty || rule.ByMonthDay.Contains(day)))
                {
                    matches.Add(day);
                }
            }

            if (weekday.Ordinal == 0)
            {
                foreach (var day in matches)
                {
                    yield return day;
                }
            }
            else
            {
                var index = weekday.Ordinal > 0 ? weekday.Ordinal - 1 : matches.Count + weekday.Ordinal;
                if (index >= 0 && index < matches.Count)
                {
                    yield return matches[index];
                }
            }
        }
    }

    private static string BuildKey(List<Observance> observances)
    {
        var sb = new StringBuilder();
        foreach (var o in observances.OrderBy(o => o.Start).ThenBy(o => o.IsDaylight))
        {
            sb.Append(o.IsDaylight ? 'D' : 'S').Append(ICalFormat.FormatDateTime(o.Start, false))
                .Append(ICalFormat.FormatUtcOffset(o.OffsetFrom)).Append(ICalFormat.FormatUtcOffset(o.OffsetTo));
            if (o.Rule is not null)
            {
                sb.Append(RecurrenceRuleFormat.Format(o.Rule));
            }

            foreach (var r in o.AdditionalStarts)
            {
                sb.Append(',').Append(ICalFormat.FormatDateTime(r, false));
            }

            sb.Append('|');
        }

        return sb.ToString();
    }
}
