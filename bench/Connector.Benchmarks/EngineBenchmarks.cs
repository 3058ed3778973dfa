using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using Connector.Domain;
using Connector.Sync.Engine;
using Connector.Sync.State;
using Connector.Sync.Stores;
using Connector.Testing.Fakes;

namespace Connector.Benchmarks;

/// <summary>
/// Engine overhead per item (planning, hashing, relation writes), with both sides in memory so no
/// protocol cost is in the way: a first sync of 2,000 events (2,000 creates), a run after 100 edits,
/// and an empty run. The state store is SQLite or PostgreSQL (<c>CONNECTOR_TEST_POSTGRES</c>, as for
/// <see cref="StateCommitBenchmarks"/>). Times are per item of the collection.
/// </summary>
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 6)]
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "The store is disposed in GlobalCleanup, BenchmarkDotNet's end of a benchmark.")]
public class EngineBenchmarks
{
    private const int Items = 2_000;

    private BenchStateStore _bench = null!;
    private InMemoryItemStore _exchange = null!;
    private InMemoryItemStore _nextcloud = null!;
    private FolderPair _pair = null!;
    private int _pairs;

    [Params("Sqlite", "Postgres")]
    public string Provider { get; set; } = "Sqlite";

    [GlobalSetup]
    public async Task SetupAsync() => _bench = await BenchStateStore.CreateAsync(Provider);

    [GlobalCleanup]
    public ValueTask CleanupAsync() => _bench.DisposeAsync();

    [IterationSetup(Target = nameof(FirstSync))]
    public void Fresh() => NewPairWithExchangeItems();

    [IterationSetup(Target = nameof(AfterHundredEdits))]
    public void SyncedThenEdited()
    {
        NewPairWithExchangeItems();
        RunAsync().GetAwaiter().GetResult();
        for (var i = 0; i < 100; i++)
        {
            _exchange.Put(Event(i * 20, "edited"));
        }
    }

    [IterationSetup(Target = nameof(EmptyRun))]
    public void Synced()
    {
        NewPairWithExchangeItems();
        RunAsync().GetAwaiter().GetResult();
    }

    [Benchmark(OperationsPerInvoke = Items)]
    public Task<SyncReport> FirstSync() => RunAsync();

    [Benchmark(OperationsPerInvoke = Items)]
    public Task<SyncReport> AfterHundredEdits() => RunAsync();

    [Benchmark(OperationsPerInvoke = Items)]
    public Task<SyncReport> EmptyRun() => RunAsync();

    private async Task<SyncReport> RunAsync()
    {
        var pair = (await _bench.Store.GetPairsAsync("bench", CancellationToken.None)).Single(p => p.PairId == _pair.PairId);
        var synchronizer = new PairSynchronizer(_exchange, _nextcloud, _bench.Store, new SyncOptions());
        return await synchronizer.SyncAsync(pair, _exchange.Collection, _nextcloud.Collection, CancellationToken.None);
    }

    private void NewPairWithExchangeItems()
    {
        _exchange = new InMemoryItemStore("ex");
        _nextcloud = new InMemoryItemStore("nc");
        for (var i = 0; i < Items; i++)
        {
            _exchange.Put(Event(i, "Weekly sync"));
        }

        _pair = _bench.Store.SavePairAsync(
            new FolderPair { UserId = "bench", Kind = ItemKind.Event, ExchangeCollectionId = "calendar-" + _pairs++, NextcloudCollectionId = "personal" },
            CancellationToken.None).GetAwaiter().GetResult();
    }

    private static CalendarEvent Event(int i, string summary) => new()
    {
        Uid = $"040000008200E00074C5B7101A82E00800000000{i:D8}",
        Summary = summary,
        Description = "Agenda:\n1. Status\n2. Risks\n3. Next steps",
        Location = "Room 4.12",
        Start = CalendarTime.InZone(new DateTime(2025, 1, 7, 10, 0, 0).AddDays(i % 300), "Europe/Berlin"),
        End = CalendarTime.InZone(new DateTime(2025, 1, 7, 11, 0, 0).AddDays(i % 300), "Europe/Berlin"),
        Organizer = new Organizer { Email = "olga@example.com", Name = "Olga" },
        Attendees = [new Attendee { Email = "ann@example.com" }, new Attendee { Email = "bob@example.com", Role = AttendeeRole.Optional }],
        Reminders = [new Reminder { Offset = TimeSpan.FromMinutes(-15) }],
    };
}
