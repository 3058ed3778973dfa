using System.CommandLine;
using System.Text.Json;
using Connector.Emulator;
using Connector.Emulator.Graph;
using Connector.Sync.Engine;
using Connector.Worker;
using Connector.Worker.Configuration;
using Connector.Worker.Identities;
using Connector.Worker.Running;
using Connector.Worker.Scheduling;

namespace Connector.Host.Commands;

/// <summary>
/// <c>demo [--data DIR]</c>: the whole product on one machine with nothing installed. Starts the
/// Exchange emulator (demo seed: alice, bob and carol on Exchange Server over EWS, impersonated by
/// svc-sync; dave on Microsoft 365 over Graph, reached by an app registration with a client secret
/// through the emulator's token endpoint), syncs each of them both ways with a folder of .ics/.vcf
/// files standing in for Nextcloud, state in SQLite, all under DIR (default ./demo-data), and prints
/// what it did. The emulator keeps its mailboxes (both backends) in DIR/exchange.json, so running
/// demo again syncs edits made to the files back to "Exchange".
/// </summary>
public static class DemoCommand
{
    public const string DefaultDataFolder = "demo-data";

    private static readonly string[] ExchangeServerUsers = ["alice", "bob", "carol"];

    private const string Microsoft365User = "dave";

    public static Command Create()
    {
        var data = new Option<string>("--data") { Description = "Folder for the demo's files (emulator mailboxes, vdir collections, SQLite, admins and users files).", DefaultValueFactory = _ => DefaultDataFolder };
        var command = new Command("demo", "Run the connector against a built-in Exchange emulator (Exchange Server and Microsoft 365) and a folder of .ics/.vcf files; run again to sync your edits back.") { data };
        command.SetAction((parseResult, cancellationToken) => RunAsync(parseResult, Path.GetFullPath(parseResult.GetValue(data)!), parseResult.InvocationConfiguration.Output, parseResult.InvocationConfiguration.Error, cancellationToken));
        return command;
    }

    public static async Task<int> RunAsync(ParseResult parseResult, string dataFolder, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        if (await CommandSupport.LoadAsync(parseResult, error) is not { } loaded)
        {
            return ExitCodes.Configuration;
        }

        Directory.CreateDirectory(dataFolder);
        var exchangeFile = Path.Combine(dataFolder, "exchange.json");
        var firstRun = !File.Exists(exchangeFile);
        await using var emulator = await ExchangeEmulator.StartAsync(new EmulatorOptions { Port = 0, Seed = "demo", DataFile = exchangeFile }, cancellationToken);

        // What the seed "sent" while creating its meetings is not the connector's doing (S01 counts only the sync's).
        var seeded = emulator.AllOutbox().Select(m => m.Sequence).ToHashSet();
        await output.WriteLineAsync(firstRun
            ? $"Exchange emulator started with the demo mailboxes (Exchange Server: {emulator.EwsUri}, Microsoft 365: {emulator.GraphUri}); data in {dataFolder}"
            : $"Exchange emulator started with the mailboxes kept in {exchangeFile} (Exchange Server: {emulator.EwsUri}, Microsoft 365: {emulator.GraphUri})");

        var failed = false;
        foreach (var deployment in Deployments(emulator))
        {
            var result = await RunDeploymentAsync(deployment, loaded.Settings, dataFolder, output, error, cancellationToken);
            if (result is null)
            {
                return ExitCodes.Configuration;
            }

            failed |= result.Value;
        }

        var sent = emulator.AllOutbox().Where(m => !seeded.Contains(m.Sequence)).ToList();
        await output.WriteLineAsync();
        await output.WriteLineAsync($"Invitations, updates or cancellations Exchange sent because of the sync: {sent.Count}");
        foreach (var message in sent)
        {
            // Never expected (S01: Nextcloud already announced what its user did); shown, and the run fails, should it happen.
            failed = true;
            await error.WriteLineAsync($"error: {message.Mailbox} sent a {message.Kind} to {message.Recipient} about \"{message.Subject}\" ({message.Operation})");
        }

        await output.WriteLineAsync($"Nextcloud side (a vdir folder per user): {Path.Combine(dataFolder, "nextcloud")}");
        await output.WriteLineAsync("Edit, add or delete .ics/.vcf files there and run the demo again: the changes reach the emulator's Exchange (dave's its Microsoft 365).");
        await emulator.StopAsync(cancellationToken);
        return failed ? ExitCodes.Failed : ExitCodes.Success;
    }

    /// <summary>
    /// One worker configuration: its admins and users files and its SQLite state. One worker serves
    /// both backends: admins.json holds an Exchange Server and a Microsoft 365 identity, and each user
    /// says which one their mailbox is on (<c>ExchangeType</c>), as an organisation with both would.
    /// </summary>
    private sealed record DemoDeployment(
        string Backend,
        string AdminsFile,
        string UsersFile,
        string Database,
        IReadOnlyList<Dictionary<string, object>> Admins,
        IReadOnlyList<Dictionary<string, object>> Users);

    /// <summary>The admins and users files the demo runs on (rewritten each run: the emulator's port changes).</summary>
    private static DemoDeployment[] Deployments(ExchangeEmulator emulator)
    {
        static Dictionary<string, object> User(string userId, string mailbox, ExchangeType type) => new()
        {
            ["UserId"] = userId,
            ["Mailbox"] = mailbox,
            ["ExchangeType"] = (int)type,
            ["VdirPath"] = Path.Combine("nextcloud", userId),
            ["TimeZone"] = "Europe/Berlin",
        };

        return
        [
            new DemoDeployment(
                "Exchange",
                "admins.json",
                "users.json",
                "connector.db",
                [
                    new() { ["Name"] = "svc-sync", ["ExchangeType"] = 2, ["Username"] = "svc-sync", ["Password"] = "Passw0rd!", ["AuthType"] = "Basic", ["EwsUrl"] = emulator.EwsUri.ToString() },
                    new()
                    {
                        ["Name"] = "m365",
                        ["ExchangeType"] = 1,
                        ["TenantId"] = GraphDemoSeed.TenantId,
                        ["ClientId"] = GraphDemoSeed.ClientId,
                        ["ClientSecret"] = GraphDemoSeed.ClientSecret,
                        ["AuthorityHost"] = emulator.BaseUri.ToString(),
                        ["GraphUrl"] = emulator.GraphUri.ToString(),
                    },
                ],
                [
                    .. ExchangeServerUsers.Select(u => User(u, $"{u}@contoso.com", ExchangeType.ExchangeServer)),
                    User(Microsoft365User, GraphDemoSeed.User, ExchangeType.Microsoft365),
                ]),
        ];
    }

    /// <summary>Syncs every user of one configuration once and prints the counts; null after configuration errors, else whether a user failed.</summary>
    private static async Task<bool?> RunDeploymentAsync(DemoDeployment deployment, ConnectorSettings loaded, string dataFolder, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var indented = new JsonSerializerOptions { WriteIndented = true };
        await WritePrivateAsync(Path.Combine(dataFolder, deployment.AdminsFile), JsonSerializer.Serialize(deployment.Admins, indented), cancellationToken);
        await WritePrivateAsync(Path.Combine(dataFolder, deployment.UsersFile), JsonSerializer.Serialize(deployment.Users, indented), cancellationToken);
        var settings = loaded with
        {
            BasePath = dataFolder,
            Service = loaded.Service with { AdminsFile = deployment.AdminsFile, UsersFile = deployment.UsersFile, WorkerId = "demo" },
            Database = new DatabaseSettings { ConnectionString = deployment.Database },
        };

        await using var runtime = await CommandSupport.OpenRuntimeAsync(settings, error, cancellationToken);
        if (runtime is null)
        {
            return null;
        }

        var users = await runtime.Directory.RefreshAsync(cancellationToken);
        var failed = false;
        foreach (var user in users.Where(u => u.Enabled))
        {
            var account = runtime.Directory.Find(user.UserId)!;
            var outcome = await runtime.Runner.RunAsync(user, account, dryRun: false, cancellationToken);
            await runtime.State.UpsertUserAsync(DueTimePolicy.Next(user, outcome, nudged: false, DateTimeOffset.UtcNow, settings.Service), cancellationToken);
            var identity = runtime.Identities.FirstOrDefault(i => string.Equals(i.Name, user.IdentityName, StringComparison.OrdinalIgnoreCase));
            await output.WriteLineAsync($"{user.UserId} ({user.Mailbox}, {BackendName(identity) ?? deployment.Backend}):");
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

        return failed;
    }

    /// <summary>The backend as the printout names it, from the identity the user was assigned to.</summary>
    private static string? BackendName(AdminIdentity? identity) => identity?.ExchangeType switch
    {
        ExchangeType.Microsoft365 => "Microsoft 365 over Graph",
        ExchangeType.ExchangeServer => "Exchange Server over EWS",
        _ => null,
    };

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

    private static async Task WritePrivateAsync(string path, string text, CancellationToken cancellationToken)
    {
        await File.WriteAllTextAsync(path, text, cancellationToken);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }
}
