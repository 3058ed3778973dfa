using System.Globalization;
using System.Text;

namespace Connector.Sync.Engine;

/// <summary>An item that could not be synced this run, named by UID and id only (never content).</summary>
public sealed record ItemProblem(string Uid, Side Side, string? Id, string Reason, string? Version = null);

/// <summary>What one pair's run planned and did.</summary>
public sealed class SyncReport
{
    private readonly Dictionary<(SyncActionKind Kind, Side Target), int> _done = [];

    public bool DryRun { get; init; }

    public List<SyncAction> Planned { get; } = [];

    public List<ItemProblem> Problems { get; } = [];

    /// <summary>
    /// What this run wrote on each side: id and the version the store returned (null when it did not
    /// say; deletions have none). Used to recognise the run's own changes when confirming tokens.
    /// </summary>
    public List<(Side Side, string Id, string? Version, bool Deleted)> OwnWrites { get; } = [];

    /// <summary>Writes that failed, with why; they decide which tokens may be saved.</summary>
    public List<(SyncAction Action, Stores.WriteStatus Status)> FailedWrites { get; } = [];

    /// <summary>Set when the empty-side guard or a halted state stopped the pair (S06).</summary>
    public string? HaltReason { get; set; }

    public bool ExchangeFullListing { get; set; }

    public bool NextcloudFullListing { get; set; }

    public int ItemsFetched { get; set; }

    public int Count(SyncActionKind kind, Side target) => _done.GetValueOrDefault((kind, target));

    /// <summary>Writes to either side that succeeded (Link and Forget are not writes).</summary>
    public int Writes => _done.Where(p => p.Key.Kind is SyncActionKind.Create or SyncActionKind.Update or SyncActionKind.Delete).Sum(p => p.Value);

    internal void Done(SyncAction action) => _done[(action.Kind, action.Target)] = Count(action.Kind, action.Target) + 1;

    /// <summary>"created 3 in Nextcloud, updated 1 in Exchange" (or "would create …" for a dry run).</summary>
    public string Describe()
    {
        var counts = DryRun
            ? Planned.GroupBy(a => (a.Kind, a.Target)).ToDictionary(g => g.Key, g => g.Count())
            : _done;
        var parts = new List<string>();
        foreach (var kind in new[] { SyncActionKind.Create, SyncActionKind.Update, SyncActionKind.Delete })
        {
            foreach (var side in new[] { Side.Nextcloud, Side.Exchange })
            {
                if (counts.GetValueOrDefault((kind, side)) is > 0 and var n)
                {
                    var verb = kind switch
                    {
                        SyncActionKind.Create => DryRun ? "create" : "created",
                        SyncActionKind.Update => DryRun ? "update" : "updated",
                        _ => DryRun ? "delete" : "deleted",
                    };
                    parts.Add(string.Create(CultureInfo.InvariantCulture, $"{verb} {n} in {side}"));
                }
            }
        }

        var sb = new StringBuilder();
        if (HaltReason is not null)
        {
            sb.Append("halted: ").Append(HaltReason);
            return sb.ToString();
        }

        sb.Append(parts.Count == 0 ? (DryRun ? "would change nothing" : "nothing to do") : (DryRun ? "would " : string.Empty) + string.Join(", ", parts));
        if (Problems.Count > 0)
        {
            sb.Append(CultureInfo.InvariantCulture, $"; {Problems.Count} item(s) skipped with errors");
        }

        return sb.ToString();
    }
}
