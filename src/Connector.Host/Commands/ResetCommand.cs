using System.CommandLine;
using Connector.Worker;

namespace Connector.Host.Commands;

/// <summary>
/// <c>reset --user U</c>: forgets the user's folder pairs, tokens and item relations (nothing on either
/// side is touched). The next run pairs the collections anew and matches items by UID, so nothing is
/// duplicated; use it after a halted pair was checked, or when a collection was replaced.
/// </summary>
public static class ResetCommand
{
    public static Command Create()
    {
        var user = new Option<string>("--user", "-u") { Description = "The Nextcloud user id.", Required = true };
        var command = new Command("reset", "Forget a user's pairs and relations (no item is touched); the next run pairs anew by UID.") { user };
        command.SetAction((parseResult, cancellationToken) =>
        {
            var output = parseResult.InvocationConfiguration.Output;
            var error = parseResult.InvocationConfiguration.Error;
            return CommandSupport.RunWithRuntimeAsync(parseResult, error, runtime => ResetAsync(runtime, parseResult.GetValue(user)!, output, error, cancellationToken), cancellationToken);
        });
        return command;
    }

    private static async Task<int> ResetAsync(WorkerRuntime runtime, string userId, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var record = await runtime.State.GetUserAsync(userId, cancellationToken);
        if (record is null)
        {
            await error.WriteLineAsync($"error: user {userId} is not known to the state store");
            return ExitCodes.Usage;
        }

        await runtime.State.ResetUserAsync(userId, cancellationToken);
        await runtime.State.UpsertUserAsync(record with { DueAt = DateTimeOffset.UtcNow, LastError = null, ConsecutiveFailures = 0 }, cancellationToken);
        await output.WriteLineAsync($"{userId}: pairs and relations forgotten; the next run pairs the collections anew by UID");
        return ExitCodes.Success;
    }
}
