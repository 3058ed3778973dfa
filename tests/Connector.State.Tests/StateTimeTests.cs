namespace Connector.State.Tests;

public sealed class StateTimeTests
{
    [Fact]
    public void Normalize_TruncatesToTheMicrosecondInUtc()
    {
        var value = new DateTimeOffset(2025, 3, 1, 9, 0, 0, TimeSpan.FromHours(1)).AddTicks(19);

        var normalized = StateTime.Normalize(value);

        Assert.Equal(TimeSpan.Zero, normalized.Offset);
        Assert.Equal(new DateTimeOffset(2025, 3, 1, 8, 0, 0, TimeSpan.Zero).AddTicks(10), normalized);
    }

    [Fact]
    public void ToSqlite_StringOrderIsTimeOrder()
    {
        var times = new[] { DateTimeOffset.MinValue, new DateTimeOffset(999, 1, 1, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2025, 3, 1, 8, 0, 0, TimeSpan.FromHours(5)), new DateTimeOffset(2025, 3, 1, 8, 0, 0, TimeSpan.Zero), DateTimeOffset.MaxValue };

        var texts = times.Select(StateTime.ToSqlite).ToList();

        Assert.Equal(texts.OrderBy(t => t, StringComparer.Ordinal), texts);
        Assert.All(texts, t => Assert.Equal(27, t.Length));
        Assert.Equal(times.Select(StateTime.Normalize), texts.Select(StateTime.FromSqlite));
    }

    [Fact]
    public void Add_PastTheLargestTime_Clamps()
    {
        Assert.Equal(DateTimeOffset.MaxValue, StateTime.Add(DateTimeOffset.MaxValue.AddDays(-1), TimeSpan.FromDays(2)));
    }
}
