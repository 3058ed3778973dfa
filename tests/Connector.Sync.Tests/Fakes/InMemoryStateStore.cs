using Connector.Sync.State;

namespace Connector.Sync.Tests.Fakes;

/// <summary>The state store in memory, for fast engine tests (the real ones have their own conformance suite).</summary>
internal sealed class InMemoryStateStore : IStateStore
{
    private readonly Dictionary<long, FolderPair> _pairs = [];
    private readonly Dictionary<long, Dictionary<string, ItemRelation>> _relations = [];

    /// <summary>Called before each commit; throw to simulate a crash at that point.</summary>
    public Action<int>? BeforeCommit { get; set; }

    public int Commits { get; private set; }

    public FolderPair Pair(long id) => _pairs[id];

    public IReadOnlyCollection<ItemRelation> Relations(long pairId) => _relations.TryGetValue(pairId, out var r) ? r.Values : [];

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    public Task MigrateAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task UpsertUserAsync(UserRecord user, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<UserRecord?> GetUserAsync(string userId, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<IReadOnlyList<UserRecord>> ListUsersAsync(CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<IReadOnlyList<UserRecord>> ClaimDueUsersAsync(string workerId, DateTimeOffset now, TimeSpan leaseDuration, int max, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<bool> RenewLeaseAsync(string userId, string workerId, DateTimeOffset now, TimeSpan leaseDuration, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task ReleaseLeaseAsync(string workerId, UserRecord outcome, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<IReadOnlyList<FolderPair>> GetPairsAsync(string userId, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<FolderPair>>([.. _pairs.Values.Where(p => p.UserId == userId)]);

    public Task<FolderPair> SavePairAsync(FolderPair pair, CancellationToken cancellationToken)
    {
        if (pair.PairId == 0)
        {
            pair = pair with { PairId = _pairs.Count + 1 };
        }

        _pairs[pair.PairId] = pair;
        return Task.FromResult(pair);
    }

    public Task<IReadOnlyList<ItemRelation>> GetRelationsAsync(long pairId, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<ItemRelation>>([.. Relations(pairId)]);

    public Task CommitAsync(long pairId, IReadOnlyList<ItemRelation> upserts, IReadOnlyList<string> removedUids, PairTokens? tokens, CancellationToken cancellationToken)
    {
        BeforeCommit?.Invoke(Commits);
        Commits++;
        if (!_relations.TryGetValue(pairId, out var relations))
        {
            _relations[pairId] = relations = new Dictionary<string, ItemRelation>(StringComparer.Ordinal);
        }

        foreach (var uid in removedUids)
        {
            relations.Remove(uid);
        }

        foreach (var r in upserts)
        {
            relations[r.Uid] = r;
        }

        if (tokens is not null)
        {
            var pair = _pairs[pairId];
            _pairs[pairId] = pair with
            {
                ExchangeToken = tokens.ExchangeToken ?? pair.ExchangeToken,
                NextcloudToken = tokens.NextcloudToken ?? pair.NextcloudToken,
                FirstSyncCompleted = tokens.FirstSyncCompleted ?? pair.FirstSyncCompleted,
            };
        }

        return Task.CompletedTask;
    }

    public Task AppendLogAsync(SyncLogEntry entry, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task<IReadOnlyList<SyncLogEntry>> GetLogAsync(string userId, int max, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<SyncLogEntry>>([]);

    public Task ResetUserAsync(string userId, CancellationToken cancellationToken) => throw new NotSupportedException();
}
