using Connector.Sync.Stores;
using Connector.Testing;
using Connector.Testing.Conformance;

namespace Connector.Stores.Dav.Tests;

/// <summary>
/// What a poll costs, counted in requests (never timed): an incremental poll after a few changes costs the same in a
/// collection of 20 and of 200 items — one sync-collection REPORT and one multiget.
/// </summary>
public sealed class RequestCountServerTests
{
    [ServerTheory(TestServer.Radicale, TestServer.Xandikos)]
    [InlineData(TestServer.Radicale)]
    [InlineData(TestServer.Xandikos)]
    public async Task IncrementalPoll_ThreeChanges_SameRequestsFor20And200Items(TestServer which)
    {
        var small = await CountIncrementalAsync(which, 20);
        var large = await CountIncrementalAsync(which, 200);

        Assert.Equal(["REPORT sync-collection", "REPORT multiget"], small.AfterChanges);
        Assert.Equal(small.AfterChanges, large.AfterChanges);
        Assert.Equal(["REPORT sync-collection"], small.Quiet);
        Assert.Equal(small.Quiet, large.Quiet);
    }

    [ServerTheory(TestServer.Radicale, TestServer.Xandikos)]
    [InlineData(TestServer.Radicale)]
    [InlineData(TestServer.Xandikos)]
    public async Task FullListingAndFetch_OneReportPlusOneMultigetPerBatch(TestServer which)
    {
        var server = DavTestServers.Get(which);
        var counting = default(CountingHandler);
        var store = DavTestServers.CreateStore(server, inner => counting = new CountingHandler(inner), batchLimit: 10);
        var collection = await DavTestServers.NewCollectionAsync(store, ItemKind.Event, "Counts");
        try
        {
            await SeedAsync(store, collection, 25);
            counting!.Reset();

            var full = await store.GetChangesAsync(collection, null, CancellationToken.None);
            var fetched = await store.FetchAsync(collection, full.Changes.Select(c => c.Id).ToList(), CancellationToken.None);

            Assert.Equal(25, fetched.Count(f => f.Status == FetchStatus.Found));
            Assert.Equal(["REPORT sync-collection", "REPORT multiget", "REPORT multiget", "REPORT multiget"], counting.Requests);
        }
        finally
        {
            await DavTestServers.DeleteCollectionAsync(server, collection.Id);
        }
    }

    private static async Task<(IReadOnlyList<string> AfterChanges, IReadOnlyList<string> Quiet)> CountIncrementalAsync(TestServer which, int size)
    {
        var server = DavTestServers.Get(which);
        var counting = default(CountingHandler);
        var store = DavTestServers.CreateStore(server, inner => counting = new CountingHandler(inner));
        var collection = await DavTestServers.NewCollectionAsync(store, ItemKind.Event, $"Counts {size}");
        try
        {
            var seeded = await SeedAsync(store, collection, size);
            var token = (await store.GetChangesAsync(collection, null, CancellationToken.None)).NewToken;

            var created = await store.CreateAsync(collection, ConformanceItems.Event($"count-{size}-new"), CancellationToken.None);
            var updated = await store.UpdateAsync(collection, seeded[0].Id!, seeded[0].Version!, ConformanceItems.Event($"count-{size}-0", 2), CancellationToken.None);
            var deleted = await store.DeleteAsync(collection, seeded[1].Id!, seeded[1].Version!, CancellationToken.None);
            Assert.True(created.IsSuccess && updated.IsSuccess && deleted.IsSuccess);

            counting!.Reset();
            var feed = await store.GetChangesAsync(collection, token, CancellationToken.None);
            var upserted = feed.Changes.Where(c => c.Kind == ChangeKind.Upserted).Select(c => c.Id).ToList();
            var fetched = await store.FetchAsync(collection, upserted, CancellationToken.None);
            var afterChanges = counting.Requests;

            Assert.Equal(3, feed.Changes.Count);
            Assert.Equal(2, fetched.Count(f => f.Status == FetchStatus.Found));

            counting.Reset();
            var quiet = await store.GetChangesAsync(collection, feed.NewToken, CancellationToken.None);
            Assert.Empty(quiet.Changes);
            return (afterChanges, counting.Requests);
        }
        finally
        {
            await DavTestServers.DeleteCollectionAsync(server, collection.Id);
        }
    }

    internal static async Task<IReadOnlyList<WriteResult>> SeedAsync(DavItemStore store, CollectionInfo collection, int count, string prefix = "count")
    {
        // Four writers at a time: both servers serialise writes per collection, so more does not help.
        var results = new WriteResult[count];
        await Parallel.ForEachAsync(
            Enumerable.Range(0, count),
            new ParallelOptions { MaxDegreeOfParallelism = 4 },
            async (i, ct) =>
            {
                results[i] = await store.CreateAsync(collection, ConformanceItems.Event($"{prefix}-{count}-{i}"), ct);
                Assert.True(results[i].IsSuccess, $"seeding item {i}: {results[i].Status} {results[i].Reason}");
            });
        return results;
    }
}
