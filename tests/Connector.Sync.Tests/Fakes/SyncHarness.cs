using Connector.Domain;
using Connector.Sync.Engine;
using Connector.Sync.State;
using Connector.Sync.Stores;

using Connector.Testing.Fakes;

namespace Connector.Sync.Tests.Fakes;

/// <summary>Two in-memory stores, an in-memory state store and one pair.</summary>
internal sealed class SyncHarness
{
    public InMemoryItemStore Exchange { get; } = new("ex");

    public InMemoryItemStore Nextcloud { get; } = new("nc");

    public InMemoryStateStore State { get; } = new();

    public FolderPair Pair { get; private set; } = null!;

    public static async Task<SyncHarness> CreateAsync()
    {
        var harness = new SyncHarness();
        harness.Pair = await harness.State.SavePairAsync(
            new FolderPair { UserId = "user", Kind = ItemKind.Event, ExchangeCollectionId = "c", NextcloudCollectionId = "c" },
            CancellationToken.None);
        return harness;
    }

    public async Task<SyncReport> RunAsync(SyncOptions? options = null)
    {
        var synchronizer = new PairSynchronizer(Exchange, Nextcloud, State, options ?? new SyncOptions());
        var report = await synchronizer.SyncAsync(State.Pair(Pair.PairId), Exchange.Collection, Nextcloud.Collection, CancellationToken.None);
        return report;
    }

    public static CalendarEvent Event(string uid, string summary, int minute = 0) => new()
    {
        Uid = uid,
        Summary = summary,
        Start = CalendarTime.FromUtc(new DateTime(2025, 1, 6, 9, 0, 0)),
        End = CalendarTime.FromUtc(new DateTime(2025, 1, 6, 10, 0, 0)),
        LastModified = new DateTime(2025, 1, 1, 12, minute, 0, DateTimeKind.Utc),
    };

    public static string? SummaryOf(InMemoryItemStore store, string uid) => (store.ByUid(uid) as CalendarEvent)?.Summary;
}
