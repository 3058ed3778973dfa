using Connector.Domain;
using Connector.Sync.Engine;
using Connector.Sync.State;
using Connector.Sync.Stores;
using Connector.Sync.Tests.Fakes;

namespace Connector.Sync.Tests.Engine;

/// <summary>Engine side of the scenarios in shared/SCENARIOS.md.</summary>
public class ScenarioTests
{
    [Fact]
    public async Task S05_InvalidToken_DoesAFullComparisonWithoutResurrection()
    {
        var h = await SyncHarness.CreateAsync();
        h.Exchange.Put(SyncHarness.Event("keep", "k"));
        h.Exchange.Put(SyncHarness.Event("gone", "g"));
        await h.RunAsync();
        h.Nextcloud.Remove("gone");
        h.Exchange.Put(SyncHarness.Event("keep", "k2"));
        h.Exchange.ForgetTokens = true;
        h.Nextcloud.ForgetTokens = true;

        var report = await h.RunAsync();

        Assert.True(report.ExchangeFullListing);
        Assert.True(report.NextcloudFullListing);
        Assert.Null(h.Exchange.ByUid("gone"));
        Assert.Null(h.Nextcloud.ByUid("gone"));
        Assert.Equal("k2", SyncHarness.SummaryOf(h.Nextcloud, "keep"));
        Assert.Empty((await h.RunAsync()).Planned);
    }

    [Fact]
    public async Task S05_TokensAreSavedOnlyWithTheLastCommittedBatch()
    {
        var h = await SyncHarness.CreateAsync();
        for (var i = 0; i < 25; i++)
        {
            h.Exchange.Put(SyncHarness.Event($"u{i}", "x"));
        }

        h.State.BeforeCommit = n =>
        {
            if (n == 1)
            {
                throw new IOException("crash");
            }
        };

        await Assert.ThrowsAsync<IOException>(() => h.RunAsync(new SyncOptions { BatchSaveSize = 10 }));
        Assert.Null(h.State.Pair(h.Pair.PairId).ExchangeToken);
        Assert.Equal(10, h.State.Relations(h.Pair.PairId).Count);

        h.State.BeforeCommit = null;
        await h.RunAsync(new SyncOptions { BatchSaveSize = 10 });

        Assert.Equal(25, h.Nextcloud.Items.Count);
        Assert.NotNull(h.State.Pair(h.Pair.PairId).ExchangeToken);
        Assert.Empty((await h.RunAsync()).Planned);
    }

    [Fact]
    public async Task S06_CollectionThatSuddenlyListsNothing_HaltsThePair()
    {
        var h = await SyncHarness.CreateAsync();
        for (var i = 0; i < 5; i++)
        {
            h.Exchange.Put(SyncHarness.Event($"u{i}", "x"));
        }

        await h.RunAsync();
        foreach (var uid in h.Nextcloud.All.Select(i => i.Uid).ToList())
        {
            h.Nextcloud.Remove(uid);
        }

        h.Nextcloud.ForgetTokens = true;
        var report = await h.RunAsync();

        Assert.NotNull(report.HaltReason);
        Assert.Equal(5, h.Exchange.Items.Count);
        Assert.Equal(PairState.Halted, h.State.Pair(h.Pair.PairId).State);
        Assert.Contains("halted", (await h.RunAsync()).Describe(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task S06_MassDeletionOverTheShare_HaltsThePair()
    {
        var h = await SyncHarness.CreateAsync();
        for (var i = 0; i < 30; i++)
        {
            h.Exchange.Put(SyncHarness.Event($"u{i}", "x"));
        }

        await h.RunAsync();
        for (var i = 0; i < 20; i++)
        {
            h.Exchange.Remove($"u{i}");
        }

        var report = await h.RunAsync();

        Assert.NotNull(report.HaltReason);
        Assert.Equal(30, h.Nextcloud.Items.Count);
    }

    [Fact]
    public async Task S06_FewDeletions_ArePropagated()
    {
        var h = await SyncHarness.CreateAsync();
        for (var i = 0; i < 30; i++)
        {
            h.Exchange.Put(SyncHarness.Event($"u{i}", "x"));
        }

        await h.RunAsync();
        h.Exchange.Remove("u1");
        h.Exchange.Remove("u2");

        var report = await h.RunAsync();

        Assert.Null(report.HaltReason);
        Assert.Equal(28, h.Nextcloud.Items.Count);
    }

    [Fact]
    public async Task S13_OwnWritesComingBack_AreNotReapplied_EvenWithoutVersionsOnWrite()
    {
        var h = await SyncHarness.CreateAsync();
        h.Nextcloud.HideWriteVersions = true;
        h.Exchange.HideWriteVersions = true;
        h.Exchange.Put(SyncHarness.Event("a", "from exchange"));
        h.Nextcloud.Put(SyncHarness.Event("b", "from nextcloud"));

        await h.RunAsync();
        var second = await h.RunAsync();
        var third = await h.RunAsync();

        Assert.Equal(0, second.Writes);
        Assert.Empty(third.Planned);
        Assert.Equal(0, third.ItemsFetched);
    }

    [Fact]
    public async Task S13_ServerRewriteWithSameContent_IsNoChange()
    {
        var h = await SyncHarness.CreateAsync();
        h.Exchange.Put(SyncHarness.Event("a", "x"));
        await h.RunAsync();
        h.Nextcloud.Touch("a");

        var report = await h.RunAsync();

        Assert.Empty(report.Planned);
        Assert.Equal(1, report.ItemsFetched);
        Assert.Equal(0, (await h.RunAsync()).ItemsFetched);
    }

    [Fact]
    public async Task S21_UnreadableItem_IsSkippedReportedAndRetriedWhenItChanges()
    {
        var h = await SyncHarness.CreateAsync();
        h.Exchange.Put(SyncHarness.Event("good", "fine"));
        h.Exchange.Put(SyncHarness.Event("unreadable-1", "broken"));

        var first = await h.RunAsync();

        Assert.Equal("fine", SyncHarness.SummaryOf(h.Nextcloud, "good"));
        var problem = Assert.Single(first.Problems);
        Assert.Equal(Side.Exchange, problem.Side);
        Assert.Contains("unreadable", problem.Reason, StringComparison.Ordinal);

        var second = await h.RunAsync();
        Assert.Empty(second.Problems);
        Assert.Equal(0, second.ItemsFetched);

        // The user repairs it (a new UID makes it readable in this fake): it syncs.
        var id = h.Exchange.IdOf("unreadable-1")!;
        h.Exchange.Remove("unreadable-1");
        h.Exchange.Put(SyncHarness.Event("repaired", "ok"));
        var third = await h.RunAsync();
        Assert.Empty(third.Problems);
        Assert.Equal("ok", SyncHarness.SummaryOf(h.Nextcloud, "repaired"));
        Assert.DoesNotContain(h.State.Relations(h.Pair.PairId), r => r.ExchangeId == id);
    }

    [Fact]
    public async Task S21_RejectedWrite_IsRecordedAndTheRestContinues()
    {
        var h = await SyncHarness.CreateAsync();
        h.Exchange.Put(SyncHarness.Event("a", "x"));
        h.Exchange.Put(SyncHarness.Event("b", "y"));
        h.Nextcloud.WriteFault = uid => uid == "a" ? WriteStatus.Rejected : null;

        var report = await h.RunAsync();

        Assert.Equal("y", SyncHarness.SummaryOf(h.Nextcloud, "b"));
        Assert.Null(h.Nextcloud.ByUid("a"));
        Assert.Contains(report.Problems, p => p.Uid == "a" && p.Reason.Contains("Rejected", StringComparison.Ordinal));
        Assert.Contains(h.State.Relations(h.Pair.PairId), r => r.Uid == "a" && r.LastError is not null);

        // Not retried while nothing changed; retried when the item changes.
        h.Nextcloud.WriteFault = null;
        Assert.Empty((await h.RunAsync()).Planned);
        h.Exchange.Put(SyncHarness.Event("a", "x2"));
        await h.RunAsync();
        Assert.Equal("x2", SyncHarness.SummaryOf(h.Nextcloud, "a"));
    }

    [Fact]
    public async Task S17_SensitiveMode_MaskedCopyNeverFlowsBack_NextcloudEventsDo()
    {
        var options = new SyncOptions
        {
            ExchangeToNextcloud = item => item is CalendarEvent e ? e with { Summary = "Busy", Description = null, ExtraProperties = [new RawProperty("X-MASKED", "TRUE")] } : item,
            MayWriteToExchange = item => !(item is CalendarEvent e && e.ExtraProperties.Any(p => p.Name == "X-MASKED")),
        };
        var h = await SyncHarness.CreateAsync();
        h.Exchange.Put(SyncHarness.Event("private", "Board meeting") with { Description = "secret" });
        h.Nextcloud.Put(SyncHarness.Event("own", "Dentist"));

        await h.RunAsync(options);

        Assert.Equal("Busy", SyncHarness.SummaryOf(h.Nextcloud, "private"));
        Assert.Equal("Dentist", SyncHarness.SummaryOf(h.Exchange, "own"));
        Assert.Empty((await h.RunAsync(options)).Planned);

        // A user edits the masked copy in Nextcloud: Exchange keeps its original.
        var masked = (CalendarEvent)h.Nextcloud.ByUid("private")!;
        h.Nextcloud.Put(masked with { Summary = "Busy (moved)" });
        var report = await h.RunAsync(options);
        Assert.Equal("Board meeting", SyncHarness.SummaryOf(h.Exchange, "private"));
        Assert.Contains(report.Problems, p => p.Uid == "private");
    }

    [Fact]
    public async Task DryRun_PlansButWritesNothing()
    {
        var h = await SyncHarness.CreateAsync();
        h.Exchange.Put(SyncHarness.Event("a", "x"));
        h.Exchange.Put(SyncHarness.Event("b", "y"));
        h.Nextcloud.Put(SyncHarness.Event("c", "z"));

        var report = await h.RunAsync(new SyncOptions { DryRun = true });

        Assert.Equal("would create 2 in Nextcloud, create 1 in Exchange", report.Describe());
        Assert.Single(h.Nextcloud.Items);
        Assert.Equal(0, h.State.Commits);
        Assert.Equal(3, (await h.RunAsync()).Planned.Count);
    }

    [Fact]
    public async Task S02_UpdatesAreUpdates_NeverDeleteAndCreate()
    {
        var h = await SyncHarness.CreateAsync();
        h.Exchange.Put(SyncHarness.Event("a", "x"));
        await h.RunAsync();
        var id = h.Nextcloud.IdOf("a");

        h.Exchange.Put(SyncHarness.Event("a", "x2"));
        var report = await h.RunAsync();

        Assert.Equal(1, report.Count(SyncActionKind.Update, Side.Nextcloud));
        Assert.Equal(0, report.Count(SyncActionKind.Delete, Side.Nextcloud));
        Assert.Equal(id, h.Nextcloud.IdOf("a"));
    }

    [Fact]
    public async Task S03_CrashedFirstSync_ResumesWithoutDuplicates()
    {
        var h = await SyncHarness.CreateAsync();
        for (var i = 0; i < 12; i++)
        {
            h.Exchange.Put(SyncHarness.Event($"u{i}", "x"));
        }

        // Items are written, but the process dies before any relation is committed.
        h.State.BeforeCommit = _ => throw new IOException("crash");
        await Assert.ThrowsAsync<IOException>(() => h.RunAsync(new SyncOptions { BatchSaveSize = 100 }));
        Assert.Equal(12, h.Nextcloud.Items.Count);

        h.State.BeforeCommit = null;
        var report = await h.RunAsync();

        Assert.Equal(12, h.Nextcloud.Items.Count);
        Assert.Equal(0, report.Writes);
        Assert.Equal(12, h.State.Relations(h.Pair.PairId).Count);
    }

    [Fact]
    public async Task S04_ItemCreatedAndUpdatedWithinOneFeed_IsAppliedOnce()
    {
        var h = await SyncHarness.CreateAsync();
        await h.RunAsync();
        h.Exchange.Put(SyncHarness.Event("a", "first"));
        h.Exchange.Put(SyncHarness.Event("a", "second"));

        var report = await h.RunAsync();

        Assert.Equal(1, report.Writes);
        Assert.Equal("second", SyncHarness.SummaryOf(h.Nextcloud, "a"));
    }
}
