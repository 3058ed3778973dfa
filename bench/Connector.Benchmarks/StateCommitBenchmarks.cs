using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using Connector.Sync.State;
using Connector.Sync.Stores;

namespace Connector.Benchmarks;

/// <summary>
/// Cost per relation of <c>CommitAsync</c> as a first sync uses it (S15): 10,000 relations in batches of 100
/// (<c>BatchSaveSize</c>), each batch with its tokens, into an empty pair (Insert) or over the same 10,000
/// relations again (Update). The reported time is per relation (OperationsPerInvoke). PostgreSQL needs
/// <c>CONNECTOR_TEST_POSTGRES</c>: run <c>./build.sh servers</c> and export what it prints, then
/// <c>./build.sh bench --filter '*StateCommit*'</c>; each run works in a schema of its own, dropped at the end.
/// </summary>
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 2, iterationCount: 8)]
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "The store is disposed in GlobalCleanup, BenchmarkDotNet's end of a benchmark.")]
public class StateCommitBenchmarks
{
    private const int Relations = 10_000;
    private const int BatchSize = 100;

    private readonly List<ItemRelation[]> _batches = [];
    private BenchStateStore _bench = null!;
    private long _pairId;
    private int _pairs;

    [Params("Sqlite", "Postgres")]
    public string Provider { get; set; } = "Sqlite";

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _bench = await BenchStateStore.CreateAsync(Provider);
        var now = DateTimeOffset.UtcNow;
        for (var b = 0; b < Relations / BatchSize; b++)
        {
            _batches.Add(Enumerable.Range(b * BatchSize, BatchSize).Select(i => Relation(i, now)).ToArray());
        }
    }

    [GlobalCleanup]
    public ValueTask CleanupAsync() => _bench.DisposeAsync();

    [IterationSetup(Target = nameof(Insert))]
    public void NewPair() => _pairId = SavePair().PairId;

    [IterationSetup(Target = nameof(Update))]
    public void FilledPair()
    {
        NewPair();
        CommitAll().GetAwaiter().GetResult();
    }

    [Benchmark(OperationsPerInvoke = Relations)]
    public Task Insert() => CommitAll();

    [Benchmark(OperationsPerInvoke = Relations)]
    public Task Update() => CommitAll();

    private async Task CommitAll()
    {
        for (var b = 0; b < _batches.Count; b++)
        {
            await _bench.Store.CommitAsync(_pairId, _batches[b], [], new PairTokens("H4sIAAAAAAAEAO29B2AcSZYlJi9tynt" + b, null), CancellationToken.None);
        }
    }

    private FolderPair SavePair() =>
        _bench.Store.SavePairAsync(
            new FolderPair { UserId = "bench", Kind = ItemKind.Event, ExchangeCollectionId = "AAMkCalendar" + _pairs++, NextcloudCollectionId = "/remote.php/dav/calendars/bench/personal/" },
            CancellationToken.None).GetAwaiter().GetResult();

    /// <summary>Sizes as Exchange and Nextcloud send them: a 152-character EWS ItemId, a 40-character ChangeKey, a SHA-256.</summary>
    private static ItemRelation Relation(int i, DateTimeOffset now) => new()
    {
        Uid = $"040000008200E00074C5B7101A82E00800000000{i:D8}A1B2C3D4E5F60708000000000000000010000000",
        ExchangeId = $"AAMkADk0ZTg3NzY5LTk1Y2QtNGI4Ni1hN2E3LTQ4MjE1ZTY2YjJkOQBGAAAAAAC7v0Wl1p9hRqzYk3ND6aZ1BwDtI8QH0Wq9SYB3hJm2pGzhAAAAAAENAADtI8QH0Wq9SYB3hJm2pGzhAAA{i:D8}AAA=",
        ExchangeVersion = $"DwAAABYAAADtI8QH0Wq9SYB3hJm2pGzhAAA{i:D5}",
        NextcloudId = $"/remote.php/dav/calendars/bench/personal/040000008200E00074C5B7101A82E008-{i:D8}.ics",
        NextcloudVersion = $"\"{i:x8}5f3c2d1e0a9b8c7d6e5f4a3b\"",
        ContentHash = $"{i:x8}e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"[..64],
        UpdatedAt = now,
    };
}
