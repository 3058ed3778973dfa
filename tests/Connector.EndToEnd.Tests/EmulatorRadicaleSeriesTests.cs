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
/// S09 end to end: a weekly series with a deleted and two modified occurrences, created in Nextcloud (a real
/// Radicale), arrives in Exchange (the emulator, through the EWS store) with its exceptions; edits of one exception
/// follow; no run after a sync writes anything, and Exchange sends nobody anything (S01).
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "xunit disposes through IAsyncLifetime.DisposeAsync.")]
public sealed class EmulatorRadicaleSeriesTests : IAsyncLifetime
{
    private const string Mailbox = "series-e2e@contoso.com";
    private const string Zone = "Europe/Berlin";
    private EndToEndSetup _setup = null!;
    private ExchangeEmulator _emulator = null!;
    private SqliteStateStore _state = null!;
    private EwsItemStore _ews = null!;
    private DavItemStore? _dav;

    public async Task InitializeAsync()
    {
        _emulator = await ExchangeEmulator.StartAsync(new EmulatorOptions { Port = 0, Seed = "demo", ValidateResponses = true }, CancellationToken.None);
        _emulator.Mailbox(Mailbox);
        _ews = new EwsItemStore(new HttpClient(), new EwsStoreOptions { EwsUrl = _emulator.EwsUri, UserName = "svc-sync", Password = "Passw0rd!", Mailbox = Mailbox, MailboxTimeZone = Zone });
        _setup = await EndToEndSetup.CreateAsync("connector-e2e-series-", "series", Mailbox);
        _state = _setup.State;
        _dav = _setup.Dav;
    }

    public async Task DisposeAsync()
    {
        await _setup.DisposeAsync();
        await _emulator.DisposeAsync();
    }

    [ServerFact(TestServer.Radicale)]
    public async Task S09_SeriesCreatedInNextcloud_ArrivesInExchangeWithItsExceptions_AndSecondRunWritesNothing()
    {
        var exchange = (await _ews.DiscoverCollectionsAsync(ItemKind.Event, CancellationToken.None)).Single();
        var nextcloud = await _dav!.CreateCollectionAsync($"e2e-series {Guid.NewGuid():N}", ItemKind.Event, CancellationToken.None);
        var pair = await _state.SavePairAsync(
            new FolderPair { UserId = "series", Kind = ItemKind.Event, ExchangeCollectionId = exchange.Id, NextcloudCollectionId = nextcloud.Id },
            CancellationToken.None);
        Assert.Equal(0, (await SyncAsync(pair, exchange, nextcloud)).Writes);

        var series = Series("e2e-series-" + Guid.NewGuid().ToString("N"));
        Assert.True((await _dav.CreateAsync(nextcloud, series, CancellationToken.None)).IsSuccess);

        var first = await SyncAsync(pair, exchange, nextcloud);

        Assert.Empty(first.Problems);
        Assert.Equal(1, first.Count(SyncActionKind.Create, Side.Exchange));
        await AssertBothHoldTheSameSeriesAsync(exchange, nextcloud, series.Uid, expectedOverrides: 2);
        Assert.Equal(0, (await SyncAsync(pair, exchange, nextcloud)).Writes);

        // The same exception edited twice in Nextcloud: each edit reaches Exchange, and nothing comes back.
        foreach (var summary in new[] { "Moved once more", "Moved a third time" })
        {
            var stored = await StoreContents.FindAsync(_dav, nextcloud, series.Uid);
            var current = (CalendarEvent)stored.Item;
            var edited = current with
            {
                Overrides = [.. current.Overrides.Select(o => o.RecurrenceId == Berlin(3, 16, 9) ? o with { Summary = summary, End = Berlin(3, 16, 12) } : o)],
            };
            Assert.True((await _dav.UpdateAsync(nextcloud, stored.Id, stored.Version, edited, CancellationToken.None)).IsSuccess);

            var run = await SyncAsync(pair, exchange, nextcloud);

            Assert.Empty(run.Problems);
            Assert.Equal(1, run.Count(SyncActionKind.Update, Side.Exchange));
            var inExchange = await AssertBothHoldTheSameSeriesAsync(exchange, nextcloud, series.Uid, expectedOverrides: 2);
            Assert.Contains(inExchange.Overrides, o => o.Summary == summary);
            Assert.Equal(0, (await SyncAsync(pair, exchange, nextcloud)).Writes);
        }

        Assert.Empty(_emulator.AllOutbox());
    }

    private static CalendarTime Berlin(int month, int day, int hour, int minute = 0) => CalendarTime.InZone(new DateTime(2026, month, day, hour, minute, 0), Zone);

    /// <summary>Weekly on Mondays 09:00 Berlin ×10 from 2 March 2026, a meeting with Bob; 9 March deleted, 16 March moved, 30 March in another room.</summary>
    private static CalendarEvent Series(string uid)
    {
        var series = new CalendarEvent
        {
            Uid = uid,
            Summary = "Stand-up",
            Location = "Room 1",
            Start = Berlin(3, 2, 9),
            End = Berlin(3, 2, 9, 30),
            Recurrence = new RecurrenceRule { Frequency = RecurrenceFrequency.Weekly, ByDay = [new WeekdayOccurrence(DayOfWeek.Monday)], Count = 10 },
            Organizer = new Organizer { Email = Mailbox, Name = "Series Owner" },
            Attendees = [new Attendee { Email = "bob@contoso.com", Name = "Bob", Status = ParticipationStatus.NeedsAction }],
        };
        CalendarEvent At(CalendarTime recurrenceId) => series with
        {
            RecurrenceId = recurrenceId,
            Start = recurrenceId,
            End = recurrenceId.WithValue(recurrenceId.Value.AddMinutes(30)),
            Recurrence = null,
        };
        return series with
        {
            ExcludedDates = [Berlin(3, 9, 9)],
            Overrides =
            [
                At(Berlin(3, 16, 9)) with { Summary = "Stand-up (moved)", Start = Berlin(3, 16, 11), End = Berlin(3, 16, 11, 30) },
                At(Berlin(3, 30, 9)) with { Location = "Room 2" },
            ],
        };
    }

    /// <summary>The series in Exchange equals the one in Nextcloud, but for what Exchange stamps itself.</summary>
    private async Task<CalendarEvent> AssertBothHoldTheSameSeriesAsync(CollectionInfo exchange, CollectionInfo nextcloud, string uid, int expectedOverrides)
    {
        var inExchange = (CalendarEvent)(await StoreContents.FindAsync(_ews, exchange, uid)).Item;
        var inNextcloud = (CalendarEvent)(await StoreContents.FindAsync(_dav!, nextcloud, uid)).Item;
        Assert.Equal(expectedOverrides, inExchange.Overrides.Count);
        Assert.Equal(Comparable(inNextcloud), Comparable(inExchange));
        Assert.Equal(
            inNextcloud.Overrides.OrderBy(o => o.RecurrenceId!.Value.Value).Select(Comparable),
            inExchange.Overrides.OrderBy(o => o.RecurrenceId!.Value.Value).Select(Comparable));
        return inExchange;
    }

    private static CalendarEvent Comparable(CalendarEvent e) => e with
    {
        Overrides = [],
        Sequence = 0,
        Created = null,
        LastModified = null,
        Organizer = e.Organizer is { } o ? o with { Name = null } : null,
        ExtraProperties = [],
    };

    private Task<SyncReport> SyncAsync(FolderPair pair, CollectionInfo exchange, CollectionInfo nextcloud) =>
        _setup.SyncAsync(_ews, pair, exchange, nextcloud);
}
