using System.Diagnostics;
using System.Globalization;
using Connector.Sync.Stores;
using Connector.Testing;
using Connector.Testing.Conformance;
using Xunit.Abstractions;

namespace Connector.Stores.Dav.Tests;

/// <summary>Runs only with <c>CONNECTOR_DAV_BENCH=1</c> (and the servers): it takes a minute per server.</summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class BenchTheoryAttribute : TheoryAttribute
{
    public const string Variable = "CONNECTOR_DAV_BENCH";

    public BenchTheoryAttribute()
    {
        if (Environment.GetEnvironmentVariable(Variable) != "1")
        {
            Skip = $"a benchmark: set {Variable}=1 (with ./build.sh servers running) to measure";
        }
    }
}

/// <summary>
/// Request counts and wall times for a 1,000-event collection: first listing + fetch, an empty poll, and a poll after
/// 10 changes (+ fetch). Prints the numbers; asserts only the request counts, never times. Run:
/// <c>CONNECTOR_DAV_BENCH=1 dotnet test tests/Connector.Stores.Dav.Tests --filter DavStoreBenchmarks --logger "console;verbosity=detailed"</c>
/// </summary>
public sealed class DavStoreBenchmarks(ITestOutputHelper output)
{
    private const int Size = 1000;
    private const int Repeats = 5;

    [BenchTheory]
    [InlineData(TestServer.Radicale)]
    [InlineData(TestServer.Xandikos)]
    public async Task Collection1000_ListFetchAndPoll(TestServer which)
    {
        var server = DavTestServers.Get(which);
        var seeder = DavTestServers.CreateStore(server);
        var collection = await DavTestServers.NewCollectionAsync(seeder, ItemKind.Event, "Bench");
        try
        {
            var clock = Stopwatch.StartNew();
            var seeded = await RequestCountServerTests.SeedAsync(seeder, collection, Size, "bench");
            Print(which, "seed 1,000 events (PUT, 4 in parallel)", Size, clock.Elapsed);

            string? token = null;
            for (var run = 0; run < Repeats; run++)
            {
                // A fresh store each time: nothing cached, as after a worker restart.
                var (store, counting) = Counted(server);
                clock.Restart();
                var full = await store.GetChangesAsync(collection, null, CancellationToken.None);
                var listing = clock.Elapsed;
                var fetched = await store.FetchAsync(collection, full.Changes.Select(c => c.Id).ToList(), CancellationToken.None);
                var elapsed = clock.Elapsed;
                Assert.Equal(Size, fetched.Count(f => f.Status == FetchStatus.Found));
                Assert.Equal(1 + (Size / DavStoreOptions.DefaultBatchLimit), counting.Count);
                Print(which, $"first listing + fetch (run {run + 1})", counting.Count, elapsed);
                Print(which, "  of which the listing", 1, listing);
                token = full.NewToken;
            }

            var (poller, pollCount) = Counted(server);
            for (var run = 0; run < Repeats; run++)
            {
                pollCount.Reset();
                clock.Restart();
                var quiet = await poller.GetChangesAsync(collection, token, CancellationToken.None);
                var elapsed = clock.Elapsed;
                Assert.Empty(quiet.Changes);
                Assert.Equal(1, pollCount.Count);
                Print(which, $"empty poll (run {run + 1})", pollCount.Count, elapsed);
                token = quiet.NewToken;
            }

            for (var run = 0; run < Repeats; run++)
            {
                await ChangeTenAsync(seeder, collection, seeded, run);
                pollCount.Reset();
                clock.Restart();
                var feed = await poller.GetChangesAsync(collection, token, CancellationToken.None);
                var fetched = await poller.FetchAsync(collection, feed.Changes.Where(c => c.Kind == ChangeKind.Upserted).Select(c => c.Id).ToList(), CancellationToken.None);
                var elapsed = clock.Elapsed;
                Assert.Equal(10, feed.Changes.Count);
                Assert.Equal(8, fetched.Count(f => f.Status == FetchStatus.Found));
                Assert.Equal(2, pollCount.Count);
                Print(which, $"poll after 10 changes + fetch (run {run + 1})", pollCount.Count, elapsed);
                token = feed.NewToken;
            }
        }
        finally
        {
            await DavTestServers.DeleteCollectionAsync(server, collection.Id);
        }
    }

    // 4 creates, 4 updates, 2 deletes, each run on items no earlier run touched.
    private static async Task ChangeTenAsync(DavItemStore store, CollectionInfo collection, IReadOnlyList<WriteResult> seeded, int run)
    {
        var ct = CancellationToken.None;
        for (var i = 0; i < 4; i++)
        {
            Assert.True((await store.CreateAsync(collection, ConformanceItems.Event($"bench-new-{run}-{i}"), ct)).IsSuccess);
            var item = seeded[(run * 6) + i];
            Assert.True((await store.UpdateAsync(collection, item.Id!, item.Version!, ConformanceItems.Event($"bench-{Size}-{(run * 6) + i}", 2), ct)).IsSuccess);
        }

        for (var i = 4; i < 6; i++)
        {
            var item = seeded[(run * 6) + i];
            Assert.True((await store.DeleteAsync(collection, item.Id!, item.Version!, ct)).IsSuccess);
        }
    }

    private static (DavItemStore Store, CountingHandler Counting) Counted(DavServer server)
    {
        CountingHandler? counting = null;
        var store = DavTestServers.CreateStore(server, inner => counting = new CountingHandler(inner));
        return (store, counting!);
    }

    private void Print(TestServer server, string what, int requests, TimeSpan elapsed) =>
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{server,-9} {what,-45} {requests,5} requests {elapsed.TotalMilliseconds,9:F1} ms"));
}
