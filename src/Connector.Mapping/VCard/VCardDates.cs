using System.Globalization;
using Connector.Domain;

namespace Connector.Mapping.VCard;

/// <summary>
/// BDAY / ANNIVERSARY / REV values in the forms real vCards use, and the forms the writer emits.
/// </summary>
internal static class VCardDates
{
    /// <summary>
    /// Apple's placeholder year for a date without a year in vCard 3.0, which has no <c>--MMDD</c>
    /// form; named in the <c>X-APPLE-OMIT-YEAR</c> parameter. Sabre (Nextcloud) converts vCard 4
    /// yearless dates to the same form. 1604 is a leap year, so 29 February survives.
    /// </summary>
    public const int OmittedYear = 1604;

    public const string OmitYearParameter = "X-APPLE-OMIT-YEAR";

    private static readonly string[] RevisionFormats =
    [
        "yyyyMMdd'T'HHmmssK", "yyyy-MM-dd'T'HH:mm:ssK", "yyyyMMdd'T'HHmmss", "yyyy-MM-dd'T'HH:mm:ss",
        "yyyyMMdd'T'HHmmss.FFFFFFFK", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK", "yyyyMMdd'T'HHmmK", "yyyy-MM-dd'T'HH:mmK",
        "yyyyMMdd", "yyyy-MM-dd",
    ];

    /// <summary>
    /// Reads <c>19800321</c>, <c>1980-03-21</c>, <c>--0321</c>, <c>--03-21</c> and date-times
    /// (<c>1980-03-22T00:00:00Z</c>, <c>20090808T1430-0500</c>: the date part is kept, the time is
    /// dropped because the model holds a date). A year equal to <paramref name="omitYear"/>
    /// (Apple's <c>X-APPLE-OMIT-YEAR</c>) or <c>0000</c> means "no year". Month-only, day-only
    /// and year-only values (vCard 4 truncated forms) are not dates the model can hold.
    /// </summary>
    public static bool TryParsePartialDate(string value, string? omitYear, out PartialDate date)
    {
        date = default;
        var text = value.AsSpan().Trim();
        var t = text.IndexOfAny('T', 't');
        if (t > 0)
        {
            text = text[..t];
        }

        int? year;
        ReadOnlySpan<char> monthDay;
        if (text.StartsWith("--"))
        {
            year = null;
            monthDay = text[2..];
        }
        else if (text.Length >= 8 && TryDigits(text[..4], out var y))
        {
            year = y;
            monthDay = text[4] == '-' ? text[5..] : text[4..];
            if (year == 0 || (omitYear is not null && omitYear.AsSpan().Trim().SequenceEqual(text[..4])))
            {
                year = null;
            }
        }
        else
        {
            return false;
        }

        if (monthDay.Length == 5 && monthDay[2] == '-')
        {
            monthDay = string.Concat(monthDay[..2], monthDay[3..]);
        }

        if (monthDay.Length != 4 || !TryDigits(monthDay[..2], out var month) || !TryDigits(monthDay[2..], out var day))
        {
            return false;
        }

        if (month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year ?? 2000, month))
        {
            return false;
        }

        date = new PartialDate(year, month, day);
        return true;
    }

    /// <summary>The vCard 3.0 value and whether it needs <c>X-APPLE-OMIT-YEAR</c>.</summary>
    public static (string Value, bool OmitsYear) FormatPartialDate(PartialDate date) =>
        date.Year is int year
            ? (string.Create(CultureInfo.InvariantCulture, $"{year:D4}-{date.Month:D2}-{date.Day:D2}"), false)
            : (string.Create(CultureInfo.InvariantCulture, $"{OmittedYear:D4}-{date.Month:D2}-{date.Day:D2}"), true);

    /// <summary>
    /// REV as UTC, truncated to whole seconds (the writer writes seconds). A value without zone is
    /// taken as UTC; a date alone is midnight UTC.
    /// </summary>
    public static bool TryParseRevision(string value, out DateTime utc)
    {
        utc = default;
        if (!DateTimeOffset.TryParseExact(
                value.Trim(),
                RevisionFormats,
                CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal,
                out var parsed))
        {
            return false;
        }

        var ticks = parsed.UtcDateTime.Ticks;
        utc = new DateTime(ticks - (ticks % TimeSpan.TicksPerSecond), DateTimeKind.Utc);
        return true;
    }

    public static string FormatRevision(DateTime value)
    {
        var utc = value.Kind == DateTimeKind.Local ? value.ToUniversalTime() : value;
        return utc.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
    }

    private static bool TryDigits(ReadOnlySpan<char> digits, out int value)
    {
        value = 0;
        foreach (var c in digits)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }

            value = (value * 10) + (c - '0');
        }

        return digits.Length > 0;
    }
}
