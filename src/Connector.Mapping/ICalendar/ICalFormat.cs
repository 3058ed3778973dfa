using System.Globalization;
using System.Text;
using Connector.Mapping.Text;

namespace Connector.Mapping.ICalendar;

/// <summary>iCalendar value formats: DATE, DATE-TIME, UTC-OFFSET, DURATION.</summary>
public static class ICalFormat
{
    /// <summary>Parses <c>YYYYMMDD</c> (also tolerates <c>YYYY-MM-DD</c>).</summary>
    public static bool TryParseDate(ReadOnlySpan<char> s, out DateOnly date)
    {
        date = default;
        s = s.Trim();
        if (s.Length == 10 && s[4] == '-' && s[7] == '-')
        {
            return DateOnly.TryParseExact(s, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out date);
        }

        return s.Length == 8 && DateOnly.TryParseExact(s, "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out date);
    }

    /// <summary>Parses <c>YYYYMMDDTHHMMSS[Z]</c>; tolerates missing seconds and the extended ISO form.</summary>
    public static bool TryParseDateTime(ReadOnlySpan<char> s, out DateTime value, out bool isUtc)
    {
        value = default;
        s = s.Trim();
        isUtc = s.Length > 0 && (s[^1] == 'Z' || s[^1] == 'z');
        if (isUtc)
        {
            s = s[..^1];
        }

        Span<char> compact = stackalloc char[16];
        var n = 0;
        foreach (var c in s)
        {
            if (c is '-' or ':')
            {
                continue;
            }

            if (n == compact.Length)
            {
                return false;
            }

            compact[n++] = c;
        }

        var t = compact[..n];
        if (t.Length == 13 && t[8] == 'T')
        {
            return DateTime.TryParseExact(t, "yyyyMMdd'T'HHmm", CultureInfo.InvariantCulture, DateTimeStyles.None, out value);
        }

        if (t.Length == 15 && (t[8] == 'T' || t[8] == 't'))
        {
            // Some producers write second 60 (leap second); RFC 5545 allows it, .NET does not.
            if (t[13] == '6' && t[14] == '0')
            {
                t[13] = '5';
                t[14] = '9';
            }

            return DateTime.TryParseExact(t, "yyyyMMdd'T'HHmmss", CultureInfo.InvariantCulture, DateTimeStyles.None, out value)
                || DateTime.TryParseExact(t, "yyyyMMdd't'HHmmss", CultureInfo.InvariantCulture, DateTimeStyles.None, out value);
        }

        return false;
    }

    public static string FormatDate(DateOnly date) => date.ToString("yyyyMMdd", CultureInfo.InvariantCulture);

    public static string FormatDateTime(DateTime value, bool utc) =>
        value.ToString("yyyyMMdd'T'HHmmss", CultureInfo.InvariantCulture) + (utc ? "Z" : string.Empty);

    /// <summary>Parses a UTC offset <c>+HHMM[SS]</c> (also <c>+HH:MM</c>).</summary>
    public static bool TryParseUtcOffset(ReadOnlySpan<char> s, out TimeSpan offset)
    {
        offset = default;
        s = s.Trim();
        if (s.Length < 3 || (s[0] != '+' && s[0] != '-'))
        {
            return false;
        }

        var sign = s[0] == '-' ? -1 : 1;
        Span<char> digits = stackalloc char[6];
        var n = 0;
        foreach (var c in s[1..])
        {
            if (c == ':')
            {
                continue;
            }

            if (!char.IsAsciiDigit(c) || n == digits.Length)
            {
                return false;
            }

            digits[n++] = c;
        }

        if (n is not (2 or 4 or 6))
        {
            return false;
        }

        var hours = int.Parse(digits[..2], CultureInfo.InvariantCulture);
        var minutes = n >= 4 ? int.Parse(digits[2..4], CultureInfo.InvariantCulture) : 0;
        var seconds = n == 6 ? int.Parse(digits[4..6], CultureInfo.InvariantCulture) : 0;
        if (hours > 23 || minutes > 59 || seconds > 59)
        {
            return false;
        }

        offset = sign * new TimeSpan(hours, minutes, seconds);
        return true;
    }

    public static string FormatUtcOffset(TimeSpan offset)
    {
        var sign = offset < TimeSpan.Zero ? '-' : '+';
        var abs = offset.Duration();
        var text = $"{sign}{abs.Hours:D2}{abs.Minutes:D2}";
        return abs.Seconds != 0 ? text + abs.Seconds.ToString("D2", CultureInfo.InvariantCulture) : text;
    }

    /// <summary>Parses an RFC 5545 DURATION (<c>-P1DT2H</c>, <c>PT15M</c>, <c>P2W</c>).</summary>
    public static bool TryParseDuration(ReadOnlySpan<char> s, out TimeSpan duration)
    {
        duration = default;
        s = s.Trim();
        var sign = 1;
        if (s.Length > 0 && (s[0] == '+' || s[0] == '-'))
        {
            sign = s[0] == '-' ? -1 : 1;
            s = s[1..];
        }

        if (s.Length < 2 || (s[0] != 'P' && s[0] != 'p'))
        {
            return false;
        }

        var total = TimeSpan.Zero;
        var inTime = false;
        long number = -1;
        var any = false;
        foreach (var c in s[1..])
        {
            if (char.IsAsciiDigit(c))
            {
                number = (number < 0 ? 0 : number) * 10 + (c - '0');
                if (number > 1_000_000)
                {
                    return false;
                }

                continue;
            }

            switch (char.ToUpperInvariant(c))
            {
                case 'T': inTime = true; continue;
                case 'W' when number >= 0 && !inTime: total += TimeSpan.FromDays(7 * number); break;
                case 'D' when number >= 0 && !inTime: total += TimeSpan.FromDays(number); break;
                case 'H' when number >= 0 && inTime: total += TimeSpan.FromHours(number); break;
                case 'M' when number >= 0 && inTime: total += TimeSpan.FromMinutes(number); break;
                case 'S' when number >= 0 && inTime: total += TimeSpan.FromSeconds(number); break;
                default: return false;
            }

            any = true;
            number = -1;
        }

        if (!any || number >= 0)
        {
            return false;
        }

        duration = sign * total;
        return true;
    }

    public static string FormatDuration(TimeSpan duration)
    {
        var sb = new StringBuilder();
        if (duration < TimeSpan.Zero)
        {
            sb.Append('-');
            duration = duration.Duration();
        }

        sb.Append('P');
        if (duration == TimeSpan.Zero)
        {
            return sb.Append("T0S").ToString();
        }

        if (duration.Days > 0 && duration.Days % 7 == 0 && duration.Hours == 0 && duration.Minutes == 0 && duration.Seconds == 0)
        {
            return sb.Append(CultureInfo.InvariantCulture, $"{duration.Days / 7}W").ToString();
        }

        if (duration.Days > 0)
        {
            sb.Append(CultureInfo.InvariantCulture, $"{duration.Days}D");
        }

        if (duration.Hours > 0 || duration.Minutes > 0 || duration.Seconds > 0)
        {
            sb.Append('T');
            if (duration.Hours > 0)
            {
                sb.Append(CultureInfo.InvariantCulture, $"{duration.Hours}H");
            }

            if (duration.Minutes > 0)
            {
                sb.Append(CultureInfo.InvariantCulture, $"{duration.Minutes}M");
            }

            if (duration.Seconds > 0)
            {
                sb.Append(CultureInfo.InvariantCulture, $"{duration.Seconds}S");
            }
        }

        return sb.ToString();
    }

    internal static MappingException Invalid(ContentLine line, string expected) =>
        new($"{line.Name} value \"{Shorten(line.Value)}\" is not a valid {expected}", line.Line);

    internal static string Shorten(string s) => s.Length > 60 ? s[..60] + "…" : s;
}
