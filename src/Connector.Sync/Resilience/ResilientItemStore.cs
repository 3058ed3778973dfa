using Connector.Domain;
using Connector.Sync.Stores;

namespace Connector.Sync.Resilience;

/// <summary>
/// Wraps a store so that throttling and passing failures slow a sync down instead of failing it
/// (S14). A server hint (EWS BackOffMilliseconds, Retry-After, also fractional) closes every gate
/// the store shares (its identity's and its mailbox's), so all callers of that identity wait;
/// without a hint the wait doubles per attempt, with jitter. A call gives up after a total time,
/// not a retry count. A rejected credential is never retried (S16). The inner stores never retry;
/// this is the one place that does.
/// </summary>
public sealed class ResilientItemStore : IItemStore
{
    private readonly IItemStore _inner;
    private readonly IReadOnlyList<ThrottleGate> _gates;
    private readonly RetryOptions _options;
    private readonly TimeProvider _time;
    private readonly Random _random;

    public ResilientItemStore(IItemStore inner, IReadOnlyList<ThrottleGate> gates, RetryOptions? options = null, TimeProvider? time = null, Random? random = null)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentNullException.ThrowIfNull(gates);
        _inner = inner;
        _gates = gates;
        _options = options ?? new RetryOptions();
        _options.Validate();
        _time = time ?? TimeProvider.System;
        _random = random ?? Random.Shared;
    }

    public StoreCapabilities Capabilities => _inner.Capabilities;

    /// <summary>Retries made through this store (for metrics and tests).</summary>
    public int Retries { get; private set; }

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

    private async Task<T> RunAsync<T>(Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken)
    {
        var started = _time.GetUtcNow();
        for (var attempt = 1; ; attempt++)
        {
            foreach (var gate in _gates)
            {
                await gate.WaitAsync(cancellationToken);
            }

            try
            {
                return await call(cancellationToken);
            }
            catch (ThrottledException ex)
            {
                var wait = ex.RetryAfter ?? Backoff(attempt);
                GiveUpIfTooLate(started, wait, ex);
                foreach (var gate in _gates)
                {
                    gate.Close(wait);
                }
            }
            catch (TransientStoreException ex)
            {
                // A dropped connection is this caller's problem, not the identity's: wait alone.
                var wait = Backoff(attempt);
                GiveUpIfTooLate(started, wait, ex);
                await Task.Delay(wait, _time, cancellationToken);
            }

            Retries++;
        }
    }

    private void GiveUpIfTooLate(DateTimeOffset started, TimeSpan wait, StoreException failure)
    {
        if (_time.GetUtcNow() + wait - started > _options.GiveUpAfter)
        {
            throw failure is ThrottledException
                ? new ThrottledException($"still throttled after {_options.GiveUpAfter}: {failure.Message}", failure)
                : new TransientStoreException($"still failing after {_options.GiveUpAfter}: {failure.Message}", failure);
        }
    }

    private TimeSpan Backoff(int attempt)
    {
        var doubled = _options.FirstDelay.TotalMilliseconds * Math.Pow(2, Math.Min(attempt - 1, 20));
        var capped = Math.Min(doubled, _options.MaxDelay.TotalMilliseconds);
        return TimeSpan.FromMilliseconds(capped * (1 + (_options.Jitter * _random.NextDouble())));
    }
}
