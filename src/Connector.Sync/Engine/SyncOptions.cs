using Connector.Domain;

namespace Connector.Sync.Engine;

/// <summary>Who wins when both sides changed the same item since the last sync.</summary>
public enum ConflictPolicy
{
    /// <summary>Exchange is the system of record (default).</summary>
    ExchangeWins,

    NextcloudWins,

    /// <summary>The side whose item has the later LastModified wins; Exchange when either is unknown.</summary>
    NewestWins,
}

/// <summary>Options of one pair's sync, validated by the host at start.</summary>
public sealed record SyncOptions
{
    /// <summary>Default relations per state-store transaction (<c>Service__BatchSaveSize</c>).</summary>
    public const int DefaultBatchSaveSize = 100;

    /// <summary>Default items per fetch (<c>Service__BatchLimit</c>).</summary>
    public const int DefaultBatchLimit = 50;

    public ConflictPolicy ConflictPolicy { get; init; } = ConflictPolicy.ExchangeWins;

    /// <summary>
    /// When one side edited an item the other deleted: true (default) re-creates it from the edit so
    /// nothing is lost; false propagates the deletion.
    /// </summary>
    public bool EditBeatsDelete { get; init; } = true;

    public int BatchSaveSize { get; init; } = DefaultBatchSaveSize;

    public int BatchLimit { get; init; } = DefaultBatchLimit;

    /// <summary>
    /// Empty-side guard (S06): a side that lost more than this share of the pair's items in one run
    /// (and at least <see cref="MassDeletionMinimumItems"/>) halts the pair instead of deleting.
    /// </summary>
    public double MassDeletionShare { get; init; } = 0.5;

    public int MassDeletionMinimumItems { get; init; } = 10;

    /// <summary>
    /// A full listing that comes back empty halts the pair when at least this many items were synced
    /// before (S06); below it, emptying a tiny collection on purpose is allowed.
    /// </summary>
    public int EmptyCollectionMinimumItems { get; init; } = 2;

    /// <summary>Plan only: nothing is written to either side or to the state store.</summary>
    public bool DryRun { get; init; }

    /// <summary>
    /// Applied to every item written from Exchange to Nextcloud; the host plugs the sensitive mask in
    /// here (<c>Service__SyncType=1</c>). Null: items go as they are.
    /// </summary>
    public Func<ISyncItem, ISyncItem>? ExchangeToNextcloud { get; init; }

    /// <summary>
    /// Whether a Nextcloud item may be written to Exchange. In sensitive mode the host returns false
    /// for masked copies, so a masked copy never overwrites the Exchange original (S17). Null: all may.
    /// </summary>
    public Func<ISyncItem, bool>? MayWriteToExchange { get; init; }

    /// <summary>
    /// Told after every committed batch how far the run is (S15: a first sync of tens of thousands of
    /// items takes a while, and an administrator wants to see it move). Null: nobody listens.
    /// </summary>
    public IProgress<SyncProgress>? Progress { get; init; }

    public void Validate()
    {
        if (BatchSaveSize < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(BatchSaveSize), BatchSaveSize, "must be at least 1");
        }

        if (BatchLimit < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(BatchLimit), BatchLimit, "must be at least 1");
        }

        if (MassDeletionShare is <= 0 or > 1)
        {
            throw new ArgumentOutOfRangeException(nameof(MassDeletionShare), MassDeletionShare, "must be in (0, 1]");
        }
    }
}

/// <summary>How far one pair's run is: items compared out of those to compare, and writes done.</summary>
public sealed record SyncProgress(int Compared, int Total, int Writes);
