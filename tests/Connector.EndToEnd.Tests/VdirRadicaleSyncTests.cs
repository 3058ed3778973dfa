using Connector.Domain;
using Connector.Mapping.ICalendar;
using Connector.State;
using Connector.Stores.Dav;
using Connector.Stores.Vdir;
using Connector.Sync.Engine;
using Connector.Sync.State;
using Connector.Sync.Stores;
using Connector.Testing;
using CsCheck;

namespace Connector.EndToEnd.Tests;

/// <summary>
/// The engine end to end with real stores: a vdir folder on one side (standing in for Exchange until
/// the EWS store exists), a real Radicale on the other, the state in SQLite.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "xunit disposes through IAsyncLifetime.DisposeAsync.")]
public sealed class VdirRadicaleSyncTests : IAsyncLifetime
{
    private EndToEndSetup _setup = null!;
    private readonly List<string> _davCollections = [];
    private SqliteStateStore _state = null!;
    private VdirItemStore _vdir = null!;
    private DavItemStore _dav = null!;

    public async Task InitializeAsync()
    {
        _setup = await EndToEndSetup.CreateAsync("connector-e2e-", "test", "test@example.org");
        _state = _setup.State;
        _vdir = new VdirItemStore(Path.Combine(_setup.Folder, "vdir"));
        _dav = _setup.Dav!;
    }

    public async Task DisposeAsync()
    {
        await _setup.DisposeAsync();
    }

    [ServerFact(TestServer.Radicale)]
    public async Task Events_BothWays_ConvergeAndSecondRunWritesNothing()
    {
        var (pair, vdir, dav) = await NewPairAsync(ItemKind.Event);
        var series = Assert.Single(ICalendarReader.Read(Series).Events);
        await _vdir.CreateAsync(vdir, series, CancellationToken.None);
        await _vdir.CreateAsync(vdir, AllDay("holiday", new DateOnly(2025, 12, 24), new DateOnly(2025, 12, 27)), CancellationToken.None);
        await _dav.CreateAsync(dav, Timed("dentist", "Dentist", "America/Los_Angeles"), CancellationToken.None);

        var first = await SyncAsync(pair, vdir, dav);

        Assert.Equal(2, first.Count(SyncActionKind.Create, Side.Nextcloud));
        Assert.Equal(1, first.Count(SyncActionKind.Create, Side.Exchange));
        var onRadicale = await StoreContents.ReadItemsAsync(_dav, dav);
        Assert.Equal(series, onRadicale.Single(i => i.Uid == series.Uid));
        Assert.Equal(3, onRadicale.Count);
        Assert.Equal(3, (await StoreContents.ReadItemsAsync(_vdir, vdir)).Count);

        var second = await SyncAsync(pair, vdir, dav);
        Assert.Empty(second.Planned);
        Assert.Equal(0, second.ItemsFetched);
    }

    [ServerFact(TestServer.Radicale)]
    public async Task Events_EditsAndDeletes_Propagate()
    {
        var (pair, vdir, dav) = await NewPairAsync(ItemKind.Event);
        await _vdir.CreateAsync(vdir, Timed("a", "A", "Europe/Berlin"), CancellationToken.None);
        await _vdir.CreateAsync(vdir, Timed("b", "B", "Europe/Berlin"), CancellationToken.None);
        await SyncAsync(pair, vdir, dav);

        // Edit in Radicale, delete in the vdir.
        var onDav = await StoreContents.FindAsync(_dav, dav, "a");
        var edited = ((CalendarEvent)onDav.Item) with { Summary = "A (moved)" };
        Assert.True((await _dav.UpdateAsync(dav, onDav.Id, onDav.Version, edited, CancellationToken.None)).IsSuccess);
        var inVdir = await StoreContents.FindAsync(_vdir, vdir, "b");
        Assert.True((await _vdir.DeleteAsync(vdir, inVdir.Id, inVdir.Version, CancellationToken.None)).IsSuccess);

        var report = await SyncAsync(pair, vdir, dav);

        Assert.Equal(1, report.Count(SyncActionKind.Update, Side.Exchange));
        Assert.Equal(1, report.Count(SyncActionKind.Delete, Side.Nextcloud));
        Assert.Equal("A (moved)", ((CalendarEvent)(await StoreContents.FindAsync(_vdir, vdir, "a")).Item).Summary);
        Assert.DoesNotContain(await StoreContents.ReadItemsAsync(_dav, dav), i => i.Uid == "b");
        Assert.Empty((await SyncAsync(pair, vdir, dav)).Planned);
    }

    [ServerFact(TestServer.Radicale)]
    public async Task S03_BothSidesHoldTheSameItems_FirstSyncCreatesNothing()
    {
        var (pair, vdir, dav) = await NewPairAsync(ItemKind.Event);
        foreach (var uid in new[] { "x1", "x2", "x3" })
        {
            await _vdir.CreateAsync(vdir, Timed(uid, "Same", "Europe/Paris"), CancellationToken.None);
            await _dav.CreateAsync(dav, Timed(uid, "Same", "Europe/Paris"), CancellationToken.None);
        }

        var report = await SyncAsync(pair, vdir, dav);

        Assert.Equal(0, report.Writes);
        Assert.Equal(3, report.Planned.Count(a => a.Kind == SyncActionKind.Link));
        Assert.Equal(3, (await StoreContents.ReadItemsAsync(_dav, dav)).Count);
    }

    [ServerFact(TestServer.Radicale)]
    public async Task TasksAndContacts_BothWays_Converge()
    {
        foreach (var kind in new[] { ItemKind.Task, ItemKind.Contact })
        {
            var (pair, vdir, dav) = await NewPairAsync(kind);
            ISyncItem a = kind == ItemKind.Task
                ? new TaskItem { Uid = "t1", Summary = "File taxes", Due = CalendarTime.FromDate(new DateOnly(2025, 4, 30)), Priority = 1 }
                : new Contact { Uid = "c1", FormattedName = "Ann Example", Name = new StructuredName { Family = "Example", Given = "Ann" }, Emails = [new TypedValue { Value = "ann@example.com", Types = ["work"] }] };
            ISyncItem b = kind == ItemKind.Task
                ? new TaskItem { Uid = "t2", Summary = "Call Bob", Status = Connector.Domain.TaskStatus.InProcess, PercentComplete = 50 }
                : new Contact { Uid = "c2", FormattedName = "Bob Example", Phones = [new TypedValue { Value = "+49 30 123", Types = ["cell"] }] };
            await _vdir.CreateAsync(vdir, a, CancellationToken.None);
            await _dav.CreateAsync(dav, b, CancellationToken.None);

            await SyncAsync(pair, vdir, dav);

            Assert.Equal(a, (await StoreContents.FindAsync(_dav, dav, a.Uid)).Item);
            Assert.Equal(b, (await StoreContents.FindAsync(_vdir, vdir, b.Uid)).Item);
            Assert.Empty((await SyncAsync(pair, vdir, dav)).Planned);
        }
    }

    /// <summary>Random edits and deletes on both real stores between syncs converge, nothing duplicated.</summary>
    [ServerFact(TestServer.Radicale)]
    public void RandomEditsOnBothSides_Converge()
    {
        var op = Gen.Select(Gen.Int[0, 5], Gen.Int[0, 3], Gen.Int[0, 999], (kind, uid, value) => (Kind: kind, Uid: $"r{uid}", Value: value));
        op.List[5, 20].Sample(ops => RunHistoryAsync(ops).GetAwaiter().GetResult(), iter: PropertyRuns.Iterations(6));
    }

    private async Task RunHistoryAsync(List<(int Kind, string Uid, int Value)> ops)
    {
        var (pair, vdir, dav) = await NewPairAsync(ItemKind.Event);
        var edit = 0;
        foreach (var (kind, uid, value) in ops)
        {
            IItemStore store = kind % 2 == 0 ? _vdir : _dav;
            var collection = kind % 2 == 0 ? vdir : dav;
            var existing = (await StoreContents.ReadAsync(store, collection)).FirstOrDefault(i => i.Item.Uid == uid);
            switch (kind)
            {
                case 0 or 1:
                    var item = Timed(uid, $"v{value}.{++edit}", "Europe/Berlin");
                    var result = existing is null
                        ? await store.CreateAsync(collection, item, CancellationToken.None)
                        : await store.UpdateAsync(collection, existing.Id, existing.Version, item, CancellationToken.None);
                    Assert.True(result.IsSuccess, result.Reason);
                    break;
                case 2 or 3 when existing is not null:
                    Assert.True((await store.DeleteAsync(collection, existing.Id, existing.Version, CancellationToken.None)).IsSuccess);
                    break;
                default:
                    Trace("sync", await SyncAsync(pair, vdir, dav));
                    break;
            }
        }

        Trace("final", await SyncAsync(pair, vdir, dav));
        var quiet = await SyncAsync(pair, vdir, dav);
        Trace("quiet", quiet);
        Assert.Empty(quiet.Planned);
        var left = (await StoreContents.ReadItemsAsync(_vdir, vdir)).OrderBy(i => i.Uid).ToList();
        var right = (await StoreContents.ReadItemsAsync(_dav, dav)).OrderBy(i => i.Uid).ToList();
        Assert.Equal(left.Select(i => i.Uid).Distinct().Count(), left.Count);
        Assert.Equal(left, right);
    }

    /// <summary>CONNECTOR_DEBUG_SYNC=1 prints what each sync of a random history planned.</summary>
    private static void Trace(string what, SyncReport report)
    {
        if (Environment.GetEnvironmentVariable("CONNECTOR_DEBUG_SYNC") == "1")
        {
            Console.WriteLine($"{what}: {report.Describe()} | {string.Join("; ", report.Planned.Select(a => $"{a.Kind} {a.Target} {a.Uid}"))} | {string.Join("; ", report.Problems.Select(p => $"{p.Uid}: {p.Reason}"))} | full E={report.ExchangeFullListing} N={report.NextcloudFullListing}");
        }
    }

    private async Task<(FolderPair Pair, CollectionInfo Vdir, CollectionInfo Dav)> NewPairAsync(ItemKind kind)
    {
        var name = $"e2e {kind} {Guid.NewGuid():N}";
        var vdir = await _vdir.CreateCollectionAsync(name, kind, CancellationToken.None);
        var dav = await _dav.CreateCollectionAsync(name, kind, CancellationToken.None);
        _davCollections.Add(dav.Id);
        var pair = await _state.SavePairAsync(
            new FolderPair { UserId = "test", Kind = kind, ExchangeCollectionId = vdir.Id, NextcloudCollectionId = dav.Id },
            CancellationToken.None);
        return (pair, vdir, dav);
    }

    private Task<SyncReport> SyncAsync(FolderPair pair, CollectionInfo vdir, CollectionInfo dav) =>
        _setup.SyncAsync(_vdir, pair, vdir, dav);

    private static CalendarEvent Timed(string uid, string summary, string zone) => new()
    {
        Uid = uid,
        Summary = summary,
        Start = CalendarTime.InZone(new DateTime(2025, 3, 10, 9, 0, 0), zone),
        End = CalendarTime.InZone(new DateTime(2025, 3, 10, 10, 0, 0), zone),
    };

    private static CalendarEvent AllDay(string uid, DateOnly first, DateOnly endExclusive) => new()
    {
        Uid = uid,
        Summary = "Holiday",
        Start = CalendarTime.FromDate(first),
        End = CalendarTime.FromDate(endExclusive),
    };

    private const string Series = """
        BEGIN:VCALENDAR
        VERSION:2.0
        BEGIN:VEVENT
        UID:series-e2e
        DTSTART;TZID=Europe/Berlin:20250303T090000
        DTEND;TZID=Europe/Berlin:20250303T093000
        RRULE:FREQ=WEEKLY;BYDAY=MO;COUNT=10
        EXDATE;TZID=Europe/Berlin:20250310T090000
        SUMMARY:Standup
        ORGANIZER;CN=Olga:mailto:olga@example.com
        ATTENDEE;PARTSTAT=ACCEPTED:mailto:ann@example.com
        END:VEVENT
        BEGIN:VEVENT
        UID:series-e2e
        RECURRENCE-ID;TZID=Europe/Berlin:20250317T090000
        DTSTART;TZID=Europe/Berlin:20250317T100000
        DTEND;TZID=Europe/Berlin:20250317T103000
        SUMMARY:Standup (moved)
        ORGANIZER;CN=Olga:mailto:olga@example.com
        END:VEVENT
        BEGIN:VEVENT
        UID:series-e2e
        RECURRENCE-ID;TZID=Europe/Berlin:20250331T090000
        DTSTART;TZID=Europe/Berlin:20250331T090000
        DTEND;TZID=Europe/Berlin:20250331T100000
        SUMMARY:Standup (long)
        ORGANIZER;CN=Olga:mailto:olga@example.com
        END:VEVENT
        END:VCALENDAR
        """;
}
