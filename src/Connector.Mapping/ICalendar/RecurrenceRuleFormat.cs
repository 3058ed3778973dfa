using System.Globalization;
using System.Text;
using Connector.Domain;

namespace Connector.Mapping.ICalendar;

/// <summary>RRULE text ⇄ <see cref="RecurrenceRule"/>.</summary>
public static class RecurrenceRuleFormat
{
    /// <summary>Parses an RRULE value; returns null and a reason when it is not valid.</summary>
    public static RecurrenceRule? TryParse(string text, out string? error)
    {
        error = null;
        RecurrenceFrequency? frequency = null;
        var interval = 1;
        int? count = null;
        CalendarTime? until = null;
        List<WeekdayOccurrence> byDay = [];
        List<int> byMonthDay = [], byMonth = [], bySetPos = [], byYearDay = [], byWeekNo = [], byHour = [], byMinute = [], bySecond = [];
        DayOfWeek? weekStart = null;
        List<string> other = [];

        foreach (var part in text.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var eq = part.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                error = $"rule part \"{part}\" has no '='";
                return null;
            }

            var name = part[..eq].ToUpperInvariant();
            var value = part[(eq + 1)..];
            switch (name)
            {
                case "FREQ":
                    if (!Enum.TryParse<RecurrenceFrequency>(value, ignoreCase: true, out var f) || int.TryParse(value, out _))
                    {
                        error = $"FREQ={value} is not a known frequency";
                        return null;
                    }

                    frequency = f;
                    break;
                case "INTERVAL":
                    if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out interval) || interval < 1)
                    {
                        error = $"INTERVAL={value} is not a positive number";
                        return null;
                    }

                    break;
                case "COUNT":
                    if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var c) || c < 1)
                    {
                        error = $"COUNT={value} is not a positive number";
                        return null;
                    }

                    count = c;
                    break;
                case "UNTIL":
                    if (ICalFormat.TryParseDate(value, out var d) && value.Trim().Length <= 10)
                    {
                        until = CalendarTime.FromDate(d);
                    }
                    else if (ICalFormat.TryParseDateTime(value, out var dt, out var utc))
                    {
                        until = utc ? CalendarTime.FromUtc(dt) : CalendarTime.Floating(dt);
                    }
                    else
                    {
                        error = $"UNTIL={value} is not a date or date-time";
                        return null;
                    }

                    break;
                case "BYDAY":
                    foreach (var token in value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                    {
                        if (!TryParseWeekday(token, out var w))
                        {
                            error = $"BYDAY value \"{token}\" is not a weekday";
                            return null;
                        }

                        byDay.Add(w);
                    }

                    break;
                case "BYMONTHDAY" when TryParseInts(value, byMonthDay, -31, 31):
                case "BYMONTH" when TryParseInts(value, byMonth, 1, 13):
                case "BYSETPOS" when TryParseInts(value, bySetPos, -366, 366):
                case "BYYEARDAY" when TryParseInts(value, byYearDay, -366, 366):
                case "BYWEEKNO" when TryParseInts(value, byWeekNo, -53, 53):
                case "BYHOUR" when TryParseInts(value, byHour, 0, 23):
                case "BYMINUTE" when TryParseInts(value, byMinute, 0, 59):
                case "BYSECOND" when TryParseInts(value, bySecond, 0, 60):
                    break;
                case "BYMONTHDAY" or "BYMONTH" or "BYSETPOS" or "BYYEARDAY" or "BYWEEKNO" or "BYHOUR" or "BYMINUTE" or "BYSECOND":
                    error = $"{name}={value} has a value out of range";
                    return null;
                case "WKST":
                    if (!TryParseWeekday(value, out var ws) || ws.Ordinal != 0)
                    {
                        error = $"WKST={value} is not a weekday";
                        return null;
                    }

                    weekStart = ws.Day;
                    break;
                default:
                    other.Add(part);
                    break;
            }
        }

        if (frequency is null)
        {
            error = "the rule has no FREQ";
            return null;
        }

        return new RecurrenceRule
        {
            Frequency = frequency.Value,
            Interval = interval,
            Count = count,
            Until = until,
            ByDay = byDay,
            ByMonthDay = byMonthDay,
            ByMonth = byMonth,
            BySetPosition = bySetPos,
            ByYearDay = byYearDay,
            ByWeekNumber = byWeekNo,
            ByHour = byHour,
            ByMinute = byMinute,
            BySecond = bySecond,
            WeekStart = weekStart,
            OtherParts = other,
        };
    }

    /// <summary>Formats a rule; a zoned UNTIL is written in UTC as RFC 5545 requires.</summary>
    public static string Format(RecurrenceRule rule, Func<CalendarTime, DateTime>? toUtc = null)
    {
        var sb = new StringBuilder("FREQ=").Append(rule.Frequency.ToString().ToUpperInvariant());
        if (rule.Until is { } until)
        {
            sb.Append(";UNTIL=").Append(until.Kind switch
            {
                CalendarTimeKind.Date => ICalFormat.FormatDate(until.Date),
                CalendarTimeKind.Utc => ICalFormat.FormatDateTime(until.Value, utc: true),
                CalendarTimeKind.Floating => ICalFormat.FormatDateTime(until.Value, utc: false),
                _ => ICalFormat.FormatDateTime(toUtc?.Invoke(until) ?? until.Value, utc: toUtc is not null),
            });
        }

        if (rule.Count is int count)
        {
            sb.Append(";COUNT=").Append(count.ToString(CultureInfo.InvariantCulture));
        }

        if (rule.Interval != 1)
        {
            sb.Append(";INTERVAL=").Append(rule.Interval.ToString(CultureInfo.InvariantCulture));
        }

        AppendInts(sb, "BYSECOND", rule.BySecond);
        AppendInts(sb, "BYMINUTE", rule.ByMinute);
        AppendInts(sb, "BYHOUR", rule.ByHour);
        if (!rule.ByDay.IsEmpty)
        {
            sb.Append(";BYDAY=").AppendJoin(',', rule.ByDay.Select(FormatWeekday));
        }

        AppendInts(sb, "BYMONTHDAY", rule.ByMonthDay);
        AppendInts(sb, "BYYEARDAY", rule.ByYearDay);
        AppendInts(sb, "BYWEEKNO", rule.ByWeekNumber);
        AppendInts(sb, "BYMONTH", rule.ByMonth);
        AppendInts(sb, "BYSETPOS", rule.BySetPosition);
        if (rule.WeekStart is { } wkst)
        {
            sb.Append(";WKST=").Append(DayCode(wkst));
        }

        foreach (var part in rule.OtherParts)
        {
            sb.Append(';').Append(part);
        }

        return sb.ToString();
    }

    public static string FormatWeekday(WeekdayOccurrence w) =>
        (w.Ordinal != 0 ? w.Ordinal.ToString(CultureInfo.InvariantCulture) : string.Empty) + DayCode(w.Day);

    public static string DayCode(DayOfWeek day) => day switch
    {
        DayOfWeek.Monday => "MO",
        DayOfWeek.Tuesday => "TU",
        DayOfWeek.Wednesday => "WE",
        DayOfWeek.Thursday => "TH",
        DayOfWeek.Friday => "FR",
        DayOfWeek.Saturday => "SA",
        _ => "SU",
    };

    public static bool TryParseWeekday(string token, out WeekdayOccurrence weekday)
    {
        weekday = default;
        if (token.Length < 2)
        {
            return false;
        }

        DayOfWeek day;
        switch (token[^2..].ToUpperInvariant())
        {
            case "MO": day = DayOfWeek.Monday; break;
            case "TU": day = DayOfWeek.Tuesday; break;
            case "WE": day = DayOfWeek.Wednesday; break;
            case "TH": day = DayOfWeek.Thursday; break;
            case "FR": day = DayOfWeek.Friday; break;
            case "SA": day = DayOfWeek.Saturday; break;
            case "SU": day = DayOfWeek.Sunday; break;
            default: return false;
        }

        var ordinal = 0;
        var prefix = token[..^2];
        if (prefix.Length > 0 && (!int.TryParse(prefix, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out ordinal) || ordinal == 0 || ordinal is < -53 or > 53))
        {
            return false;
        }

        weekday = new WeekdayOccurrence(day, ordinal);
        return true;
    }

    private static bool TryParseInts(string value, List<int> into, int min, int max)
    {
        foreach (var token in value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!int.TryParse(token, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) || n < min || n > max || (n == 0 && min < 0))
            {
                return false;
            }

            into.Add(n);
        }

        return true;
    }

    private static void AppendInts(StringBuilder sb, string name, ValueList<int> values)
    {
        if (!values.IsEmpty)
        {
            sb.Append(';').Append(name).Append('=').AppendJoin(',', values.Select(v => v.ToString(CultureInfo.InvariantCulture)));
        }
    }
}
