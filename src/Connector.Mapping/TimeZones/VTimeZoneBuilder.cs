using System.Collections.Concurrent;
using Connector.Domain;
using Connector.Mapping.ICalendar;
using Connector.Mapping.Text;

namespace Connector.Mapping.TimeZones;

/// <summary>
/// Writes a VTIMEZONE for an IANA zone from the system's rules as they stand in a given year, as
/// yearly RRULEs anchored in 1970 (the shape Thunderbird and Nextcloud write), so that clients that
/// ignore the TZID name still compute the right offsets.
/// </summary>
public static class VTimeZoneBuilder
{
    /// <summary>Built definitions by zone and year: probing a year of offsets is too slow to repeat per item.</summary>
    private static readonly ConcurrentDictionary<(string Zone, int Year), RawComponent> Cache = new();

    public static void Write(ContentWriter writer, string ianaId, int year, TimeZoneResolver resolver)
    {
        year = Math.Clamp(year, 1971, 2199);
        var component = Cache.GetOrAdd((ianaId, year), key =>
        {
            var scratch = new ContentWriter();
            Build(scratch, key.Zone, key.Year, resolver);
            return Text.ContentReader.Read(scratch.ToString())[0].ToRaw();
        });
        writer.Raw(component);
    }

    private static void Build(ContentWriter writer, string ianaId, int year, TimeZoneResolver resolver)
    {
        var zone = resolver.Find(ianaId);
        writer.Begin("VTIMEZONE");
        writer.Line("TZID", ianaId);
        if (zone is null)
        {
            WriteObservance(writer, "STANDARD", new DateTime(1970, 1, 1), TimeSpan.Zero, TimeSpan.Zero, null);
            writer.End("VTIMEZONE");
            return;
        }

        var transitions = FindTransitions(zone, year);
        if (transitions.Count == 0)
        {
            var offset = zone.GetUtcOffset(new DateTime(year, 1, 1, 0, 0, 0, DateTimeKind.Utc));
            WriteObservance(writer, "STANDARD", new DateTime(1970, 1, 1), offset, offset, null);
        }
        else
        {
            foreach (var (utc, from, to) in transitions)
            {
                var localBefore = utc + from;
                var month = localBefore.Month;
                var ordinal = localBefore.Day + 7 > DateTime.DaysInMonth(localBefore.Year, month) ? -1 : ((localBefore.Day - 1) / 7) + 1;
                var weekday = localBefore.DayOfWeek;
                var rule = new RecurrenceRule
                {
                    Frequency = RecurrenceFrequency.Yearly,
                    ByMonth = ValueList.Of(month),
                    ByDay = ValueList.Of(new WeekdayOccurrence(weekday, ordinal)),
                };
                var anchor = FirstMatch(1970, month, weekday, ordinal) + localBefore.TimeOfDay;
                WriteObservance(writer, to > from ? "DAYLIGHT" : "STANDARD", anchor, from, to, rule);
            }
        }

        writer.End("VTIMEZONE");
    }

    private static void WriteObservance(ContentWriter writer, string kind, DateTime start, TimeSpan from, TimeSpan to, RecurrenceRule? rule)
    {
        writer.Begin(kind);
        writer.Line("TZOFFSETFROM", ICalFormat.FormatUtcOffset(from));
        writer.Line("TZOFFSETTO", ICalFormat.FormatUtcOffset(to));
        writer.Line("DTSTART", ICalFormat.FormatDateTime(start, utc: false));
        if (rule is not null)
        {
            writer.Line("RRULE", RecurrenceRuleFormat.Format(rule));
        }

        writer.End(kind);
    }

    private static DateTime FirstMatch(int year, int month, DayOfWeek weekday, int ordinal)
    {
        var days = Enumerable.Range(1, DateTime.DaysInMonth(year, month))
            .Where(d => new DateTime(year, month, d).DayOfWeek == weekday).ToList();
        var day = ordinal > 0 ? days[Math.Min(ordinal, days.Count) - 1] : days[^1];
        return new DateTime(year, month, day, 0, 0, 0, DateTimeKind.Unspecified);
    }

    /// <summary>Transitions in the year, found by daily probing and refined to the minute.</summary>
    private static List<(DateTime Utc, TimeSpan From, TimeSpan To)> FindTransitions(TimeZoneInfo zone, int year)
    {
        var result = new List<(DateTime, TimeSpan, TimeSpan)>();
        var day = new DateTime(year, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        var end = day.AddYears(1);
        var previous = zone.GetUtcOffset(day);
        while (day < end)
        {
            var next = day.AddDays(1);
            var offset = zone.GetUtcOffset(next);
            if (offset != previous)
            {
                var low = day;
                var high = next;
                while ((high - low).TotalMinutes > 1)
                {
                    var mid = low.AddTicks((high - low).Ticks / 2);
                    if (zone.GetUtcOffset(mid) == previous)
                    {
                        low = mid;
                    }
                    else
                    {
                        high = mid;
                    }
                }

                var at = new DateTime(high.Year, high.Month, high.Day, high.Hour, high.Minute, 0, DateTimeKind.Utc);
                result.Add((at, previous, offset));
                previous = offset;
            }

            day = next;
        }

        return result;
    }
}
