using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Connector.Worker;
using Connector.Worker.Observability;
using Connector.Worker.Scheduling;
using Connector.Worker.Status;

namespace Connector.Host.Commands;

/// <summary>
/// <c>status [--json]</c>: every user (identity, last success, lag, due, last error) and every
/// identity (assigned users, quarantine), read from the state store — the same for every replica.
/// Quarantine lives in each worker's memory; here an identity shows as quarantined when a user's last
/// run recorded its credentials as rejected within the quarantine time.
/// </summary>
public static class StatusCommand
{
    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter() },
    };

    private static readonly string[] UserHeader = ["USER", "MAILBOX", "IDENTITY", "LAST SUCCESS", "LAG", "DUE", "LAST ERROR"];

    private static readonly string[] IdentityHeader = ["IDENTITY", "BACKEND", "USERS", "STATE"];

    public static Command Create()
    {
        var json = new Option<bool>("--json") { Description = "Print JSON (the same shape as /api/status)." };
        var command = new Command("status", "Show users (identity, last success, lag, last error) and identities (quarantine).") { json };
        command.SetAction((parseResult, cancellationToken) =>
        {
            var output = parseResult.InvocationConfiguration.Output;
            var error = parseResult.InvocationConfiguration.Error;
            return CommandSupport.RunWithRuntimeAsync(parseResult, error, runtime => ShowAsync(runtime, parseResult.GetValue(json), output, cancellationToken), cancellationToken);
        });
        return command;
    }

    private static async Task<int> ShowAsync(WorkerRuntime runtime, bool asJson, TextWriter output, CancellationToken cancellationToken)
    {
        var now = DateTimeOffset.UtcNow;
        var users = await runtime.State.ListUsersAsync(cancellationToken);
        foreach (var identity in runtime.Identities)
        {
            var rejected = users.Where(u => u.LastAttemptAt > now - runtime.Settings.Service.Quarantine
                && u.LastError?.Contains($"credentials of identity {identity.Name};", StringComparison.Ordinal) == true).ToList();
            if (rejected.Count > 0)
            {
                runtime.Pool.Quarantine(identity.Name, rejected[0].LastError!);
            }
        }

        var status = WorkerStatusSource.Build(users, runtime.Pool, now);
        if (asJson)
        {
            await output.WriteLineAsync(JsonSerializer.Serialize(status, Json));
        }
        else
        {
            await output.WriteAsync(Table(status));
        }

        return ExitCodes.Success;
    }

    public static string Table(WorkerStatus status)
    {
        ArgumentNullException.ThrowIfNull(status);
        var rows = new List<string[]> { UserHeader };
        rows.AddRange(status.Users.Select(u => new[]
        {
            u.UserId + (u.Enabled ? string.Empty : " (stopped)"),
            u.Mailbox,
            u.Identity ?? "-",
            u.LastSuccessAt?.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture) ?? "never",
            u.Lag is { } lag ? Duration(lag) : "-",
            u.DueAt <= status.At ? "now" : "in " + Duration(u.DueAt - status.At),
            Clean(u.LastError) ?? "-",
        }));
        var text = new System.Text.StringBuilder();
        Render(rows, text);
        text.AppendLine();
        var identities = new List<string[]> { IdentityHeader };
        identities.AddRange(status.Identities.Select(i => new[]
        {
            i.Name,
            i.Backend,
            string.Create(CultureInfo.InvariantCulture, $"{i.AssignedUsers}/{i.MaxUsers}"),
            i.Quarantined ? "quarantined: " + Clean(i.QuarantineReason) : i.BackingOffUntil is { } until ? "backing off until " + until.ToString("HH:mm:ss", CultureInfo.InvariantCulture) : "ok",
        }));
        Render(identities, text);
        return text.ToString();
    }

    private static string? Clean(string? error)
    {
        if (error is null)
        {
            return null;
        }

        var marker = error.IndexOf(UserDirectory.StoppedMarker, StringComparison.Ordinal);
        return (marker >= 0 ? error[..marker] : error).Trim();
    }

    private static void Render(List<string[]> rows, System.Text.StringBuilder text)
    {
        var widths = Enumerable.Range(0, rows[0].Length).Select(c => rows.Max(r => r[c].Length)).ToArray();
        foreach (var row in rows)
        {
            text.AppendLine(string.Join("  ", row.Select((cell, c) => c == row.Length - 1 ? cell : cell.PadRight(widths[c]))).TrimEnd());
        }
    }

    private static string Duration(TimeSpan span) => span.TotalSeconds < 120
        ? string.Create(CultureInfo.InvariantCulture, $"{(int)span.TotalSeconds}s")
        : span.TotalMinutes < 120
            ? string.Create(CultureInfo.InvariantCulture, $"{(int)span.TotalMinutes}m")
            : span.TotalHours < 48
                ? string.Create(CultureInfo.InvariantCulture, $"{(int)span.TotalHours}h")
                : string.Create(CultureInfo.InvariantCulture, $"{(int)span.TotalDays}d");
}
