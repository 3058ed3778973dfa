namespace Connector.Sync.State;

/// <summary>
/// Where the worker keeps what it knows between runs: users, leases, folder pairs with their tokens,
/// item relations and a per-user log. SQLite for one process, PostgreSQL for several replicas; one
/// conformance suite runs on both.
/// </summary>
public interface IStateStore : IAsyncDisposable
{
    /// <summary>Creates or upgrades the schema. Called once at start.</summary>
    Task MigrateAsync(CancellationToken cancellationToken);

    Task UpsertUserAsync(UserRecord user, CancellationToken cancellationToken);

    Task<UserRecord?> GetUserAsync(string userId, CancellationToken cancellationToken);

    Task<IReadOnlyList<UserRecord>> ListUsersAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Claims up to <paramref name="max"/> enabled users that are due at <paramref name="now"/> and
    /// not leased by another live worker (PostgreSQL: <c>FOR UPDATE SKIP LOCKED</c>); an expired lease
    /// is taken over. Two workers never get the same user.
    /// </summary>
    Task<IReadOnlyList<UserRecord>> ClaimDueUsersAsync(string workerId, DateTimeOffset now, TimeSpan leaseDuration, int max, CancellationToken cancellationToken);

    /// <summary>Extends this worker's lease; false when it was lost (expired and taken over): stop working on the user.</summary>
    Task<bool> RenewLeaseAsync(string userId, string workerId, DateTimeOffset now, TimeSpan leaseDuration, CancellationToken cancellationToken);

    /// <summary>Ends the lease and records the run's outcome (due time, last success/error).</summary>
    Task ReleaseLeaseAsync(string workerId, UserRecord outcome, CancellationToken cancellationToken);

    Task<IReadOnlyList<FolderPair>> GetPairsAsync(string userId, CancellationToken cancellationToken);

    /// <summary>Inserts (PairId 0) or updates a pair; returns it with its id.</summary>
    Task<FolderPair> SavePairAsync(FolderPair pair, CancellationToken cancellationToken);

    Task<IReadOnlyList<ItemRelation>> GetRelationsAsync(long pairId, CancellationToken cancellationToken);

    /// <summary>
    /// Commits, in one transaction, a batch of relation upserts (keyed by pair and UID) and removals,
    /// and — only if given — new tokens for the pair. Tokens are saved with the batch they cover, never
    /// before (S05). A crash loses at most this batch.
    /// </summary>
    Task CommitAsync(long pairId, IReadOnlyList<ItemRelation> upserts, IReadOnlyList<string> removedUids, PairTokens? tokens, CancellationToken cancellationToken);

    Task AppendLogAsync(SyncLogEntry entry, CancellationToken cancellationToken);

    /// <summary>The newest log lines of a user, newest first.</summary>
    Task<IReadOnlyList<SyncLogEntry>> GetLogAsync(string userId, int max, CancellationToken cancellationToken);

    /// <summary>Forgets everything about a user's pairs and relations (<c>reset --user</c>); the user stays.</summary>
    Task ResetUserAsync(string userId, CancellationToken cancellationToken);
}

/// <summary>
/// Tokens to save with a batch; a null side keeps its stored token. <see cref="ListEverything"/>
/// (the empty string) is stored like any token and makes the next run list that side in full.
/// </summary>
public sealed record PairTokens(string? ExchangeToken, string? NextcloudToken, bool? FirstSyncCompleted = null)
{
    public const string ListEverything = "";
}
