using System.Globalization;

namespace Connector.State;

/// <summary>
/// How times are stored: UTC, to the microsecond (PostgreSQL's <c>timestamptz</c> resolution; SQLite uses the
/// same so both stores read back the same value). A time read back equals the time written, truncated to
/// whole microseconds, with offset zero.
/// </summary>
internal static class StateTime
{
    /// <summary>SQLite's fixed-width text form: string order is time order.</summary>
    private const string SqliteFormat = "yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'";

    public static DateTimeOffset Normalize(DateTimeOffset value)
    {
        var ticks = value.UtcTicks;
        return new DateTimeOffset(ticks - (ticks % TimeSpan.TicksPerMicrosecond), TimeSpan.Zero);
    }

    public static string ToSqlite(DateTimeOffset value) =>
        Normalize(value).ToString(SqliteFormat, CultureInfo.InvariantCulture);

    public static DateTimeOffset FromSqlite(string value) =>
        DateTimeOffset.ParseExact(value, SqliteFormat, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);

    /// <summary><paramref name="now"/> + <paramref name="duration"/>, clamped to the largest time both databases hold.</summary>
    public static DateTimeOffset Add(DateTimeOffset now, TimeSpan duration) =>
        duration >= DateTimeOffset.MaxValue - now ? DateTimeOffset.MaxValue : now + duration;
}
