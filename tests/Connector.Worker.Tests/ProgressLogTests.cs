using Connector.Sync.Engine;
using Connector.Worker.Running;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace Connector.Worker.Tests;

/// <summary>S15: a long first sync shows it is moving; a short poll adds no lines.</summary>
public sealed class ProgressLogTests
{
    [Fact]
    public void LongRun_LogsAtMostEveryInterval_ShortRunLogsNothing()
    {
        var time = new FakeTimeProvider();
        var logs = new CapturingLoggerProvider();
        using var factory = LoggerFactory.Create(b => b.AddProvider(logs));
        var logger = factory.CreateLogger("test");

        var shortRun = new ProgressLog(logger, "alice", "calendar", time);
        shortRun.Report(new SyncProgress(100, 200, 100));
        shortRun.Report(new SyncProgress(200, 200, 200));
        Assert.Empty(logs.Lines);

        var longRun = new ProgressLog(logger, "bob", "contacts", time);
        time.Advance(TimeSpan.FromSeconds(16));
        longRun.Report(new SyncProgress(1000, 40000, 1000));
        time.Advance(TimeSpan.FromSeconds(5));
        longRun.Report(new SyncProgress(2000, 40000, 2000)); // too soon: not logged
        time.Advance(TimeSpan.FromSeconds(11));
        longRun.Report(new SyncProgress(3000, 40000, 3000));

        Assert.Equal(2, logs.Lines.Count);
        Assert.Contains(logs.Lines, l => l.Contains("User bob contacts: 1000 of 40000 items compared, 1000 written", StringComparison.Ordinal));
        Assert.Contains(logs.Lines, l => l.Contains("User bob contacts: 3000 of 40000 items compared, 3000 written", StringComparison.Ordinal));
    }
}
