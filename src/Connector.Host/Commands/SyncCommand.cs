using System.CommandLine;
using Connector.Sync.State;
using Connector.Worker;
using Connector.Worker.Running;
using Connector.Worker.Scheduling;

namespace Connector.Host.Commands;

/// <summary>
/// <c>sync --user U [--dry-run]</c>: one user, now, in the foreground; prints what each kind did (or,
/// with --dry-run, would do). Takes the user's lease like a worker, so it never runs alongside a
/// daemon that is syncing the same user.
/// </summary>
public static class SyncCommand
{
    public static readonly Option<string> User = new("--user", "-u") { Description = "The Nextcloud user id (as in the users file).", Required = true };

    public static Command Create()
    {
        var dryRun = new Option<bool>("--dry-run") { Description = "Plan only: print what would be created, updated and deleted on each side; write nothing." };
        var command = new Command("sync", "Sync one user now and print what was done.") { User, dryRun };
        command.SetAction((parseResult, cancellationToken) =>
        {
            var output = parseResult.InvocationConfiguration.Output;
            var error = parseResult.InvocationConfiguration.Error;
            return CommandSupport.RunWithRuntimeAsync(
                parseResult,
                error,
                runtime => RunAsync(runtime, parseResult.GetValue(User)!, parseResult.GetValue(dryRun), output, error, cancellationToken),
                cancellationToken);
        });
        return command;
    }

    private static async Task<int> RunAsync(WorkerRuntime runtime, string userId, bool dryRun, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        try
        {
            await runtime.Directory.RefreshAsync(cancellationToken);
        }
        catch (Connector.Worker.Configuration.ConfigurationException ex)
        {
            await CommandSupport.PrintAsync(error, ex.Errors);
            return ExitCodes.Configuration;
        }

        var account = runtime.Directory.Find(userId);
        var user = await runtime.State.GetUserAsync(userId, cancellationToken);
        if (account is null || user is null)
        {
            await error.WriteLineAsync($"error: user {userId} is not in the users file ({runtime.Settings.UsersFilePath})");
            return ExitCodes.Usage;
        }

        if (!user.Enabled)
        {
            await error.WriteLineAsync($"error: user {userId} is disabled: {user.LastError ?? "the users file says Enabled: false"}");
            return ExitCodes.Failed;
        }

        UserRunOutcome outcome;
        if (dryRun)
        {
            outcome = await runtime.Runner.RunAsync(user, account, dryRun: true, cancellationToken);
        }
        else
        {
            var workerId = "cli-sync-" + Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture);
            var claimed = await ClaimAsync(runtime, user, workerId, cancellationToken);
            if (claimed is null)
            {
                await error.WriteLineAsync($"error: user {userId} is being synced by a worker right now; try again in a moment");
                return ExitCodes.Failed;
            }

            outcome = await runtime.Runner.RunAsync(claimed, account, dryRun: false, cancellationToken);
            await runtime.State.ReleaseLeaseAsync(workerId, DueTimePolicy.Next(claimed, outcome, nudged: false, DateTimeOffset.UtcNow, runtime.Settings.Service), CancellationToken.None);
        }

        await output.WriteLineAsync($"{userId} ({user.Mailbox}, identity {user.IdentityName ?? "none"}){(dryRun ? ", dry run" : string.Empty)}:");
        foreach (var kind in outcome.Kinds)
        {
            await output.WriteLineAsync("  " + kind.Describe());
        }

        if (outcome.Status != UserRunStatus.Success)
        {
            await error.WriteLineAsync($"error: {outcome.Status}: {outcome.Error}");
            return ExitCodes.Failed;
        }

        return ExitCodes.Success;
    }

    /// <summary>
    /// Leases exactly this user: makes them due, claims what is due and hands every other user back
    /// untouched. Null when a worker holds the user's lease.
    /// </summary>
    private static async Task<UserRecord?> ClaimAsync(WorkerRuntime runtime, UserRecord user, string workerId, CancellationToken cancellationToken)
    {
        var now = DateTimeOffset.UtcNow;
        if (user.DueAt > now)
        {
            await runtime.State.UpsertUserAsync(user with { DueAt = now }, cancellationToken);
        }

        var claimed = await runtime.State.ClaimDueUsersAsync(workerId, now, runtime.Settings.Service.LeaseDuration, int.MaxValue, cancellationToken);
        UserRecord? mine = null;
        foreach (var other in claimed)
        {
            if (other.UserId == user.UserId)
            {
                mine = other;
            }
            else
            {
                await runtime.State.ReleaseLeaseAsync(workerId, other, cancellationToken);
            }
        }

        return mine;
    }
}
