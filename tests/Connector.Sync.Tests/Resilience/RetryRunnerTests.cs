using Connector.Sync.Resilience;
using Connector.Sync.Stores;
using Microsoft.Extensions.Time.Testing;

namespace Connector.Sync.Tests.Resilience;

/// <summary>The retry loop shared by <see cref="ResilientItemStore"/> and the protocol connections (S14, S16).</summary>
public class RetryRunnerTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task S14_EveryThrottle_IsReportedOnceWithItsGatesDelayAndWhetherTheServerNamedIt()
    {
        var events = new List<ThrottleEvent>();
        var runner = new RetryRunner([new ThrottleGate("identity:svc", _time), new ThrottleGate("mailbox:alice", _time)], new RetryOptions { FirstDelay = TimeSpan.FromSeconds(1), Jitter = 0 }, _time, onThrottled: events.Add);
        var failures = new Queue<Exception>([new ThrottledException("busy", TimeSpan.FromMilliseconds(1500)), new ThrottledException("503")]);

        var call = runner.RunAsync(_ => failures.TryDequeue(out var failure) ? Task.FromException<int>(failure) : Task.FromResult(7), retryTransient: true, CancellationToken.None);
        await DriveAsync(call);

        Assert.Equal(7, await call);
        Assert.Equal(
            [(TimeSpan.FromMilliseconds(1500), true), (TimeSpan.FromSeconds(2), false)],
            events.Select(e => (e.Delay, e.ServerHint)));
        Assert.All(events, e => Assert.Equal(["identity:svc", "mailbox:alice"], e.Gates));
        Assert.All(events, e => Assert.Equal("identity:svc", e.Scope));
        Assert.Equal((2, 2), (runner.Throttles, runner.Retries));
    }

    [Fact]
    public async Task TransientFailure_IsPassedOnAtOnce_WhenTheCallerSaysRetryingIsUnsafe()
    {
        var runner = new RetryRunner([new ThrottleGate("identity:svc", _time)], time: _time);
        var calls = 0;

        await Assert.ThrowsAsync<TransientStoreException>(() => runner.RunAsync<int>(_ =>
        {
            calls++;
            throw new TransientStoreException("connection reset after the write was sent");
        }, retryTransient: false, CancellationToken.None));

        Assert.Equal((1, 0), (calls, runner.Retries));
    }

    [Fact]
    public async Task S16_RejectedCredential_IsNeverRetried()
    {
        var runner = new RetryRunner([new ThrottleGate("identity:svc", _time)], time: _time);
        var calls = 0;

        await Assert.ThrowsAsync<CredentialRejectedException>(() => runner.RunAsync<int>(_ =>
        {
            calls++;
            throw new CredentialRejectedException("401");
        }, retryTransient: true, CancellationToken.None));

        Assert.Equal(1, calls);
    }

    [Fact]
    public async Task S14_StillThrottledAfterGiveUpAfter_IsAThrottledErrorSayingSo()
    {
        var runner = new RetryRunner([new ThrottleGate("identity:svc", _time)], new RetryOptions { GiveUpAfter = TimeSpan.FromSeconds(10) }, _time);

        var call = runner.RunAsync<int>(_ => throw new ThrottledException("ErrorServerBusy", TimeSpan.FromSeconds(3)), retryTransient: true, CancellationToken.None);
        await DriveAsync(call, swallow: true);

        var ex = await Assert.ThrowsAsync<ThrottledException>(() => call);
        Assert.Contains("giving up", ex.Message, StringComparison.Ordinal);
        Assert.Equal(3, runner.Throttles); // at 0, 3 and 6 s; the wait after the one at 9 s would end past 10 s
    }

    private async Task DriveAsync(Task call, bool swallow = false)
    {
        for (var i = 0; i < 100_000 && !call.IsCompleted; i++)
        {
            await Task.Delay(1);
            _time.Advance(TimeSpan.FromMilliseconds(100));
        }

        if (!swallow)
        {
            await call;
        }
    }
}
