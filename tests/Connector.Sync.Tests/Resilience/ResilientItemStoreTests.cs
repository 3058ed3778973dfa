using Connector.Domain;
using Connector.Sync.Resilience;
using Connector.Sync.Stores;
using Connector.Testing.Fakes;
using Microsoft.Extensions.Time.Testing;

namespace Connector.Sync.Tests.Resilience;

/// <summary>S14 and S16 at the store boundary: throttling slows calls down, never fails them, and is shared.</summary>
public class ResilientItemStoreTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task S14_ServerBusyWithBackOff_IsHonouredThenSucceeds()
    {
        var inner = new FlakyStore(new ThrottledException("ErrorServerBusy", TimeSpan.FromMilliseconds(1500)), new ThrottledException("ErrorServerBusy", TimeSpan.FromMilliseconds(1500)));
        var store = new ResilientItemStore(inner, [new ThrottleGate("identity:a", _time)], time: _time);

        var call = store.GetChangesAsync(inner.Collection, null, CancellationToken.None);
        var elapsed = await Drive(call);

        Assert.Equal(ChangeFeedStatus.FullListing, (await call).Status);
        Assert.Equal(3, inner.Calls);
        Assert.True(elapsed >= TimeSpan.FromSeconds(3), $"waited only {elapsed}");
        Assert.Equal(2, store.Retries);
    }

    [Fact]
    public async Task S14_Http503WithoutHint_BacksOffWithGrowingJitteredDelays()
    {
        var inner = new FlakyStore(new ThrottledException("503"), new ThrottledException("503"), new ThrottledException("503")) { Clock = _time };
        var options = new RetryOptions { FirstDelay = TimeSpan.FromSeconds(1), Jitter = 0.2 };
        var store = new ResilientItemStore(inner, [new ThrottleGate("identity:a", _time)], options, _time, new Random(1));

        var call = store.FetchAsync(inner.Collection, ["x"], CancellationToken.None);
        await Drive(call);

        // Waits of at least 1, 2 and 4 seconds (each plus up to 20% jitter) between the four calls.
        Assert.Equal(4, inner.Calls);
        var gaps = inner.CallTimes.Zip(inner.CallTimes.Skip(1), (a, b) => b - a).ToList();
        Assert.True(gaps[0] >= TimeSpan.FromSeconds(1) && gaps[1] >= TimeSpan.FromSeconds(2) && gaps[2] >= TimeSpan.FromSeconds(4), string.Join(", ", gaps));
    }

    [Fact]
    public async Task S14_ThrottlingOneCaller_SlowsEveryCallerOfTheIdentity()
    {
        var gate = new ThrottleGate("identity:shared", _time);
        var throttled = new FlakyStore(new ThrottledException("busy", TimeSpan.FromSeconds(30)));
        var other = new FlakyStore();
        var first = new ResilientItemStore(throttled, [gate], time: _time);
        var second = new ResilientItemStore(other, [gate], time: _time);

        var a = first.GetChangesAsync(throttled.Collection, null, CancellationToken.None);
        await Task.Yield();
        var b = second.GetChangesAsync(other.Collection, null, CancellationToken.None);

        Assert.False(b.IsCompleted);
        Assert.Equal(0, other.Calls);
        _time.Advance(TimeSpan.FromSeconds(31));
        await Task.WhenAll(a, b);
        Assert.Equal(1, other.Calls);
        Assert.Equal(1, gate.Throttles);
    }

    [Fact]
    public async Task S14_StillThrottledAfterTheTotalTime_GivesUp()
    {
        var inner = new FlakyStore(Enumerable.Repeat<Exception>(new ThrottledException("busy", TimeSpan.FromMinutes(1)), 100).ToArray());
        var store = new ResilientItemStore(inner, [new ThrottleGate("identity:a", _time)], new RetryOptions { GiveUpAfter = TimeSpan.FromMinutes(5) }, _time);

        var call = store.GetChangesAsync(inner.Collection, null, CancellationToken.None);
        await Drive(call, swallow: true, stepMilliseconds: 1000);

        var ex = await Assert.ThrowsAsync<ThrottledException>(() => call);
        Assert.Contains("still throttled", ex.Message, StringComparison.Ordinal);
        Assert.InRange(inner.Calls, 2, 6); // about one call per minute for five minutes (fewer on a slow machine)
    }

    [Fact]
    public async Task S16_RejectedCredential_IsNeverRetried()
    {
        var inner = new FlakyStore(new CredentialRejectedException("401"));
        var store = new ResilientItemStore(inner, [new ThrottleGate("identity:a", _time)], time: _time);

        await Assert.ThrowsAsync<CredentialRejectedException>(() => store.GetChangesAsync(inner.Collection, null, CancellationToken.None));
        Assert.Equal(1, inner.Calls);
    }

    [Fact]
    public async Task TransientFailure_IsRetriedWithoutClosingTheSharedGate()
    {
        var gate = new ThrottleGate("identity:a", _time);
        var inner = new FlakyStore(new TransientStoreException("reset"));
        var store = new ResilientItemStore(inner, [gate], time: _time);

        var call = store.CreateAsync(inner.Collection, new CalendarEvent { Uid = "u" }, CancellationToken.None);
        await Drive(call);

        Assert.True((await call).IsSuccess);
        Assert.Equal(0, gate.Throttles);
    }

    /// <summary>Advances the fake clock in small steps until the call completes; returns the simulated time taken.</summary>
    private async Task<TimeSpan> Drive(Task call, bool swallow = false, int stepMilliseconds = 100)
    {
        var start = _time.GetUtcNow();
        for (var i = 0; i < 100_000 && !call.IsCompleted; i++)
        {
            // A real millisecond lets the continuations of the fired timers run before time moves on.
            await Task.Delay(1);
            _time.Advance(TimeSpan.FromMilliseconds(stepMilliseconds));
        }

        if (!swallow)
        {
            await call;
        }

        return _time.GetUtcNow() - start;
    }

    /// <summary>Throws the given failures in order, then behaves like an in-memory store.</summary>
    private sealed class FlakyStore(params Exception[] failures) : IItemStore
    {
        private readonly Queue<Exception> _failures = new(failures);
        private readonly InMemoryItemStore _inner = new("f");

        public int Calls { get; private set; }

        public TimeProvider? Clock { get; init; }

        public List<DateTimeOffset> CallTimes { get; } = [];

        public CollectionInfo Collection => _inner.Collection;

        public StoreCapabilities Capabilities => _inner.Capabilities;

        public Task<IReadOnlyList<CollectionInfo>> DiscoverCollectionsAsync(ItemKind kinds, CancellationToken cancellationToken) => Next(() => _inner.DiscoverCollectionsAsync(kinds, cancellationToken));

        public Task<CollectionInfo> CreateCollectionAsync(string displayName, ItemKind kind, CancellationToken cancellationToken) => Next(() => _inner.CreateCollectionAsync(displayName, kind, cancellationToken));

        public Task<ChangeFeed> GetChangesAsync(CollectionInfo collection, string? sinceToken, CancellationToken cancellationToken) => Next(() => _inner.GetChangesAsync(collection, sinceToken, cancellationToken));

        public Task<IReadOnlyList<FetchResult>> FetchAsync(CollectionInfo collection, IReadOnlyList<string> ids, CancellationToken cancellationToken) => Next(() => _inner.FetchAsync(collection, ids, cancellationToken));

        public Task<WriteResult> CreateAsync(CollectionInfo collection, ISyncItem item, CancellationToken cancellationToken) => Next(() => _inner.CreateAsync(collection, item, cancellationToken));

        public Task<WriteResult> UpdateAsync(CollectionInfo collection, string id, string expectedVersion, ISyncItem item, CancellationToken cancellationToken) => Next(() => _inner.UpdateAsync(collection, id, expectedVersion, item, cancellationToken));

        public Task<WriteResult> DeleteAsync(CollectionInfo collection, string id, string expectedVersion, CancellationToken cancellationToken) => Next(() => _inner.DeleteAsync(collection, id, expectedVersion, cancellationToken));

        private Task<T> Next<T>(Func<Task<T>> call)
        {
            Calls++;
            CallTimes.Add(Clock?.GetUtcNow() ?? default);
            return _failures.TryDequeue(out var failure) ? Task.FromException<T>(failure) : call();
        }
    }
}
