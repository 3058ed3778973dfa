using Connector.Emulator;
using Connector.State;
using Connector.Stores.Ews;
using Connector.Sync.Engine;
using Connector.Sync.Resilience;
using Connector.Sync.State;
using Connector.Sync.Stores;
using Connector.Testing;
using Connector.Testing.Fakes;

namespace Connector.EndToEnd.Tests;

/// <summary>
/// S14 through the engine: a first sync of the demo mailbox (EWS store with the worker's throttle gates) into an
/// in-memory Nextcloud side while the emulator answers ServerBusy, 503 and a bare 500 on some requests. The sync
/// completes with every item and no problem; a second run writes nothing.
/// </summary>
public sealed class EmulatorThrottledSyncTests
{
    private const string Mailbox = "alice@contoso.com";

    [Fact]
    public async Task S14_ThrottledAndFailingRequests_SlowTheFirstSyncButNeverFailIt()
    {
        await using var emulator = await ExchangeEmulator.StartAsync(new EmulatorOptions { Port = 0, Seed = "demo", Throttling = { BackOffMilliseconds = 200 } }, CancellationToken.None);
        var folder = Directory.CreateTempSubdirectory("connector-e2e-s14-").FullName;
        try
        {
            await using var state = new SqliteStateStore(Path.Combine(folder, "state.db"));
            await state.MigrateAsync(CancellationToken.None);
            await state.UpsertUserAsync(new UserRecord { UserId = "alice", Mailbox = Mailbox }, CancellationToken.None);
            using var http = new HttpClient();
            var throttles = 0;
            var ews = new EwsItemStore(http, new EwsStoreOptions
            {
                EwsUrl = emulator.EwsUri,
                UserName = "svc-sync",
                Password = "Passw0rd!",
                Mailbox = Mailbox,
                BatchLimit = 2,
                ThrottleGates = new ThrottleGates(),
                Retry = new RetryOptions { FirstDelay = TimeSpan.FromMilliseconds(100) },
                Throttled = _ => Interlocked.Increment(ref throttles),
            });
            var nextcloud = new InMemoryItemStore("nc");
            var exchange = (await ews.DiscoverCollectionsAsync(ItemKind.Event, CancellationToken.None)).Single();
            var pair = await state.SavePairAsync(new FolderPair { UserId = "alice", Kind = ItemKind.Event, ExchangeCollectionId = exchange.Id, NextcloudCollectionId = nextcloud.Collection.Id }, CancellationToken.None);
            emulator.Faults.Next(2, FaultKind.ServerBusy, "GetItem");
            emulator.Faults.Next(1, FaultKind.Http503, "SyncFolderItems");
            emulator.Faults.Next(1, FaultKind.Http500, "GetItem");
            emulator.Faults.Next(1, FaultKind.TruncatedXml, "GetItem");

            var first = await new PairSynchronizer(ews, nextcloud, state, new SyncOptions()).SyncAsync(pair, exchange, nextcloud.Collection, CancellationToken.None);

            Assert.Null(first.HaltReason);
            Assert.Empty(first.Problems);
            Assert.Empty(emulator.Faults.Rules);
            var inExchange = await StoreContents.ReadItemsAsync(ews, exchange);
            Assert.NotEmpty(inExchange);
            Assert.Equal(inExchange.Select(i => i.Uid).Order(), nextcloud.All.Select(i => i.Uid).Order());
            Assert.Equal(3, throttles);
            Assert.Equal(5, ews.Retries);

            var current = (await state.GetPairsAsync("alice", CancellationToken.None)).Single();
            var second = await new PairSynchronizer(ews, nextcloud, state, new SyncOptions()).SyncAsync(current, exchange, nextcloud.Collection, CancellationToken.None);
            Assert.Equal(0, second.Writes);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
