using Connector.Domain;
using Connector.Sync.Engine;
using Connector.Sync.Stores;
using Connector.Testing;
using CsCheck;

namespace Connector.EndToEnd.Tests;

/// <summary>One side of a random history: the store, its collection, and the name the trace gives it.</summary>
internal sealed record HistorySide(string Name, IItemStore Store, CollectionInfo Collection);

/// <summary>
/// The engine's property test end to end, for an Exchange store against Radicale: random creates, edits and deletes of
/// events on both sides between syncs; afterwards both hold the same events with the same titles, nothing twice, and
/// a further run plans nothing. Steps: kind 0/1 creates or edits on Exchange/Nextcloud, 2/3 deletes there (when
/// the item exists), anything else syncs.
/// </summary>
internal static class RandomHistory
{
    public static readonly Gen<List<(int Kind, string Uid, int Value)>> Steps =
        Gen.Select(Gen.Int[0, 5], Gen.Int[0, 3], Gen.Int[0, 999], (kind, uid, value) => (Kind: kind, Uid: $"x{uid}", Value: value)).List[5, 16];

    /// <summary>Plays <paramref name="steps"/> and checks the outcome; a failure message carries the whole trace.</summary>
    /// <param name="firstDay">The events fall on the 30 days from this date, 09:00–10:00 Berlin time.</param>
    /// <param name="sync">One engine run of the pair.</param>
    /// <param name="finalRuns">Syncs after the history before the one that must plan nothing.</param>
    public static async Task RunAsync(
        IEnumerable<(int Kind, string Uid, int Value)> steps,
        HistorySide exchange,
        HistorySide nextcloud,
        DateTime firstDay,
        Func<Task<SyncReport>> sync,
        int finalRuns = 1)
    {
        // Each history gets fresh UIDs: the Radicale account outlives it.
        var prefix = Guid.NewGuid().ToString("N")[..6];
        var edit = 0;
        var trace = new List<string>();
        foreach (var (kind, name, value) in steps)
        {
            var uid = prefix + "-" + name;
            var side = kind % 2 == 0 ? exchange : nextcloud;
            var existing = (await StoreContents.ReadAsync(side.Store, side.Collection)).FirstOrDefault(i => i.Item.Uid == uid);
            switch (kind)
            {
                case 0 or 1:
                    var item = new CalendarEvent
                    {
                        Uid = uid,
                        Summary = $"v{value}.{++edit}",
                        Start = CalendarTime.InZone(firstDay.AddDays(value % 30).AddHours(9), "Europe/Berlin"),
                        End = CalendarTime.InZone(firstDay.AddDays(value % 30).AddHours(10), "Europe/Berlin"),
                    };
                    var result = existing is null
                        ? await side.Store.CreateAsync(side.Collection, item, CancellationToken.None)
                        : await side.Store.UpdateAsync(side.Collection, existing.Id, existing.Version, item, CancellationToken.None);
                    trace.Add($"{side.Name} {(existing is null ? "create" : "update")} {name} -> {result.Status} {result.Version}");
                    Assert.True(result.IsSuccess, result.Reason);
                    break;
                case 2 or 3 when existing is not null:
                    trace.Add($"{side.Name} delete {name}");
                    Assert.True((await side.Store.DeleteAsync(side.Collection, existing.Id, existing.Version, CancellationToken.None)).IsSuccess);
                    break;
                default:
                    trace.Add("sync: " + Describe(await sync()));
                    break;
            }
        }

        for (var run = 0; run < finalRuns; run++)
        {
            trace.Add($"final {run}: " + Describe(await sync()));
        }

        var quiet = await sync();
        trace.Add("quiet: " + Describe(quiet));
        Assert.True(quiet.Planned.Count == 0, string.Join("\n", trace));
        var left = (await StoreContents.ReadItemsAsync(exchange.Store, exchange.Collection)).Select(i => (i.Uid, (i as CalendarEvent)?.Summary)).Order().ToList();
        var right = (await StoreContents.ReadItemsAsync(nextcloud.Store, nextcloud.Collection)).Select(i => (i.Uid, (i as CalendarEvent)?.Summary)).Order().ToList();
        Assert.Equal(left.Select(i => i.Uid).Distinct().Count(), left.Count);
        Assert.True(left.SequenceEqual(right), $"{exchange.Name}: {string.Join(", ", left)}\n{nextcloud.Name}: {string.Join(", ", right)}\n{string.Join("\n", trace)}");
    }

    private static string Describe(SyncReport r) =>
        string.Join("; ", r.Planned.Select(a => $"{a.Kind} {a.Target} {a.Uid[(a.Uid.IndexOf('-', StringComparison.Ordinal) + 1)..]} ({a.Why})"))
        + $" [fetched {r.ItemsFetched}, problems: {string.Join("; ", r.Problems.Select(p => p.Reason))}]";
}
