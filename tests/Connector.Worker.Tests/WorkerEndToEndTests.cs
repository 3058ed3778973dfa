using Connector.Domain;
using Connector.Stores.Dav;
using Connector.Stores.Ews;
using Connector.Sync.Stores;
using Connector.Testing;
using Connector.Worker.Configuration;
using Connector.Worker.Observability;
using Connector.Worker.Scheduling;
using Microsoft.Extensions.Logging;

namespace Connector.Worker.Tests;

/// <summary>
/// The worker end to end: a users file and admins.json, the Exchange emulator (demo seed) ⇄ a real
/// Radicale, state in SQLite, through the scheduler (claim, run, release). After one cycle both sides
/// hold the same items; a second cycle writes nothing; no log line carries an item's title, body, an
/// attendee's address or a password.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "xunit disposes through IAsyncLifetime.DisposeAsync.")]
public sealed class WorkerEndToEndTests : IAsyncLifetime
{
    private const string RadicaleUser = "wk1";
    private WorkerTestBed bed = null!;

    public async Task InitializeAsync() => bed = await WorkerTestBed.StartAsync("connector-worker-e2e-");

    public async Task DisposeAsync() => await bed.DisposeAsync();

    private ConnectorSettings WriteConfiguration(Uri davUrl) => bed.WriteSettings(
        $$"""
        [ { "Name": "svc-sync", "ExchangeType": 2, "Username": "svc-sync", "Password": "Passw0rd!", "AuthType": "Basic", "EwsUrl": "{{bed.Emulator.EwsUri}}" } ]
        """,
        $$"""
        [ { "UserId": "alice", "Mailbox": "alice@contoso.com", "DavUrl": "{{davUrl}}", "DavUser": "{{RadicaleUser}}", "DavPassword": "{{RadicaleAccounts.Password(RadicaleUser)}}", "TimeZone": "Europe/Berlin" } ]
        """,
        ("Service__SyncIntervalInSeconds", "3600"),
        ("Service__CriticalSyncIntervalInSeconds", "10"));

    [ServerFact(TestServer.Radicale)]
    public async Task OneCycle_BothSidesEqual_SecondCycleWritesNothing_AndLogsHoldNoContentOrSecret()
    {
        var radicale = TestServerEnvironment.Radicale;
        await RadicaleAccounts.EmptyAsync(radicale.BaseUri, RadicaleUser);
        var settings = WriteConfiguration(radicale.BaseUri);
        var logs = new CapturingLoggerProvider();
        using var loggerFactory = LoggerFactory.Create(b => b.AddProvider(logs).SetMinimumLevel(LogLevel.Trace));
        using var metrics = new WorkerMetrics();
        await using var runtime = await WorkerRuntime.CreateAsync(settings, CancellationToken.None, metrics: metrics, loggerFactory: loggerFactory);
        using var scheduler = new SyncScheduler(settings.Service, runtime.State, runtime.Directory, runtime.Runner, metrics, loggerFactory.CreateLogger<SyncScheduler>()) { PollInterval = TimeSpan.FromMilliseconds(100) };

        await scheduler.StartAsync(CancellationToken.None);
        var first = await WaitForSuccessAsync(runtime, after: null);

        // Both sides hold the same items, kind by kind.
        var ews = new EwsItemStore(new HttpClient(), new EwsStoreOptions { EwsUrl = bed.Emulator.EwsUri, UserName = "svc-sync", Password = "Passw0rd!", Mailbox = "alice@contoso.com", MailboxTimeZone = "Europe/Berlin" });
        using var davClient = new HttpClient(radicale.CreateHttpHandler());
        var dav = new DavItemStore(davClient, new DavStoreOptions { BaseUri = radicale.BaseUri, UserName = RadicaleUser, Password = RadicaleAccounts.Password(RadicaleUser), Quirks = DavServerQuirks.Radicale });
        var pairs = await runtime.State.GetPairsAsync("alice", CancellationToken.None);
        Assert.Equal(3, pairs.Count);
        var exchangeCollections = await ews.DiscoverCollectionsAsync(ItemKind.Event | ItemKind.Contact | ItemKind.Task, CancellationToken.None);
        var nextcloudCollections = await dav.DiscoverCollectionsAsync(ItemKind.Event | ItemKind.Contact | ItemKind.Task, CancellationToken.None);
        foreach (var pair in pairs)
        {
            Assert.True(pair.FirstSyncCompleted);
            var inExchange = await StoreContents.ReadAsync(ews, exchangeCollections.Single(c => c.Id == pair.ExchangeCollectionId));
            var inNextcloud = await StoreContents.ReadAsync(dav, nextcloudCollections.First(c => c.Id == pair.NextcloudCollectionId));
            Assert.NotEmpty(inExchange);
            Assert.Equal(inExchange.Select(i => i.Item.Uid).Order(), inNextcloud.Select(i => i.Item.Uid).Order());
            Assert.Equal(
                inExchange.Select(i => i.Item).OfType<CalendarEvent>().Select(e => (e.Uid, e.Summary)).Order(),
                inNextcloud.Select(i => i.Item).OfType<CalendarEvent>().Select(e => (e.Uid, e.Summary)).Order());
        }

        // A nudge makes alice due at once; the second cycle finds nothing to do.
        Assert.True(await scheduler.NudgeAsync("alice", "test", CancellationToken.None));
        await WaitForSuccessAsync(runtime, after: first);
        await scheduler.StopAsync(CancellationToken.None);
        var log = await runtime.State.GetLogAsync("alice", 10, CancellationToken.None);
        Assert.Equal(2, log.Count);
        Assert.Equal("Success: calendar: nothing to do; contacts: nothing to do; tasks: nothing to do", log[0].Message);
        Assert.StartsWith("Success: calendar: created ", log[1].Message, StringComparison.Ordinal);
        Assert.Empty(bed.Emulator.AllOutbox());
        var user = await runtime.State.GetUserAsync("alice", CancellationToken.None);
        Assert.Equal("svc-sync", user!.IdentityName);
        Assert.Null(user.LastError);

        // Nothing an administrator's log collector keeps may carry content or secrets.
        var status = await runtime.Status.GetStatusAsync(CancellationToken.None);
        var everything = string.Join('\n', logs.Lines.Concat(log.Select(l => l.Message)).Append(System.Text.Json.JsonSerializer.Serialize(status)));
        Assert.Contains("alice", everything, StringComparison.Ordinal);
        foreach (var secret in new[]
        {
            "Team stand-up", "Dentist", "Architecture review", "insurance card", "Daily sync of the team", "Room Amsterdam",
            "Prepare quarterly report", "Numbers from finance", "de Vries", "jan.devries@fabrikam.example", "carol@contoso.com", "bob@contoso.com",
            "Passw0rd!", RadicaleAccounts.Password(RadicaleUser),
        })
        {
            Assert.DoesNotContain(secret, everything, StringComparison.OrdinalIgnoreCase);
        }
    }

    private static Task<DateTimeOffset> WaitForSuccessAsync(WorkerRuntime runtime, DateTimeOffset? after) =>
        WorkerTestBed.WaitForSuccessAsync(runtime, "alice", after);
}
