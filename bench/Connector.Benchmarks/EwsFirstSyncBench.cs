using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using Connector.State;
using Connector.Stores.Ews;
using Connector.Sync.Engine;
using Connector.Sync.State;
using Connector.Sync.Stores;
using Connector.Testing.Fakes;

namespace Connector.Benchmarks;

/// <summary>
/// First sync of one mailbox through EWS: the emulator (bench seed, one mailbox, N items per folder, fixed latency
/// per request) as its own process on 127.0.0.1, the EWS store over real HTTP. Two measurements, each on a fresh
/// emulator: the EWS store's reads alone (discovery, full SyncFolderItems listing, GetItem batches), and the whole
/// engine (<see cref="PairSynchronizer"/>: Exchange → an in-memory Nextcloud side, state in SQLite). Requests come
/// from the emulator's request log (/emulator/requests); time is wall clock of one run (not a statistic: run it a
/// few times); CPU, allocation and peak working set are given for this process (the client) and for the emulator.
/// <code>
/// dotnet run -c Release --project bench/Connector.Benchmarks -- ews-first-sync [--items 5000] [--latency 20] [--batch 50] [--kinds event|all]
/// </code>
/// </summary>
public static class EwsFirstSyncBench
{
    public const string Command = "ews-first-sync";

    private const string Mailbox = "user0001@bench.example";

    public static async Task<int> RunAsync(string[] args)
    {
        var items = Option(args, "--items", 5000);
        var latency = Option(args, "--latency", 20);
        var batch = Option(args, "--batch", EwsStoreOptions.DefaultBatchLimit);
        var kinds = args.SkipWhile(a => a != "--kinds").Skip(1).FirstOrDefault() == "all" ? ItemKind.Event | ItemKind.Contact | ItemKind.Task : ItemKind.Event;
        Console.WriteLine($"EWS first sync: 1 mailbox, {items} items per folder, {latency} ms latency per request, GetItem batches of {batch}, folders: {kinds}");
        Console.WriteLine();
        Console.WriteLine("| run | items | requests | by operation | seconds | items/s | client CPU s | client allocated MB | client peak WS MB | emulator CPU s |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|---|---|");
        await MeasureAsync("EWS store reads only", items, latency, batch, kinds, ReadOnlyAsync);
        await MeasureAsync("engine: Exchange → in-memory, SQLite state", items, latency, batch, kinds, EngineAsync);
        return 0;
    }

    private static async Task MeasureAsync(string name, int items, int latency, int batch, ItemKind kinds, Func<EwsItemStore, ItemKind, Task<int>> run)
    {
        await using var emulator = await EmulatorProcess.StartAsync(items, latency);
        using var http = new HttpClient();
        var store = new EwsItemStore(http, new EwsStoreOptions { EwsUrl = emulator.EwsUri, UserName = "bench-svc", Password = "bench", Mailbox = Mailbox, BatchLimit = batch, ThrottleGates = new Sync.Resilience.ThrottleGates() });
        GC.Collect();
        GC.WaitForPendingFinalizers();
        using var self = Process.GetCurrentProcess();
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var cpuBefore = self.TotalProcessorTime;
        var emulatorCpuBefore = emulator.CpuTime;
        var clock = Stopwatch.StartNew();
        var synced = await run(store, kinds);
        clock.Stop();
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        self.Refresh();
        var cpu = self.TotalProcessorTime - cpuBefore;
        var emulatorCpu = emulator.CpuTime - emulatorCpuBefore;
        var log = await emulator.RequestsAsync(http);
        var byOperation = string.Join(", ", log.GroupBy(r => r.Operation ?? "?").OrderByDescending(g => g.Count()).Select(g => $"{g.Key} {g.Count()}"));
        var throttled = log.Count(r => r.Fault is not null);
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"| {name} | {synced} | {log.Count}{(throttled > 0 ? $" ({throttled} refused)" : string.Empty)} | {byOperation} | {clock.Elapsed.TotalSeconds:F1} | {synced / clock.Elapsed.TotalSeconds:F0} | {cpu.TotalSeconds:F1} | {allocated / 1048576.0:F0} | {self.PeakWorkingSet64 / 1048576.0:F0} | {emulatorCpu.TotalSeconds:F1} |"));
    }

    private static async Task<int> ReadOnlyAsync(EwsItemStore store, ItemKind kinds)
    {
        var total = 0;
        foreach (var collection in await store.DiscoverCollectionsAsync(kinds, CancellationToken.None))
        {
            var ids = new List<string>();
            string? token = null;
            ChangeFeed feed;
            do
            {
                feed = await store.GetChangesAsync(collection, token, CancellationToken.None);
                ids.AddRange(feed.Changes.Where(c => c.Kind == ChangeKind.Upserted).Select(c => c.Id));
                token = feed.NewToken;
            }
            while (feed.MoreAvailable);

            var fetched = await store.FetchAsync(collection, ids, CancellationToken.None);
            total += fetched.Count(f => f.Status == FetchStatus.Found);
        }

        return total;
    }

    private static async Task<int> EngineAsync(EwsItemStore store, ItemKind kinds)
    {
        var folder = Directory.CreateTempSubdirectory("connector-bench-ews-").FullName;
        try
        {
            await using var state = new SqliteStateStore(Path.Combine(folder, "state.db"));
            await state.MigrateAsync(CancellationToken.None);
            await state.UpsertUserAsync(new UserRecord { UserId = "bench", Mailbox = Mailbox }, CancellationToken.None);
            var total = 0;
            foreach (var collection in await store.DiscoverCollectionsAsync(kinds, CancellationToken.None))
            {
                var nextcloud = new InMemoryItemStore("nc-" + collection.Kind);
                var pair = await state.SavePairAsync(new FolderPair { UserId = "bench", Kind = collection.Kind, ExchangeCollectionId = collection.Id, NextcloudCollectionId = nextcloud.Collection.Id }, CancellationToken.None);
                var report = await new PairSynchronizer(store, nextcloud, state, new SyncOptions()).SyncAsync(pair, collection, nextcloud.Collection, CancellationToken.None);
                if (report.Problems.Count > 0 || report.HaltReason is not null)
                {
                    throw new InvalidOperationException($"bench sync of {collection.Kind} had problems: {report.Describe()}");
                }

                total += nextcloud.Items.Count;
            }

            return total;
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static int Option(string[] args, string name, int fallback)
    {
        var at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length && int.TryParse(args[at + 1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : fallback;
    }

    /// <summary>The connector-emulator exe (copied beside this one) on a free loopback port, stopped on dispose.</summary>
    private sealed class EmulatorProcess : IAsyncDisposable
    {
        private readonly Process process;

        private EmulatorProcess(Process process, Uri baseUri)
        {
            this.process = process;
            BaseUri = baseUri;
        }

        public Uri BaseUri { get; }

        public Uri EwsUri => new(BaseUri, "EWS/Exchange.asmx");

        public TimeSpan CpuTime
        {
            get
            {
                process.Refresh();
                return process.TotalProcessorTime;
            }
        }

        public static async Task<EmulatorProcess> StartAsync(int items, int latency)
        {
            var exe = Path.Combine(AppContext.BaseDirectory, OperatingSystem.IsWindows() ? "connector-emulator.exe" : "connector-emulator");
            var start = new ProcessStartInfo(exe)
            {
                RedirectStandardOutput = true,
                UseShellExecute = false,
                WorkingDirectory = AppContext.BaseDirectory,
            };
            foreach (var arg in new[] { "--port", "0", "--seed", "bench", "--users", "1", "--items", items.ToString(CultureInfo.InvariantCulture), "--latency", latency.ToString(CultureInfo.InvariantCulture) })
            {
                start.ArgumentList.Add(arg);
            }

            var process = Process.Start(start) ?? throw new InvalidOperationException($"cannot start {exe}");
            while (await process.StandardOutput.ReadLineAsync() is { } line)
            {
                const string marker = "listening on ";
                var at = line.IndexOf(marker, StringComparison.Ordinal);
                if (at >= 0)
                {
                    var uri = line[(at + marker.Length)..].Split(' ')[0];
                    _ = process.StandardOutput.ReadToEndAsync();
                    return new EmulatorProcess(process, new Uri(uri));
                }
            }

            throw new InvalidOperationException($"{exe} ended without listening (exit code {process.ExitCode})");
        }

        public async Task<IReadOnlyList<LoggedRequest>> RequestsAsync(HttpClient http) =>
            await http.GetFromJsonAsync<List<LoggedRequest>>(new Uri(BaseUri, "emulator/requests")) ?? [];

        public async ValueTask DisposeAsync()
        {
            process.Kill();
            await process.WaitForExitAsync();
            process.Dispose();
        }
    }

    /// <summary>The fields of the emulator's request log this measurement reads.</summary>
    private sealed record LoggedRequest(string? Operation, string? Fault);
}
