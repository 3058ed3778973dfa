using System.Collections.Concurrent;
using System.Diagnostics;
using Connector.Sync.State;
using Connector.Worker.Configuration;
using Connector.Worker.Logging;
using Connector.Worker.Observability;
using Connector.Worker.Running;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Connector.Worker.Scheduling;

/// <summary>
/// The worker loop: refreshes the users, claims due users (leases) up to the free slots of
/// <c>MaxParallelProcessingUsers</c>, runs each with its lease renewed every third of its duration
/// (a lost lease cancels that user's run: another worker owns them now), and releases the lease with
/// the outcome (<see cref="DueTimePolicy"/>). On shutdown, runs are cancelled: the engine has
/// committed every full batch, at most the batch in flight is lost and redone, and leases are
/// released so another worker can take the users at once.
/// </summary>
public sealed class SyncScheduler : BackgroundService, IUserNudger
{
    private readonly ServiceSettings settings;
    private readonly IStateStore state;
    private readonly UserDirectory directory;
    private readonly UserSyncRunner runner;
    private readonly WorkerMetrics metrics;
    private readonly ILogger logger;
    private readonly TimeProvider time;
    private readonly ConcurrentDictionary<string, Task> running = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, bool> nudged = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim wake = new(0);
    private int queueDepth;

    public SyncScheduler(ServiceSettings settings, IStateStore state, UserDirectory directory, UserSyncRunner runner, WorkerMetrics metrics, ILogger<SyncScheduler>? logger = null, TimeProvider? time = null)
    {
        this.settings = settings;
        this.state = state;
        this.directory = directory;
        this.runner = runner;
        this.metrics = metrics;
        this.logger = (ILogger?)logger ?? NullLogger.Instance;
        this.time = time ?? TimeProvider.System;
        metrics.ObserveQueue(() => Volatile.Read(ref queueDepth), () => running.Count);
    }

    /// <summary>How often the loop looks for due users when nothing wakes it.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Users this worker is syncing now.</summary>
    public IReadOnlyCollection<string> InFlight => [.. running.Keys];

    /// <summary>Completed cycles of the loop (tests wait on it).</summary>
    public long Cycles => Interlocked.Read(ref cycles);

    private long cycles;

    public async Task<bool> NudgeAsync(string userId, string reason, CancellationToken cancellationToken)
    {
        var user = await state.GetUserAsync(userId, cancellationToken);
        if (user is null)
        {
            return false;
        }

        WorkerLog.Nudged(logger, userId, reason);
        if (running.ContainsKey(userId))
        {
            // Released with the critical interval once the current run ends.
            nudged[userId] = true;
            return true;
        }

        var now = time.GetUtcNow();
        if (user.DueAt > now)
        {
            // Only ever earlier. A worker holding the user's lease overwrites this when it releases,
            // with its own due time; a lost nudge costs latency, never data.
            await state.UpsertUserAsync(user with { DueAt = now }, cancellationToken);
        }

        wake.Release();
        return true;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        WorkerLog.WorkerStarted(logger, settings.WorkerId, settings.MaxParallelProcessingUsers, settings.SyncInterval, settings.CriticalSyncInterval);
        var nextRefresh = DateTimeOffset.MinValue;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    if (time.GetUtcNow() >= nextRefresh)
                    {
                        var users = await directory.RefreshAsync(stoppingToken);
                        nextRefresh = time.GetUtcNow() + settings.CriticalSyncInterval;
                        var now = time.GetUtcNow();
                        Volatile.Write(ref queueDepth, users.Count(u => u.Enabled && u.DueAt <= now));
                    }

                    await ClaimAndStartAsync(stoppingToken);
                }
                catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
                {
                    break;
                }
                catch (Exception ex) when (ex is not OutOfMemoryException)
                {
                    // One bad cycle (database away, users file being edited) never stops the worker.
                    metrics.Error(ex is ConfigurationException ? "config" : "worker");
                    WorkerLog.CycleFailed(logger, ex.Message);
                    nextRefresh = time.GetUtcNow() + settings.CriticalSyncInterval;
                }

                Interlocked.Increment(ref cycles);
                try
                {
                    await wake.WaitAsync(PollInterval, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
        }
        finally
        {
            // Let every run see the cancellation, commit or lose its batch, and release its lease.
            await Task.WhenAll(running.Values.ToArray());
            WorkerLog.WorkerStopped(logger, settings.WorkerId);
        }
    }

    /// <summary>Claims due users up to the free slots and starts a run for each.</summary>
    public async Task<int> ClaimAndStartAsync(CancellationToken stoppingToken)
    {
        var free = settings.MaxParallelProcessingUsers - running.Count;
        if (free <= 0)
        {
            return 0;
        }

        var claimed = await state.ClaimDueUsersAsync(settings.WorkerId, time.GetUtcNow(), settings.LeaseDuration, free, stoppingToken);
        foreach (var user in claimed)
        {
            if (running.ContainsKey(user.UserId))
            {
                // Our own lease ran out while the run went on (renewals failed) and we claimed the user
                // again: the run in flight owns the lease once more and releases it.
                continue;
            }

            var run = Task.Run(() => RunClaimedAsync(user, stoppingToken), CancellationToken.None);
            running[user.UserId] = run;
            _ = run.ContinueWith(
                _ =>
                {
                    running.TryRemove(user.UserId, out Task? _);
                    wake.Release();
                },
                CancellationToken.None,
                TaskContinuationOptions.ExecuteSynchronously,
                TaskScheduler.Default);
        }

        return claimed.Count;
    }

    /// <summary>One claimed user: run with lease renewal, then release with the outcome.</summary>
    private async Task RunClaimedAsync(UserRecord user, CancellationToken stoppingToken)
    {
        var started = Stopwatch.GetTimestamp();
        metrics.UserPickedUp(user.LastSuccessAt is { } last ? time.GetUtcNow() - last : TimeSpan.Zero);
        using var leaseLost = new CancellationTokenSource();
        using var runCancel = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, leaseLost.Token);
        using var renewStop = new CancellationTokenSource();
        var renewal = RenewLeaseAsync(user.UserId, leaseLost, renewStop.Token);
        string outcomeName;
        try
        {
            var account = directory.Find(user.UserId);
            if (account is null)
            {
                // Listed in the database but not (any more) by the source: nothing to reach them with.
                await state.ReleaseLeaseAsync(settings.WorkerId, user with { DueAt = time.GetUtcNow() + settings.SyncInterval, LastError = "not listed by the user source" }, CancellationToken.None);
                outcomeName = "failed";
                return;
            }

            var outcome = await runner.RunAsync(user, account, dryRun: false, runCancel.Token);
            nudged.TryRemove(user.UserId, out var wasNudged);
            var next = DueTimePolicy.Next(user, outcome, wasNudged, time.GetUtcNow(), settings);
            if (outcome.Status == UserRunStatus.NextcloudCredentialRejected)
            {
                // Stop the user until the password changes (S16); never retried into a brute-force lock-out.
                next = next with { Enabled = false, LastError = UserDirectory.StoppedError(outcome.Error ?? "Nextcloud rejected the app password", account.Nextcloud) };
                await state.UpsertUserAsync(next, CancellationToken.None);
            }
            else if (outcome.Status == UserRunStatus.IdentityCredentialRejected)
            {
                // Moves to another identity at the next refresh.
                next = next with { IdentityName = null };
                await state.UpsertUserAsync(next, CancellationToken.None);
            }

            await state.ReleaseLeaseAsync(settings.WorkerId, next, CancellationToken.None);
            outcomeName = outcome.Status switch
            {
                UserRunStatus.Success => "success",
                UserRunStatus.Halted => "halted",
                _ => "failed",
            };
            if (outcome.Status is not (UserRunStatus.Success or UserRunStatus.Halted))
            {
                metrics.Error(outcome.Status is UserRunStatus.NextcloudCredentialRejected or UserRunStatus.IdentityCredentialRejected ? "auth" : "user");
            }
        }
        catch (OperationCanceledException) when (leaseLost.IsCancellationRequested)
        {
            WorkerLog.LeaseLost(logger, user.UserId);
            outcomeName = "lease_lost";
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            await TryReleaseAsync(DueTimePolicy.Interrupted(user, time.GetUtcNow()));
            outcomeName = "cancelled";
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // One bad user never stops the worker.
            WorkerLog.UserRunFailed(logger, user.UserId, ex.Message);
            var failures = user.ConsecutiveFailures + 1;
            await TryReleaseAsync(user with
            {
                LastAttemptAt = time.GetUtcNow(),
                LastError = ex.Message,
                ConsecutiveFailures = failures,
                DueAt = time.GetUtcNow() + DueTimePolicy.Backoff(settings, failures),
            });
            metrics.Error("user");
            outcomeName = "failed";
        }
        finally
        {
            await renewStop.CancelAsync();
            await renewal;
        }

        metrics.SyncFinished(outcomeName, Stopwatch.GetElapsedTime(started));
    }

    private async Task TryReleaseAsync(UserRecord outcome)
    {
        try
        {
            await state.ReleaseLeaseAsync(settings.WorkerId, outcome, CancellationToken.None);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // The lease expires on its own; another worker takes the user then.
            WorkerLog.ReleaseFailed(logger, outcome.UserId, ex.Message);
        }
    }

    private async Task RenewLeaseAsync(string userId, CancellationTokenSource leaseLost, CancellationToken stop)
    {
        var every = settings.LeaseDuration / 3;
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(every, time, stop);
                if (!await state.RenewLeaseAsync(userId, settings.WorkerId, time.GetUtcNow(), settings.LeaseDuration, stop))
                {
                    await leaseLost.CancelAsync();
                    return;
                }
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // A database hiccup: try again at the next tick; the lease outlives two missed renewals.
                WorkerLog.RenewalFailed(logger, userId, ex.Message);
            }
        }
    }

    public override void Dispose()
    {
        wake.Dispose();
        base.Dispose();
    }
}
