using Connector.Sync.Stores;

namespace Connector.Sync.Resilience;

/// <summary>
/// What one throttle cost: which gates were closed (the identity's first, then the mailbox's), for how long, and
/// whether the server named the wait (BackOffMilliseconds, Retry-After) or it was our own jittered back-off.
/// The worker counts these for its metrics.
/// </summary>
public sealed record ThrottleEvent(IReadOnlyList<string> Gates, TimeSpan Delay, bool ServerHint, string Reason)
{
    /// <summary>The first gate's name (by convention the identity's, <c>identity:NAME</c>), or empty.</summary>
    public string Scope => Gates.Count > 0 ? Gates[0] : string.Empty;
}

/// <summary>
/// The one retry loop (S14): runs a call until it succeeds, waiting on shared <see cref="ThrottleGate"/>s before
/// each attempt. A <see cref="ThrottledException"/> closes every gate for the server's hint, or for a jittered
/// doubling back-off without one, so every caller of that identity and mailbox waits too; a
/// <see cref="TransientStoreException"/> is retried by this caller alone (when the caller says retrying is
/// safe); a rejected credential (S16) or any other failure passes through at once. The loop gives up after a
/// total time (<see cref="RetryOptions.GiveUpAfter"/>), never a retry count, with a clear exception.
/// </summary>
/// <remarks>
/// Used by <see cref="ResilientItemStore"/> around whole store calls, and by protocol connections that retry
/// single requests (EWS: a throttled page of a listing is repeated, not the listing).
/// </remarks>
public sealed class RetryRunner
{
    private readonly IReadOnlyList<ThrottleGate> _gates;
    private readonly RetryOptions _options;
    private readonly TimeProvider _time;
    private readonly Random _random;
    private readonly Action<ThrottleEvent>? _onThrottled;
    private readonly string[] _gateNames;
    private int _retries;
    private int _throttles;

    public RetryRunner(IReadOnlyList<ThrottleGate> gates, RetryOptions? options = null, TimeProvider? time = null, Random? random = null, Action<ThrottleEvent>? onThrottled = null)
    {
        ArgumentNullException.ThrowIfNull(gates);
        _gates = gates;
        _gateNames = [.. gates.Select(g => g.Name)];
        _options = options ?? new RetryOptions();
        _options.Validate();
        _time = time ?? TimeProvider.System;
        _random = random ?? Random.Shared;
        _onThrottled = onThrottled;
    }

    /// <summary>Retries made (throttles and transient failures), for metrics and tests.</summary>
    public int Retries => Volatile.Read(ref _retries);

    /// <summary>Throttles seen (each closed the gates once).</summary>
    public int Throttles => Volatile.Read(ref _throttles);

    /// <summary>
    /// Runs <paramref name="call"/> until it succeeds or gives up. <paramref name="retryTransient"/>: whether a
    /// passing failure may be retried here (false for a write whose outcome a cut connection leaves unknown).
    /// </summary>
    public async Task<T> RunAsync<T>(Func<CancellationToken, Task<T>> call, bool retryTransient, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(call);
        var started = _time.GetUtcNow();
        for (var attempt = 1; ; attempt++)
        {
            foreach (var gate in _gates)
            {
                await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
            }

            try
            {
                return await call(cancellationToken).ConfigureAwait(false);
            }
            catch (ThrottledException ex)
            {
                var wait = ex.RetryAfter ?? Backoff(attempt);
                GiveUpIfTooLate(started, wait, ex);
                foreach (var gate in _gates)
                {
                    gate.Close(wait);
                }

                Interlocked.Increment(ref _throttles);
                _onThrottled?.Invoke(new ThrottleEvent(_gateNames, wait, ex.RetryAfter is not null, ex.Message));
            }
            catch (TransientStoreException ex) when (retryTransient)
            {
                // A dropped connection is this caller's problem, not the identity's: wait alone.
                var wait = Backoff(attempt);
                GiveUpIfTooLate(started, wait, ex);
                await Task.Delay(wait, _time, cancellationToken).ConfigureAwait(false);
            }

            Interlocked.Increment(ref _retries);
        }
    }

    private void GiveUpIfTooLate(DateTimeOffset started, TimeSpan wait, StoreException failure)
    {
        if (_time.GetUtcNow() + wait - started > _options.GiveUpAfter)
        {
            throw failure is ThrottledException
                ? new ThrottledException($"still throttled after {_options.GiveUpAfter} (giving up): {failure.Message}", failure)
                : new TransientStoreException($"still failing after {_options.GiveUpAfter} (giving up): {failure.Message}", failure);
        }
    }

    private TimeSpan Backoff(int attempt)
    {
        var doubled = _options.FirstDelay.TotalMilliseconds * Math.Pow(2, Math.Min(attempt - 1, 20));
        var capped = Math.Min(doubled, _options.MaxDelay.TotalMilliseconds);
        return TimeSpan.FromMilliseconds(capped * (1 + (_options.Jitter * _random.NextDouble())));
    }
}
