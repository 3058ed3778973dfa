using System.CommandLine;
using System.Text.Json;
using Connector.Emulator;
using Connector.Sync.Engine;
using Connector.Worker;
using Connector.Worker.Configuration;
using Connector.Worker.Running;
using Connector.Worker.Scheduling;

namespace Connector.Host.Commands;

/// <summary>
/// <c>demo [--data DIR]</c>: the whole product on one machine with nothing installed. Starts the
/// Exchange emulator (demo seed: alice, bob and carol, impersonated by svc-sync), syncs each of them
/// both ways with a folder of .ics/.vcf files standing in for Nextcloud, state in SQLite, all under
/// DIR (default ./demo-data), and prints what it did. The emulator keeps its mailboxes in
/// DIR/exchange.json, so running demo again syncs edits made to the files back to "Exchange".
/// </summary>
public static class DemoCommand
{
    public const string DefaultDataFolder = "demo-data";

    private static readonly string[] DemoUsers = ["alice", "bob", "carol"];

    public static Command Create()
    {
        var data = new Option<string>("--data") { Description = "Folder for the demo's files (emulator mailboxes, vdir collections, SQLite, admins.json, users.json).", DefaultValueFactory = _ => DefaultDataFolder };
        var command = new Command("demo", "Run the connector against a built-in Exchange emulator and a folder of .ics/.vcf files; run again to sync your edits back.") { data };
        command.SetAction((parseResult, cancellationToken) => RunAsync(parseResult, Path.GetFullPath(parseResult.GetValue(data)!), parseResult.InvocationConfiguration.Output, parseResult.InvocationConfiguration.Error, cancellationToken));
        return command;
    }

    public static async Task<int> RunAsync(ParseResult parseResult, string dataFolder, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(output);
        if (await CommandSupport.LoadAsync(parseResult, error) is not { } loaded)
        {
            return ExitCodes.Configuration;
        }

        Directory.CreateDirectory(dataFolder);
        var exchangeFile = Path.Combine(dataFolder, "exchange.json");
        var firstRun = !File.Exists(exchangeFile);
        await using var emulator = await ExchangeEmulator.StartAsync(new EmulatorOptions { Port = 0, Seed = "demo", DataFile = exchangeFile }, cancellationToken);
        await WriteDemoFilesAsync(dataFolder, emulator.EwsUri, cancellationToken);
        var settings = loaded.Settings with
        {
            BasePath = dataFolder,
            Service = loaded.Settings.Service with { AdminsFile = "admins.json", UsersFile = "users.json", WorkerId = "demo" },
            Database = new DatabaseSettings { ConnectionString = "connector.db" },
        };
        await output.WriteLineAsync(firstRun
            ? $"Exchange emulator started with the demo mailboxes ({emulator.EwsUri}); data in {dataFolder}"
            : $"Exchange emulator started with the mailboxes kept in {exchangeFile} ({emulator.EwsUri})");

        await using var runtime = await CommandSupport.OpenRuntimeAsync(settings, error, cancellationToken);
        if (runtime is null)
        {
            return ExitCodes.Configuration;
        }

        var users = await runtime.Directory.RefreshAsync(cancellationToken);
        var failed = false;
        foreach (var user in users.Where(u => u.Enabled))
        {
            var account = runtime.Directory.Find(user.UserId)!;
            var outcome = await runtime.Runner.RunAsync(user, account, dryRun: false, cancellationToken);
            await runtime.State.UpsertUserAsync(DueTimePolicy.Next(user, outcome, nudged: false, DateTimeOffset.UtcNow, settings.Service), cancellationToken);
            await output.WriteLineAsync($"{user.UserId} ({user.Mailbox}):");
            foreach (var kind in outcome.Kinds)
            {
                await output.WriteLineAsync($"  {KindRunResult.KindName(kind.Kind),-9} {Counts(kind)}");
            }

            if (outcome.Status != UserRunStatus.Success)
            {
                failed = true;
                await error.WriteLineAsync($"error: {user.UserId}: {outcome.Status}: {outcome.Error}");
            }
        }

        await output.WriteLineAsync();
        await output.WriteLineAsync($"Nextcloud side (a vdir folder per user): {Path.Combine(dataFolder, "nextcloud")}");
        await output.WriteLineAsync("Edit, add or delete .ics/.vcf files there and run the demo again: the changes reach the emulator's Exchange.");
        await emulator.StopAsync(cancellationToken);
        return failed ? ExitCodes.Failed : ExitCodes.Success;
    }

    /// <summary>"to Nextcloud: 7 created, 0 updated, 0 deleted; to Exchange: 0 created, 1 updated, 0 deleted".</summary>
    public static string Counts(KindRunResult kind)
    {
        ArgumentNullException.ThrowIfNull(kind);
        if (kind.Error is not null || kind.Report is null)
        {
            return kind.Error ?? kind.Note ?? "not synced";
        }

        string Side(Side side) => $"{kind.Count(SyncActionKind.Create, side)} created, {kind.Count(SyncActionKind.Update, side)} updated, {kind.Count(SyncActionKind.Delete, side)} deleted";
        var text = $"to Nextcloud: {Side(Sync.Engine.Side.Nextcloud)}; to Exchange: {Side(Sync.Engine.Side.Exchange)}";
        if (kind.Report.Problems.Count > 0)
        {
            text += $"; {kind.Report.Problems.Count} item(s) skipped with errors";
        }

        return kind.Report.HaltReason is { } halt ? "halted: " + halt : text;
    }

    /// <summary>The admins and users files the demo runs on (rewritten each run: the emulator's port changes).</summary>
    private static async Task WriteDemoFilesAsync(string dataFolder, Uri ewsUri, CancellationToken cancellationToken)
    {
        var admins = new[]
        {
            new Dictionary<string, object> { ["Name"] = "svc-sync", ["ExchangeType"] = 2, ["Username"] = "svc-sync", ["Password"] = "Passw0rd!", ["AuthType"] = "Basic", ["EwsUrl"] = ewsUri.ToString() },
        };
        var users = DemoUsers.Select(u => new Dictionary<string, object>
        {
            ["UserId"] = u,
            ["Mailbox"] = $"{u}@contoso.com",
            ["VdirPath"] = Path.Combine("nextcloud", u),
            ["TimeZone"] = "Europe/Berlin",
        }).ToArray();
        var indented = new JsonSerializerOptions { WriteIndented = true };
        await WritePrivateAsync(Path.Combine(dataFolder, "admins.json"), JsonSerializer.Serialize(admins, indented), cancellationToken);
        await WritePrivateAsync(Path.Combine(dataFolder, "users.json"), JsonSerializer.Serialize(users, indented), cancellationToken);
    }

    private static async Task WritePrivateAsync(string path, string text, CancellationToken cancellationToken)
    {
        await File.WriteAllTextAsync(path, text, cancellationToken);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }
}
