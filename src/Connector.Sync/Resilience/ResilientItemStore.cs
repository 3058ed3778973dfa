using Connector.Domain;
using Connector.Sync.Stores;

namespace Connector.Sync.Resilience;

/// <summary>
/// Wraps a store so that throttling and passing failures slow a sync down instead of failing it
/// (S14). A server hint (EWS BackOffMilliseconds, Retry-After, also fractional) closes every gate
/// the store shares (its identity's and its mailbox's), so all callers of that identity wait;
/// without a hint the wait doubles per attempt, with jitter. A call gives up after a total time,
/// not a retry count. A rejected credential is never retried (S16). The loop is <see cref="RetryRunner"/>.
/// </summary>
/// <remarks>
/// Whole store calls are repeated here, so a throttle in the middle of a paged listing repeats the listing. A store
/// that retries single requests itself with the same gates (the EWS store given
/// <c>EwsStoreOptions.ThrottleGates</c>) is not wrapped as well: the waits would add up.
/// </remarks>
public sealed class ResilientItemStore : IItemStore
{
    private readonly IItemStore _inner;
    private readonly RetryRunner _runner;

    public ResilientItemStore(IItemStore inner, IReadOnlyList<ThrottleGate> gates, RetryOptions? options = null, TimeProvider? time = null, Random? random = null, Action<ThrottleEvent>? onThrottled = null)
    {
        ArgumentNullException.ThrowIfNull(inner);
        _inner = inner;
        _runner = new RetryRunner(gates, options, time, random, onThrottled);
    }

    public StoreCapabilities Capabilities => _inner.Capabilities;

    /// <summary>Retries made through this store (for metrics and tests).</summary>
    public int Retries => _runner.Retries;

    public Task<IReadOnlyList<CollectionInfo>> DiscoverCollectionsAsync(ItemKind kinds, CancellationToken cancellationToken) =>
        RunAsync(ct => _inner.DiscoverCollectionsAsync(kinds, ct), cancellationToken);

    public Task<CollectionInfo> CreateCollectionAsync(string displayName, ItemKind kind, CancellationToken cancellationToken) =>
        RunAsync(ct => _inner.CreateCollectionAsync(displayName, kind, ct), cancellationToken);

    public Task<ChangeFeed> GetChangesAsync(CollectionInfo collection, string? sinceToken, CancellationToken cancellationToken) =>
        RunAsync(ct => _inner.GetChangesAsync(collection, sinceToken, ct), cancellationToken);

    public Task<IReadOnlyList<FetchResult>> FetchAsync(CollectionInfo collection, IReadOnlyList<string> ids, CancellationToken cancellationToken) =>
        RunAsync(ct => _inner.FetchAsync(collection, ids, ct), cancellationToken);

    // A retried create whose first attempt reached the server answers AlreadyExists, and a retried
    // update or delete answers PreconditionFailed; the engine handles both, so writes are safe to retry.
    public Task<WriteResult> CreateAsync(CollectionInfo collection, ISyncItem item, CancellationToken cancellationToken) =>
        RunAsync(ct => _inner.CreateAsync(collection, item, ct), cancellationToken);

    public Task<WriteResult> UpdateAsync(CollectionInfo collection, string id, string expectedVersion, ISyncItem item, CancellationToken cancellationToken) =>
        RunAsync(ct => _inner.UpdateAsync(collection, id, expectedVersion, item, ct), cancellationToken);

    public Task<WriteResult> DeleteAsync(CollectionInfo collection, string id, string expectedVersion, CancellationToken cancellationToken) =>
        RunAsync(ct => _inner.DeleteAsync(collection, id, expectedVersion, ct), cancellationToken);

    private Task<T> RunAsync<T>(Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken) =>
        _runner.RunAsync(call, retryTransient: true, cancellationToken);
}
