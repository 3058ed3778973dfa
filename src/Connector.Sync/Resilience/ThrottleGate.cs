using System.Collections.Concurrent;

namespace Connector.Sync.Resilience;

/// <summary>
/// The back-off shared by everything that talks to one identity or one mailbox (S14): when the
/// server says "slow down", every caller of that identity waits until the gate opens again, not
/// only the one that was told.
/// </summary>
public sealed class ThrottleGate
{
    private readonly TimeProvider _time;
    private readonly Lock _lock = new();
    private DateTimeOffset _openAt = DateTimeOffset.MinValue;
    private int _throttles;

    public ThrottleGate(string name, TimeProvider? time = null)
    {
        Name = name;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>What the gate guards, e.g. <c>identity:sync-admin-1</c> or <c>mailbox:alice@contoso.com</c>.</summary>
    public string Name { get; }

    /// <summary>How often the server throttled callers of this gate (for metrics).</summary>
    public int Throttles => Volatile.Read(ref _throttles);

    /// <summary>How long a caller must wait now; zero when the gate is open.</summary>
    public TimeSpan RemainingWait
    {
        get
        {
            lock (_lock)
            {
                var wait = _openAt - _time.GetUtcNow();
                return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
            }
        }
    }

    /// <summary>Closes the gate for <paramref name="duration"/> from now (an earlier, longer closure stands).</summary>
    public void Close(TimeSpan duration)
    {
        Interlocked.Increment(ref _throttles);
        lock (_lock)
        {
            var until = _time.GetUtcNow() + duration;
            if (until > _openAt)
            {
                _openAt = until;
            }
        }
    }

    /// <summary>Waits until the gate is open.</summary>
    public async Task WaitAsync(CancellationToken cancellationToken)
    {
        for (var wait = RemainingWait; wait > TimeSpan.Zero; wait = RemainingWait)
        {
            await Task.Delay(wait, _time, cancellationToken);
        }
    }
}

/// <summary>The gates of one worker process, by name; a gate lives as long as the process.</summary>
public sealed class ThrottleGates
{
    private readonly ConcurrentDictionary<string, ThrottleGate> _gates = new(StringComparer.OrdinalIgnoreCase);
    private readonly TimeProvider _time;

    public ThrottleGates(TimeProvider? time = null) => _time = time ?? TimeProvider.System;

    public ThrottleGate ForIdentity(string identity) => Get("identity:" + identity);

    public ThrottleGate ForMailbox(string mailbox) => Get("mailbox:" + mailbox);

    public IEnumerable<ThrottleGate> All => _gates.Values;

    private ThrottleGate Get(string name) => _gates.GetOrAdd(name, n => new ThrottleGate(n, _time));
}
