using System.Data.Common;
using Connector.Sync.State;
using Xunit;

namespace Connector.Testing.Conformance;

/// <summary>CommitAsync: relations and tokens of a batch, in one transaction (S05, S15).</summary>
public abstract partial class StateStoreConformanceTests
{
    [ConformanceFact]
    public virtual async Task Commit_UpsertsAndTokens_AreStored()
    {
        var (store, pair) = await StoreWithPairAsync();

        await store.CommitAsync(pair.PairId, [Relation("b"), Relation("a")], [], new PairTokens("e1", "n1", FirstSyncCompleted: true), Cancellation);

        var relations = await store.GetRelationsAsync(pair.PairId, Cancellation);
        Assert.Equal([Relation("a") with { PairId = pair.PairId }, Relation("b") with { PairId = pair.PairId }], relations);
        Assert.Equal(pair with { ExchangeToken = "e1", NextcloudToken = "n1", FirstSyncCompleted = true }, Assert.Single(await store.GetPairsAsync("alice", Cancellation)));
    }

    [ConformanceFact]
    public virtual async Task S05_Commit_WithoutTokens_KeepsTheStoredTokens()
    {
        var (store, pair) = await StoreWithPairAsync();
        await store.CommitAsync(pair.PairId, [], [], new PairTokens("e1", "n1", FirstSyncCompleted: true), Cancellation);

        await store.CommitAsync(pair.PairId, [Relation("a")], [], null, Cancellation);

        var stored = Assert.Single(await store.GetPairsAsync("alice", Cancellation));
        Assert.Equal(("e1", "n1", true), (stored.ExchangeToken, stored.NextcloudToken, stored.FirstSyncCompleted));
        Assert.Single(await store.GetRelationsAsync(pair.PairId, Cancellation));
    }

    [ConformanceFact]
    public virtual async Task Commit_TokenSideNull_KeepsThatSide()
    {
        var (store, pair) = await StoreWithPairAsync();
        await store.CommitAsync(pair.PairId, [], [], new PairTokens("e1", "n1", FirstSyncCompleted: true), Cancellation);

        await store.CommitAsync(pair.PairId, [], [], new PairTokens(null, "n2"), Cancellation);
        var afterNextcloud = Assert.Single(await store.GetPairsAsync("alice", Cancellation));
        await store.CommitAsync(pair.PairId, [], [], new PairTokens("e2", null, FirstSyncCompleted: false), Cancellation);
        var afterExchange = Assert.Single(await store.GetPairsAsync("alice", Cancellation));

        Assert.Equal(("e1", "n2", true), (afterNextcloud.ExchangeToken, afterNextcloud.NextcloudToken, afterNextcloud.FirstSyncCompleted));
        Assert.Equal(("e2", "n2", false), (afterExchange.ExchangeToken, afterExchange.NextcloudToken, afterExchange.FirstSyncCompleted));
    }

    [ConformanceFact]
    public virtual async Task Commit_TokensForAnUnknownPair_Throws()
    {
        var (store, pair) = await StoreWithPairAsync();

        await Assert.ThrowsAsync<InvalidOperationException>(() => store.CommitAsync(pair.PairId + 1000, [], [], new PairTokens("e", "n"), Cancellation));
    }

    [ConformanceFact]
    public virtual async Task Commit_RelationsForAnUnknownPair_Throw()
    {
        var (store, pair) = await StoreWithPairAsync();

        await Assert.ThrowsAnyAsync<DbException>(() => store.CommitAsync(pair.PairId + 1000, [Relation("a")], [], null, Cancellation));
    }

    [ConformanceFact]
    public virtual async Task Commit_SameUidAgain_ReplacesEveryField()
    {
        var (store, pair) = await StoreWithPairAsync();
        await store.CommitAsync(pair.PairId, [Relation("a") with { LastError = "S21: broken DTSTART", ErrorExchangeVersion = "x", ErrorNextcloudVersion = "y" }], [], null, Cancellation);
        var replacement = new ItemRelation { PairId = pair.PairId, Uid = "a", NextcloudId = "/moved.ics", NextcloudVersion = "\"9\"", UpdatedAt = T0.AddDays(1) };

        await store.CommitAsync(pair.PairId, [replacement], [], null, Cancellation);

        Assert.Equal(replacement, Assert.Single(await store.GetRelationsAsync(pair.PairId, Cancellation)));
    }

    [ConformanceFact]
    public virtual async Task S04_Commit_UidTwiceInOneBatch_LastOneWins()
    {
        var (store, pair) = await StoreWithPairAsync();

        await store.CommitAsync(pair.PairId, [Relation("a", 1), Relation("b", 1), Relation("a", 2)], [], null, Cancellation);

        var relations = await store.GetRelationsAsync(pair.PairId, Cancellation);
        Assert.Equal([Relation("a", 2) with { PairId = pair.PairId }, Relation("b", 1) with { PairId = pair.PairId }], relations);
    }

    [ConformanceFact]
    public virtual async Task Commit_SameUidInTwoPairs_AreTwoRelations()
    {
        var (store, pair) = await StoreWithPairAsync();
        var other = await store.SavePairAsync(Pair("alice", "AAMkOther", "/other/"), Cancellation);

        await store.CommitAsync(pair.PairId, [Relation("a", 1)], [], null, Cancellation);
        await store.CommitAsync(other.PairId, [Relation("a", 2)], [], null, Cancellation);
        await store.CommitAsync(other.PairId, [], ["a"], null, Cancellation);

        Assert.Equal(Relation("a", 1) with { PairId = pair.PairId }, Assert.Single(await store.GetRelationsAsync(pair.PairId, Cancellation)));
        Assert.Empty(await store.GetRelationsAsync(other.PairId, Cancellation));
    }

    [ConformanceFact]
    public virtual async Task Commit_Removals_RemoveOnlyThoseUids()
    {
        var (store, pair) = await StoreWithPairAsync();
        await store.CommitAsync(pair.PairId, [Relation("a"), Relation("b"), Relation("c")], [], null, Cancellation);

        await store.CommitAsync(pair.PairId, [], ["a", "c", "never-stored"], null, Cancellation);

        Assert.Equal(["b"], (await store.GetRelationsAsync(pair.PairId, Cancellation)).Select(r => r.Uid));
    }

    [ConformanceFact]
    public virtual async Task Commit_UidRemovedAndUpserted_EndsUpserted()
    {
        var (store, pair) = await StoreWithPairAsync();
        await store.CommitAsync(pair.PairId, [Relation("a", 1), Relation("c", 1)], [], null, Cancellation);

        await store.CommitAsync(pair.PairId, [Relation("a", 2), Relation("b")], ["a", "c"], null, Cancellation);

        var relations = await store.GetRelationsAsync(pair.PairId, Cancellation);
        Assert.Equal([Relation("a", 2) with { PairId = pair.PairId }, Relation("b") with { PairId = pair.PairId }], relations);
    }

    [ConformanceFact]
    public virtual async Task S05_Commit_FailingLastRow_WritesNeitherRelationsNorTokens()
    {
        var (store, pair) = await StoreWithPairAsync();
        await store.CommitAsync(pair.PairId, [Relation("kept", 1)], [], new PairTokens("e1", "n1"), Cancellation);
        await RefuseRelationWritesAsync("poison", Cancellation);
        var batch = Enumerable.Range(0, 99).Select(i => Relation($"u{i:D3}")).Append(Relation("kept", 2)).Append(Relation("poison")).ToList();

        await Assert.ThrowsAnyAsync<DbException>(() => store.CommitAsync(pair.PairId, batch, ["kept"], new PairTokens("e2", "n2", FirstSyncCompleted: true), Cancellation));

        await AssertUnchangedAsync(store, pair);
    }

    [ConformanceFact]
    public virtual async Task S05_Commit_FailingRemoval_WritesNeitherRelationsNorTokens()
    {
        var (store, pair) = await StoreWithPairAsync();
        await store.CommitAsync(pair.PairId, [Relation("kept", 1), Relation("poison")], [], new PairTokens("e1", "n1"), Cancellation);
        await RefuseRelationWritesAsync("poison", Cancellation);

        await Assert.ThrowsAnyAsync<DbException>(() => store.CommitAsync(pair.PairId, [Relation("new"), Relation("kept", 2)], ["poison"], new PairTokens("e2", "n2"), Cancellation));

        var relations = await store.GetRelationsAsync(pair.PairId, Cancellation);
        Assert.Equal(["kept", "poison"], relations.Select(r => r.Uid));
        Assert.Equal(Relation("kept", 1) with { PairId = pair.PairId }, relations[0]);
        var stored = Assert.Single(await store.GetPairsAsync("alice", Cancellation));
        Assert.Equal(("e1", "n1"), (stored.ExchangeToken, stored.NextcloudToken));
    }

    [ConformanceFact]
    public virtual async Task S05_Commit_Cancelled_WritesNothing()
    {
        var (store, pair) = await StoreWithPairAsync();
        await store.CommitAsync(pair.PairId, [Relation("kept", 1)], [], new PairTokens("e1", "n1"), Cancellation);
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            store.CommitAsync(pair.PairId, [Relation("u1"), Relation("kept", 2)], ["kept"], new PairTokens("e2", "n2", FirstSyncCompleted: true), cancelled.Token));

        await AssertUnchangedAsync(store, pair);
    }

    [ConformanceFact]
    public virtual async Task S15_Commit_ManyBatches_AreAllStored()
    {
        var (store, pair) = await StoreWithPairAsync();

        for (var batch = 0; batch < 10; batch++)
        {
            var relations = Enumerable.Range(batch * 100, 100).Select(i => Relation($"uid-{i:D5}")).ToList();
            await store.CommitAsync(pair.PairId, relations, [], new PairTokens($"e{batch}", null), Cancellation);
        }

        var stored = await store.GetRelationsAsync(pair.PairId, Cancellation);
        Assert.Equal(1000, stored.Count);
        Assert.Equal(Enumerable.Range(0, 1000).Select(i => $"uid-{i:D5}"), stored.Select(r => r.Uid));
        Assert.Equal("e9", Assert.Single(await store.GetPairsAsync("alice", Cancellation)).ExchangeToken);
    }

    /// <summary>The state the atomicity tests set up before their failing commit: relation "kept" at revision 1, tokens e1/n1.</summary>
    private async Task AssertUnchangedAsync(IStateStore store, FolderPair pair)
    {
        Assert.Equal(Relation("kept", 1) with { PairId = pair.PairId }, Assert.Single(await store.GetRelationsAsync(pair.PairId, Cancellation)));
        var stored = Assert.Single(await store.GetPairsAsync("alice", Cancellation));
        Assert.Equal(("e1", "n1", false), (stored.ExchangeToken, stored.NextcloudToken, stored.FirstSyncCompleted));
    }
}
