using Connector.Sync.Engine;
using Connector.Sync.Tests.Fakes;

namespace Connector.Sync.Tests.Engine;

/// <summary>S15: a long run says how far it is after every committed batch, and once at the end.</summary>
public sealed class ProgressTests
{
    private sealed class Recorder : IProgress<SyncProgress>
    {
        public List<SyncProgress> Reports { get; } = [];

        public void Report(SyncProgress value) => Reports.Add(value);
    }

    [Fact]
    public async Task FirstSync_ReportsAfterEachCommittedBatch_AndAtTheEnd()
    {
        var h = await SyncHarness.CreateAsync();
        for (var i = 0; i < 12; i++)
        {
            h.Exchange.Put(SyncHarness.Event($"u{i:D2}", "x"));
        }

        var progress = new Recorder();
        await h.RunAsync(new SyncOptions { BatchSaveSize = 5, Progress = progress });

        Assert.Equal([new SyncProgress(5, 12, 5), new SyncProgress(10, 12, 10), new SyncProgress(12, 12, 12)], progress.Reports);

        // What was reported as committed is in the state store: a crash after a report loses nothing reported.
        Assert.Equal(12, h.State.Relations(h.Pair.PairId).Count);
    }

    [Fact]
    public async Task DryRun_ReportsOnlyTheEnd()
    {
        var h = await SyncHarness.CreateAsync();
        h.Exchange.Put(SyncHarness.Event("a", "x"));
        var progress = new Recorder();

        await h.RunAsync(new SyncOptions { BatchSaveSize = 1, DryRun = true, Progress = progress });

        Assert.Equal([new SyncProgress(1, 1, 0)], progress.Reports);
    }
}
