using Connector.Sync.State;
using Connector.Worker.Configuration;
using Connector.Worker.Running;

namespace Connector.Worker.Scheduling;

/// <summary>
/// When a user is next due, and what is recorded about their run (a pure function of the outcome).
/// Normal: <c>SyncIntervalInSeconds</c>. Critical (<c>CriticalSyncIntervalInSeconds</c>): a nudge
/// arrived while the user ran, the first sync is not finished, or the last run failed — then the
/// wait doubles per consecutive failure, capped at the normal interval. A rejected Nextcloud
/// password stops the user (S16); a shutdown leaves them due at once for whoever runs next.
/// </summary>
public static class DueTimePolicy
{
    /// <summary>The failure back-off: critical × 2^(failures−1), at most the normal interval.</summary>
    public static TimeSpan Backoff(ServiceSettings settings, int consecutiveFailures)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var exponent = Math.Clamp(consecutiveFailures - 1, 0, 30);
        var wait = settings.CriticalSyncInterval.TotalSeconds * Math.Pow(2, exponent);
        return TimeSpan.FromSeconds(Math.Min(wait, Math.Max(settings.SyncInterval.TotalSeconds, settings.CriticalSyncInterval.TotalSeconds)));
    }

    /// <summary>The record to release the lease with.</summary>
    public static UserRecord Next(UserRecord user, UserRunOutcome outcome, bool nudged, DateTimeOffset now, ServiceSettings settings)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(outcome);
        ArgumentNullException.ThrowIfNull(settings);
        var critical = nudged || outcome.FirstSyncPending;
        switch (outcome.Status)
        {
            case UserRunStatus.Success:
            case UserRunStatus.Halted:
                // A halted pair waits for an administrator; retrying faster would not help.
                return user with
                {
                    LastAttemptAt = now,
                    LastSuccessAt = now,
                    LastError = outcome.Status == UserRunStatus.Halted ? outcome.Error : null,
                    ConsecutiveFailures = 0,
                    DueAt = now + (critical && outcome.Status == UserRunStatus.Success ? settings.CriticalSyncInterval : settings.SyncInterval),
                };
            case UserRunStatus.IdentityCredentialRejected:
            case UserRunStatus.NoIdentity:
                // Not the user's fault: they move to another identity; due again soon, no back-off growth.
                return user with
                {
                    LastAttemptAt = now,
                    LastError = outcome.Error,
                    DueAt = now + (outcome.Status == UserRunStatus.NoIdentity ? settings.SyncInterval : settings.CriticalSyncInterval),
                };
            case UserRunStatus.NextcloudCredentialRejected:
                // The user is disabled (see UserDirectory); the due time only matters once re-enabled.
                return user with
                {
                    LastAttemptAt = now,
                    LastError = outcome.Error,
                    ConsecutiveFailures = user.ConsecutiveFailures + 1,
                    DueAt = now + settings.SyncInterval,
                };
            default:
                var failures = user.ConsecutiveFailures + 1;
                return user with
                {
                    LastAttemptAt = now,
                    LastError = outcome.Error,
                    ConsecutiveFailures = failures,
                    DueAt = now + Backoff(settings, failures),
                };
        }
    }

    /// <summary>A run cut short by shutdown: nothing is counted against the user, who is due at once.</summary>
    public static UserRecord Interrupted(UserRecord user, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(user);
        return user with { LastAttemptAt = now, DueAt = now };
    }
}
