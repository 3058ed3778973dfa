using Connector.Domain;
using Connector.Emulator;
using Connector.State;
using Connector.Stores.Dav;
using Connector.Stores.Ews;
using Connector.Sync.Engine;
using Connector.Sync.State;
using Connector.Sync.Stores;
using Connector.Testing;

namespace Connector.EndToEnd.Tests;

/// <summary>
/// Exchange (the emulator, through the EWS store) ⇄ Nextcloud (a real Radicale), state in SQLite:
/// the demo mailbox's calendar syncs both ways, writes send no meeting messages (S01), and a second
/// run writes nothing (S13).
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "xunit disposes through IAsyncLifetime.DisposeAsync.")]
public sealed class EmulatorRadicaleSyncTests : IAsyncLifetime
{
    private const string Mailbox = "alice@contoso.com";
    private readonly string _folder = Directory.CreateTempSubdirectory("connector-e2e-ews-").FullName;
    private ExchangeEmulator _emulator = null!;
    private SqliteStateStore _state = null!;
    private EwsItemStore _ews = null!;
    private DavItemStore? _dav;

    public async Task InitializeAsync()
    {
        _emulator = await ExchangeEmulator.StartAsync(new EmulatorOptions { Port = 0, Seed = "demo" }, CancellationToken.None);
        _ews = new EwsItemStore(new HttpClient(), new EwsStoreOptions { EwsUrl = _emulator.EwsUri, UserName = "svc-sync", Password = "Passw0rd!", Mailbox = Mailbox, MailboxTimeZone = "Europe/Berlin" });
        _state = new SqliteStateStore(Path.Combine(_folder, "state.db"));
        await _state.MigrateAsync(CancellationToken.None);
        await _state.UpsertUserAsync(new UserRecord { UserId = "alice", Mailbox = Mailbox }, CancellationToken.None);
        if (TestServerEnvironment.IsAvailable(TestServer.Radicale) || TestServerEnvironment.IsCi)
        {
            var server = TestServerEnvironment.Radicale;
            _dav = new DavItemStore(
                new HttpClient(server.CreateHttpHandler()),
                new DavStoreOptions { BaseUri = server.BaseUri, UserName = server.UserName, Password = server.Password, Quirks = DavServerQuirks.Radicale });
        }
    }

    public async Task DisposeAsync()
    {
        await _state.DisposeAsync();
        await _emulator.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    [ServerFact(TestServer.Radicale)]
    public async Task DemoCalendar_SyncsBothWays_WithoutMeetingMessages_AndSecondRunWritesNothing()
    {
        var exchange = (await _ews.DiscoverCollectionsAsync(ItemKind.Event, CancellationToken.None)).First(c => c.Kind == ItemKind.Event);
        var nextcloud = await _dav!.CreateCollectionAsync($"e2e-ews {Guid.NewGuid():N}", ItemKind.Event, CancellationToken.None);
        var pair = await _state.SavePairAsync(
            new FolderPair { UserId = "alice", Kind = ItemKind.Event, ExchangeCollectionId = exchange.Id, NextcloudCollectionId = nextcloud.Id },
            CancellationToken.None);
        _emulator.ClearOutbox();

        var first = await SyncAsync(pair, exchange, nextcloud);

        var inExchange = await ReadAllAsync(_ews, exchange);
        var inNextcloud = await ReadAllAsync(_dav, nextcloud);
        Assert.NotEmpty(inExchange);
        Assert.Empty(first.Problems);
        Assert.Equal(inExchange.Select(i => i.Uid).Order(), inNextcloud.Select(i => i.Uid).Order());
        var series = inExchange.OfType<CalendarEvent>().FirstOrDefault(e => e.Recurrence is not null && (e.Overrides.Count > 0 || e.ExcludedDates.Count > 0));
        if (series is not null)
        {
            var copy = inNextcloud.OfType<CalendarEvent>().Single(e => e.Uid == series.Uid);
            Assert.Equal(series.Start, copy.Start);
            Assert.Equal(series.Recurrence, copy.Recurrence);
            Assert.Equal(series.ExcludedDates, copy.ExcludedDates);
            Assert.Equal(series.Overrides.Count, copy.Overrides.Count);
        }

        var second = await SyncAsync(pair, exchange, nextcloud);
        Assert.Equal(0, second.Writes);

        // An event created in Nextcloud reaches Exchange, and Exchange sends nobody anything (S01).
        var meeting = new CalendarEvent
        {
            Uid = "e2e-meeting-" + Guid.NewGuid().ToString("N"),
            Summary = "Planning",
            Start = CalendarTime.InZone(new DateTime(2025, 6, 2, 14, 0, 0), "Europe/Berlin"),
            End = CalendarTime.InZone(new DateTime(2025, 6, 2, 15, 0, 0), "Europe/Berlin"),
            Organizer = new Organizer { Email = Mailbox, Name = "Alice" },
            Attendees = [new Attendee { Email = "bob@contoso.com", Name = "Bob" }],
        };
        Assert.True((await _dav.CreateAsync(nextcloud, meeting, CancellationToken.None)).IsSuccess);

        var third = await SyncAsync(pair, exchange, nextcloud);

        Assert.Equal(1, third.Count(SyncActionKind.Create, Side.Exchange));
        Assert.Contains(await ReadAllAsync(_ews, exchange), i => i.Uid == meeting.Uid);
        Assert.Empty(_emulator.AllOutbox());
        Assert.Equal(0, (await SyncAsync(pair, exchange, nextcloud)).Writes);
    }

    private async Task<SyncReport> SyncAsync(FolderPair pair, CollectionInfo exchange, CollectionInfo nextcloud)
    {
        var current = (await _state.GetPairsAsync("alice", CancellationToken.None)).Single(p => p.PairId == pair.PairId);
        return await new PairSynchronizer(_ews, _dav!, _state, new SyncOptions()).SyncAsync(current, exchange, nextcloud, CancellationToken.None);
    }

    private static async Task<List<ISyncItem>> ReadAllAsync(IItemStore store, CollectionInfo collection)
    {
        var listing = new List<ItemChange>();
        string? token = null;
        ChangeFeed feed;
        do
        {
            feed = await store.GetChangesAsync(collection, token, CancellationToken.None);
            listing.AddRange(feed.Changes);
            token = feed.NewToken;
        }
        while (feed.MoreAvailable);

        var fetched = await store.FetchAsync(collection, [.. listing.Where(c => c.Kind == ChangeKind.Upserted).Select(c => c.Id).Distinct()], CancellationToken.None);
        return [.. fetched.Where(f => f.Status == FetchStatus.Found).Select(f => f.Item!.Item)];
    }
}
