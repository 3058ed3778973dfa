using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Xml.Linq;
using Connector.Emulator;
using Connector.Stores.Dav;
using Connector.Stores.Ews;
using Connector.Sync.Stores;
using Connector.Testing;
using Npgsql;
using Xunit.Abstractions;

namespace Connector.Host.Tests.Commands;

/// <summary>
/// Two `connector run` processes share one PostgreSQL, as replicas do. The one syncing alice is killed
/// (SIGKILL) in the middle of her first sync, after some relation batches were committed; the other
/// takes her over once the lease expires and finishes. Afterwards Nextcloud (Radicale) holds every
/// Exchange item exactly once, Exchange got nothing twice, and no collection was created twice (S03).
/// The survivor stops on SIGTERM with exit code 0 and releases its leases.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "xunit disposes through IAsyncLifetime.DisposeAsync.")]
public sealed class TwoWorkerProcessesTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int ExtraEvents = 150;
    private readonly string folder = Directory.CreateTempSubdirectory("connector-replicas-").FullName;
    private readonly string schema = "worker_test_" + Guid.NewGuid().ToString("N")[..16];
    private readonly List<WorkerProcess> workers = [];
    private ExchangeEmulator emulator = null!;

    private string ConnectionString => new NpgsqlConnectionStringBuilder(TestServerEnvironment.Postgres) { SearchPath = schema, MaxPoolSize = 4 }.ConnectionString;

    public async Task InitializeAsync()
    {
        emulator = await ExchangeEmulator.StartAsync(new EmulatorOptions { Port = 0, Seed = "demo", LatencyMilliseconds = 40 });
        var alice = emulator.Mailbox("alice@contoso.com");
        XNamespace t = "http://schemas.microsoft.com/exchange/services/2006/types";
        var start = new DateTime(2026, 3, 2, 8, 0, 0, DateTimeKind.Utc);
        for (var i = 0; i < ExtraEvents; i++)
        {
            alice.CreateItem("calendar", new XElement(
                t + "CalendarItem",
                new XElement(t + "Subject", $"Load event {i}"),
                new XElement(t + "UID", $"load-{i}@replicas.test"),
                new XElement(t + "Start", start.AddHours(i).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)),
                new XElement(t + "End", start.AddHours(i).AddMinutes(30).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture))));
        }
    }

    public async Task DisposeAsync()
    {
        foreach (var worker in workers)
        {
            worker.Kill();
            worker.Dispose();
        }

        await emulator.DisposeAsync();
        if (TestServerEnvironment.IsAvailable(TestServer.Postgres))
        {
            await ExecuteAsync(TestServerEnvironment.Postgres, $"DROP SCHEMA IF EXISTS {schema} CASCADE");
        }

        Directory.Delete(folder, recursive: true);
    }

    [ServerFact(TestServer.Postgres, TestServer.Radicale)]
    public async Task KilledMidSync_TheOtherWorkerTakesOver_NothingLostOrDuplicated()
    {
        var radicale = TestServerEnvironment.Radicale;
        await RadicaleAccounts.EmptyAsync(radicale.BaseUri, "wk2");
        await RadicaleAccounts.EmptyAsync(radicale.BaseUri, "wk3");
        await ExecuteAsync(TestServerEnvironment.Postgres, $"CREATE SCHEMA {schema}");
        File.WriteAllText(Path.Combine(folder, "admins.json"), $$"""
            [ { "Name": "svc-sync", "ExchangeType": 2, "Username": "svc-sync", "Password": "Passw0rd!", "EwsUrl": "{{emulator.EwsUri}}" } ]
            """);
        File.WriteAllText(Path.Combine(folder, "users.json"), $$"""
            [
              { "UserId": "alice", "Mailbox": "alice@contoso.com", "DavUrl": "{{radicale.BaseUri}}", "DavUser": "wk2", "DavPassword": "{{RadicaleAccounts.Password("wk2")}}", "SyncMode": 1 },
              { "UserId": "bob", "Mailbox": "bob@contoso.com", "DavUrl": "{{radicale.BaseUri}}", "DavUser": "wk3", "DavPassword": "{{RadicaleAccounts.Password("wk3")}}", "SyncMode": 1 }
            ]
            """);
        var exchangeBefore = await ReadExchangeUidsAsync();

        workers.Add(WorkerProcess.Start("worker-a", Environment(ConnectionString, "worker-a")));
        workers.Add(WorkerProcess.Start("worker-b", Environment(ConnectionString, "worker-b")));

        // Wait until alice's first sync has committed some relation batches but not finished, then kill her worker.
        await using var db = NpgsqlDataSource.Create(ConnectionString);
        string? victim = null;
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(2);
        while (victim is null && DateTime.UtcNow < deadline)
        {
            var row = await QueryAsync(db, """
                SELECT u.lease_owner, u.last_success_at IS NULL,
                       (SELECT count(*) FROM item_relations r JOIN folder_pairs p ON p.pair_id = r.pair_id WHERE p.user_id = u.user_id)
                FROM users u WHERE u.user_id = 'alice'
                """);
            if (row is [string owner, true, long relations] && relations >= 10)
            {
                victim = owner;
            }
            else if (row is [_, false, _])
            {
                Assert.Fail("alice's first sync finished before it could be interrupted; raise ExtraEvents or the emulator latency");
            }
            else
            {
                Assert.All(workers, w => Assert.False(w.HasExited, $"{w.Name} exited early:\n{w.Output}"));
                await Task.Delay(25);
            }
        }

        Assert.NotNull(victim);
        var killed = workers.Single(w => w.Name == victim);
        var survivor = workers.Single(w => w.Name != victim);
        killed.Kill();
        output.WriteLine($"killed {victim} mid-sync");

        deadline = DateTime.UtcNow + TimeSpan.FromMinutes(3);
        while (DateTime.UtcNow < deadline && await QueryAsync(db, "SELECT last_success_at IS NOT NULL FROM users WHERE user_id = 'alice'") is not [true])
        {
            Assert.False(survivor.HasExited, $"{survivor.Name} exited:\n{survivor.Output}");
            await Task.Delay(200);
        }

        Assert.Equal([true], await QueryAsync(db, "SELECT last_success_at IS NOT NULL FROM users WHERE user_id = 'alice'"));
        Assert.Equal([true], await QueryAsync(db, "SELECT last_success_at IS NOT NULL FROM users WHERE user_id = 'bob'"));

        // Graceful stop: SIGTERM, exit code 0, leases released.
        Assert.Equal(0, await survivor.TerminateAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal([0L], await QueryAsync(db, "SELECT count(*) FROM users WHERE lease_owner IS NOT NULL"));

        // Exchange: nothing created, nothing lost. Nextcloud: every Exchange item exactly once, one collection.
        Assert.Equal(exchangeBefore, await ReadExchangeUidsAsync());
        using var davClient = new HttpClient(radicale.CreateHttpHandler());
        var dav = new DavItemStore(davClient, new DavStoreOptions { BaseUri = radicale.BaseUri, UserName = "wk2", Password = RadicaleAccounts.Password("wk2"), Quirks = DavServerQuirks.Radicale });
        var calendars = (await dav.DiscoverCollectionsAsync(ItemKind.Event, CancellationToken.None)).Where(c => c.DisplayName == "Exchange Calendar").ToList();
        var calendar = Assert.Single(calendars);
        var listing = await dav.GetChangesAsync(calendar, null, CancellationToken.None);
        var fetched = await dav.FetchAsync(calendar, [.. listing.Changes.Select(c => c.Id)], CancellationToken.None);
        var uids = fetched.Select(f => f.Item!.Item.Uid).ToList();
        Assert.Equal(uids.Count, uids.Distinct().Count());
        Assert.Equal(exchangeBefore, uids.Order(StringComparer.Ordinal).ToList());
        output.WriteLine($"{uids.Count} events in Nextcloud; survivor log:\n{survivor.Output}");

        // What the processes logged (console, as a container's log collector keeps it) holds no content or secret.
        var logs = killed.Output + survivor.Output;
        Assert.Contains("User alice synced", logs, StringComparison.Ordinal);
        var postgresPassword = new NpgsqlConnectionStringBuilder(TestServerEnvironment.Postgres).Password;
        foreach (var secret in new[] { "Load event", "Team stand-up", "Dentist", "carol@contoso.com", "Passw0rd!", RadicaleAccounts.Password("wk2"), RadicaleAccounts.Password("wk3"), postgresPassword })
        {
            if (!string.IsNullOrEmpty(secret))
            {
                Assert.DoesNotContain(secret, logs, StringComparison.OrdinalIgnoreCase);
            }
        }
    }

    private Dictionary<string, string> Environment(string connectionString, string workerId) => new()
    {
        ["Service__AdminsFile"] = Path.Combine(folder, "admins.json"),
        ["Service__UsersFile"] = Path.Combine(folder, "users.json"),
        ["Service__WorkerId"] = workerId,
        ["Service__SyncIntervalInSeconds"] = "3600",
        ["Service__CriticalSyncIntervalInSeconds"] = "5",
        ["Service__LeaseDurationInSeconds"] = "15",
        ["Service__MaxParallelProcessingUsers"] = "1",
        ["Service__BatchLimit"] = "5",
        ["Service__BatchSaveSize"] = "5",
        ["Database__Provider"] = "Postgres",
        ["Database__ConnectionString"] = connectionString,
        ["Http__Enabled"] = "false",
    };

    private async Task<List<string>> ReadExchangeUidsAsync()
    {
        var ews = new EwsItemStore(new HttpClient(), new EwsStoreOptions { EwsUrl = emulator.EwsUri, UserName = "svc-sync", Password = "Passw0rd!", Mailbox = "alice@contoso.com" });
        var calendar = (await ews.DiscoverCollectionsAsync(ItemKind.Event, CancellationToken.None)).Single();
        var ids = new List<string>();
        string? token = null;
        ChangeFeed feed;
        do
        {
            feed = await ews.GetChangesAsync(calendar, token, CancellationToken.None);
            ids.AddRange(feed.Changes.Select(c => c.Id));
            token = feed.NewToken;
        }
        while (feed.MoreAvailable);

        var items = await ews.FetchAsync(calendar, ids, CancellationToken.None);
        return [.. items.Select(i => i.Item!.Item.Uid).Order(StringComparer.Ordinal)];
    }

    private static async Task<object?[]?> QueryAsync(NpgsqlDataSource db, string sql)
    {
        try
        {
            return await QueryOnceAsync(db, sql);
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UndefinedTable)
        {
            return null; // the workers have not migrated the schema yet
        }
    }

    private static async Task<object?[]?> QueryOnceAsync(NpgsqlDataSource db, string sql)
    {
        await using var command = db.CreateCommand(sql);
        await using var reader = await command.ExecuteReaderAsync();
        if (!await reader.ReadAsync())
        {
            return null;
        }

        var values = new object?[reader.FieldCount];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
        }

        return values;
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>`dotnet exec connector.dll run` with its configuration in the environment (never on the command line: passwords).</summary>
    private sealed class WorkerProcess : IDisposable
    {
        private readonly Process process;
        private readonly StringBuilder log = new();

        private WorkerProcess(string name, Process process)
        {
            Name = name;
            this.process = process;
        }

        public string Name { get; }

        public bool HasExited => process.HasExited;

        public string Output
        {
            get
            {
                lock (log)
                {
                    return log.ToString();
                }
            }
        }

        public static WorkerProcess Start(string name, Dictionary<string, string> environment)
        {
            var dll = Path.Combine(AppContext.BaseDirectory, "connector.dll");
            Assert.True(File.Exists(dll), $"{dll} is missing");
            var start = new ProcessStartInfo(DotnetHost()) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = AppContext.BaseDirectory };
            start.ArgumentList.Add("exec");
            start.ArgumentList.Add(dll);
            start.ArgumentList.Add("run");
            foreach (var (key, value) in environment)
            {
                start.Environment[key] = value;
            }

            var worker = new WorkerProcess(name, Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start"));
            worker.process.OutputDataReceived += (_, e) => worker.Append(e.Data);
            worker.process.ErrorDataReceived += (_, e) => worker.Append(e.Data);
            worker.process.BeginOutputReadLine();
            worker.process.BeginErrorReadLine();
            return worker;
        }

        public void Kill()
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit();
            }
        }

        /// <summary>SIGTERM (what systemd and docker send), then the exit code.</summary>
        public async Task<int> TerminateAsync(TimeSpan grace)
        {
            using (var signal = Process.Start("kill", ["-TERM", process.Id.ToString(CultureInfo.InvariantCulture)]))
            {
                await signal.WaitForExitAsync();
            }

            using var timeout = new CancellationTokenSource(grace);
            await process.WaitForExitAsync(timeout.Token);
            return process.ExitCode;
        }

        public void Dispose() => process.Dispose();

        private void Append(string? line)
        {
            if (line is not null)
            {
                lock (log)
                {
                    log.AppendLine(line);
                }
            }
        }

        private static string DotnetHost() =>
            System.Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host
            : System.Environment.ProcessPath is { } path && Path.GetFileNameWithoutExtension(path) == "dotnet" ? path : "dotnet";
    }
}
