using Connector.Domain;
using Connector.Emulator;
using Connector.State;
using Connector.Stores.Dav;
using Connector.Stores.Ews;
using Connector.Sync.Engine;
using Connector.Sync.State;
using Connector.Sync.Stores;
using Connector.Testing;
using CsCheck;

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
    private EndToEndSetup _setup = null!;
    private ExchangeEmulator _emulator = null!;
    private SqliteStateStore _state = null!;
    private EwsItemStore _ews = null!;
    private DavItemStore? _dav;

    public async Task InitializeAsync()
    {
        _emulator = await ExchangeEmulator.StartAsync(new EmulatorOptions { Port = 0, Seed = "demo" }, CancellationToken.None);
        _ews = new EwsItemStore(new HttpClient(), new EwsStoreOptions { EwsUrl = _emulator.EwsUri, UserName = "svc-sync", Password = "Passw0rd!", Mailbox = Mailbox, MailboxTimeZone = "Europe/Berlin" });
        _setup = await EndToEndSetup.CreateAsync("connector-e2e-ews-", "alice", Mailbox);
        _state = _setup.State;
        _dav = _setup.Dav;
    }

    public async Task DisposeAsync()
    {
        await _setup.DisposeAsync();
        await _emulator.DisposeAsync();
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

        var inExchange = await StoreContents.ReadItemsAsync(_ews, exchange);
        var inNextcloud = await StoreContents.ReadItemsAsync(_dav, nextcloud);
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
        Assert.Contains(await StoreContents.ReadItemsAsync(_ews, exchange), i => i.Uid == meeting.Uid);
        Assert.Empty(_emulator.AllOutbox());
        Assert.Equal(0, (await SyncAsync(pair, exchange, nextcloud)).Writes);
    }

    /// <summary>
    /// S03 for contacts: Alice's Exchange contacts (created in Exchange, so without a UID of their own)
    /// already exist in her Nextcloud address book under other UIDs, as a previous tool left them. The
    /// first sync pairs them by name and e-mail: nothing is created on either side, the Exchange copies
    /// take the vCard UIDs, and a second run writes nothing.
    /// </summary>
    [ServerFact(TestServer.Radicale)]
    public async Task S03_ExistingContactsOnBothSides_ArePairedByNameAndEmail()
    {
        var exchange = (await _ews.DiscoverCollectionsAsync(ItemKind.Contact, CancellationToken.None)).First(c => c.Kind == ItemKind.Contact);
        var nextcloud = await _dav!.CreateCollectionAsync($"e2e-contacts {Guid.NewGuid():N}", ItemKind.Contact, CancellationToken.None);
        var inExchange = (await StoreContents.ReadItemsAsync(_ews, exchange)).OfType<Contact>().ToList();
        Assert.True(inExchange.Count >= 2, "the demo seed has contacts");
        foreach (var contact in inExchange)
        {
            Assert.True((await _dav.CreateAsync(nextcloud, contact with { Uid = "previous-tool-" + Guid.NewGuid().ToString("N") }, CancellationToken.None)).IsSuccess);
        }

        var pair = await _state.SavePairAsync(
            new FolderPair { UserId = "alice", Kind = ItemKind.Contact, ExchangeCollectionId = exchange.Id, NextcloudCollectionId = nextcloud.Id },
            CancellationToken.None);

        var first = await SyncAsync(pair, exchange, nextcloud);

        Assert.Empty(first.Problems);
        Assert.Equal(0, first.Count(SyncActionKind.Create, Side.Exchange) + first.Count(SyncActionKind.Create, Side.Nextcloud));
        var afterExchange = (await StoreContents.ReadItemsAsync(_ews, exchange)).Select(i => i.Uid).Order().ToList();
        var afterNextcloud = (await StoreContents.ReadItemsAsync(_dav, nextcloud)).Select(i => i.Uid).Order().ToList();
        Assert.Equal(inExchange.Count, afterExchange.Count);
        Assert.Equal(afterNextcloud, afterExchange);
        Assert.All(afterExchange, uid => Assert.StartsWith("previous-tool-", uid, StringComparison.Ordinal));
        Assert.Equal(0, (await SyncAsync(pair, exchange, nextcloud)).Writes);
    }

    /// <summary>
    /// The engine's property test once end to end: random creates, edits and deletes in Exchange (the
    /// emulator) and in Radicale between syncs; afterwards both hold the same items with the same
    /// titles, nothing twice, no scheduling message sent, and a further run plans nothing.
    /// </summary>
    [ServerFact(TestServer.Radicale)]
    public void RandomEditsOnBothSides_Converge() =>
        RandomHistory.Steps.Sample(steps => RunHistoryAsync(steps).GetAwaiter().GetResult(), iter: PropertyRuns.Iterations(4));

    private async Task RunHistoryAsync(List<(int Kind, string Uid, int Value)> steps)
    {
        // Each history has an Exchange of its own, as each user has a mailbox of their own.
        await using var emulator = await ExchangeEmulator.StartAsync(new EmulatorOptions { Port = 0, Seed = "demo" }, CancellationToken.None);
        var ews = new EwsItemStore(new HttpClient(), new EwsStoreOptions { EwsUrl = emulator.EwsUri, UserName = "svc-sync", Password = "Passw0rd!", Mailbox = Mailbox, MailboxTimeZone = "Europe/Berlin" });
        var exchange = (await ews.DiscoverCollectionsAsync(ItemKind.Event, CancellationToken.None)).First(c => c.Kind == ItemKind.Event);
        var nextcloud = await _dav!.CreateCollectionAsync($"e2e-ews-random {Guid.NewGuid():N}", ItemKind.Event, CancellationToken.None);
        var pair = await _state.SavePairAsync(
            new FolderPair { UserId = "alice", Kind = ItemKind.Event, ExchangeCollectionId = exchange.Id, NextcloudCollectionId = nextcloud.Id },
            CancellationToken.None);

        await RandomHistory.RunAsync(
            steps,
            new HistorySide("ews", ews, exchange),
            new HistorySide("dav", _dav, nextcloud),
            new DateTime(2025, 9, 1),
            () => SyncAsync(ews, pair, exchange, nextcloud));
        Assert.Empty(emulator.AllOutbox());
    }

    private Task<SyncReport> SyncAsync(FolderPair pair, CollectionInfo exchange, CollectionInfo nextcloud) =>
        SyncAsync(_ews, pair, exchange, nextcloud);

    private Task<SyncReport> SyncAsync(EwsItemStore ews, FolderPair pair, CollectionInfo exchange, CollectionInfo nextcloud) =>
        _setup.SyncAsync(ews, pair, exchange, nextcloud);

}
