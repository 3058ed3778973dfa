using Connector.Domain;
using Connector.Emulator.Graph;
using Connector.Stores.Dav;
using Connector.Stores.Graph;
using Connector.Sync.Stores;
using Connector.Testing;
using Connector.Worker.Configuration;
using Connector.Worker.Observability;
using Connector.Worker.Scheduling;
using Microsoft.Extensions.Logging;

namespace Connector.Worker.Tests;

/// <summary>
/// A Microsoft 365 identity in admins.json (ExchangeType 1, client secret, token through MSAL from the
/// emulator's OAuth endpoint) syncs the emulator's Graph demo mailbox (a series with a moved and a
/// deleted occurrence, an all-day event, a contact, a To Do task) with a real Radicale through the
/// worker, both ways; Graph sends no invitation for the connector's writes (S01); a further cycle
/// writes nothing.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "xunit disposes through IAsyncLifetime.DisposeAsync.")]
public sealed class GraphWorkerEndToEndTests : IAsyncLifetime
{
    private const string RadicaleUser = "wk3";
    private const string UserId = "dave";
    private WorkerTestBed bed = null!;

    public async Task InitializeAsync() => bed = await WorkerTestBed.StartAsync("connector-worker-graph-");

    public async Task DisposeAsync() => await bed.DisposeAsync();

    [ServerFact(TestServer.Radicale)]
    public async Task Microsoft365Identity_SyncsWithRadicale_BothWays_WithoutInvitations()
    {
        var radicale = TestServerEnvironment.Radicale;
        await RadicaleAccounts.EmptyAsync(radicale.BaseUri, RadicaleUser);
        var settings = WriteConfiguration(radicale.BaseUri);
        using var loggerFactory = LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Warning));
        using var metrics = new WorkerMetrics();
        await using var runtime = await WorkerRuntime.CreateAsync(settings, CancellationToken.None, metrics: metrics, loggerFactory: loggerFactory);
        using var scheduler = new SyncScheduler(settings.Service, runtime.State, runtime.Directory, runtime.Runner, metrics, loggerFactory.CreateLogger<SyncScheduler>()) { PollInterval = TimeSpan.FromMilliseconds(100) };
        await scheduler.StartAsync(CancellationToken.None);

        var first = await WaitForSuccessAsync(runtime, after: null);

        Assert.True(bed.Emulator.TokensIssued >= 1, "the worker logged on with the client secret through the token endpoint");
        using var graphHttp = new HttpClient();
        graphHttp.DefaultRequestHeaders.Authorization = new("Bearer", GraphDemoSeed.BearerToken);
        var graph = new GraphItemStore(graphHttp, new GraphStoreOptions { BaseUri = bed.Emulator.GraphUri, Mailbox = GraphDemoSeed.User, MailboxTimeZone = "Europe/Berlin" });
        using var davHttp = new HttpClient(radicale.CreateHttpHandler());
        var dav = new DavItemStore(davHttp, new DavStoreOptions { BaseUri = radicale.BaseUri, UserName = RadicaleUser, Password = RadicaleAccounts.Password(RadicaleUser), Quirks = DavServerQuirks.Radicale });
        var pairs = await runtime.State.GetPairsAsync(UserId, CancellationToken.None);
        Assert.Equal(3, pairs.Count);
        var exchangeCollections = await graph.DiscoverCollectionsAsync(ItemKind.Event | ItemKind.Contact | ItemKind.Task, CancellationToken.None);
        var nextcloudCollections = await dav.DiscoverCollectionsAsync(ItemKind.Event | ItemKind.Contact | ItemKind.Task, CancellationToken.None);
        CollectionInfo Exchange(ItemKind kind) => exchangeCollections.Single(c => c.Id == pairs.Single(p => p.Kind == kind).ExchangeCollectionId);
        CollectionInfo Nextcloud(ItemKind kind) => nextcloudCollections.First(c => c.Id == pairs.Single(p => p.Kind == kind).NextcloudCollectionId);

        foreach (var kind in new[] { ItemKind.Event, ItemKind.Contact, ItemKind.Task })
        {
            var inExchange = await StoreContents.ReadAsync(graph, Exchange(kind));
            var inNextcloud = await StoreContents.ReadAsync(dav, Nextcloud(kind));
            Assert.NotEmpty(inExchange);
            Assert.Equal(inExchange.Select(i => i.Item.Uid).Order(), inNextcloud.Select(i => i.Item.Uid).Order());
        }

        var nextcloudEvents = (await StoreContents.ReadAsync(dav, Nextcloud(ItemKind.Event))).Select(i => i.Item).OfType<CalendarEvent>().ToList();
        var series = Assert.Single(nextcloudEvents, e => e.Recurrence is not null && e.Overrides.Count > 0);
        Assert.NotEmpty(series.ExcludedDates);
        Assert.Contains(nextcloudEvents, e => e.IsAllDay);

        // Nextcloud → Microsoft 365: an event, a contact and a task made in Nextcloud arrive after a nudge.
        var monday = DateTime.UtcNow.Date.AddDays(7 - (int)DateTime.UtcNow.DayOfWeek + 1);
        ISyncItem[] made =
        [
            new CalendarEvent { Uid = "nc-made-event", Summary = "Made in Nextcloud", Start = CalendarTime.InZone(monday.AddHours(15), "Europe/Berlin"), End = CalendarTime.InZone(monday.AddHours(16), "Europe/Berlin") },
            new Contact { Uid = "nc-made-contact", FormattedName = "Nora Nextcloud", Name = new StructuredName { Given = "Nora", Family = "Nextcloud" }, Emails = [new TypedValue { Value = "nora@example.org" }] },
            new TaskItem { Uid = "nc-made-task", Summary = "File the report", Due = CalendarTime.FromDate(DateOnly.FromDateTime(monday.AddDays(2))) },
        ];
        foreach (var item in made)
        {
            var kind = item switch { CalendarEvent => ItemKind.Event, Contact => ItemKind.Contact, _ => ItemKind.Task };
            Assert.True((await dav.CreateAsync(Nextcloud(kind), item, CancellationToken.None)).IsSuccess);
        }

        Assert.True(await scheduler.NudgeAsync(UserId, "test", CancellationToken.None));
        var second = await WaitForSuccessAsync(runtime, after: first);
        foreach (var item in made)
        {
            var kind = item switch { CalendarEvent => ItemKind.Event, Contact => ItemKind.Contact, _ => ItemKind.Task };
            Assert.Contains(await StoreContents.ReadAsync(graph, Exchange(kind)), i => i.Item.Uid == item.Uid);
        }

        Assert.True(await scheduler.NudgeAsync(UserId, "test", CancellationToken.None));
        await WaitForSuccessAsync(runtime, after: second);
        await scheduler.StopAsync(CancellationToken.None);
        var log = await runtime.State.GetLogAsync(UserId, 10, CancellationToken.None);
        Assert.Equal("Success: calendar: nothing to do; contacts: nothing to do; tasks: nothing to do", log[0].Message);
        Assert.Empty(bed.Emulator.GraphOutbox(GraphDemoSeed.User));
        Assert.Equal("m365", (await runtime.State.GetUserAsync(UserId, CancellationToken.None))!.IdentityName);
    }

    private ConnectorSettings WriteConfiguration(Uri davUrl) => bed.WriteSettings(
        $$"""
        [ { "Name": "m365", "ExchangeType": 1, "TenantId": "{{GraphDemoSeed.TenantId}}", "ClientId": "{{GraphDemoSeed.ClientId}}",
            "ClientSecret": "{{GraphDemoSeed.ClientSecret}}", "AuthorityHost": "{{bed.Emulator.BaseUri}}", "GraphUrl": "{{bed.Emulator.GraphUri}}" } ]
        """,
        $$"""
        [ { "UserId": "{{UserId}}", "Mailbox": "{{GraphDemoSeed.User}}", "DavUrl": "{{davUrl}}", "DavUser": "{{RadicaleUser}}", "DavPassword": "{{RadicaleAccounts.Password(RadicaleUser)}}", "TimeZone": "Europe/Berlin" } ]
        """,
        ("Service__SyncMode", "7"),
        ("Service__SyncIntervalInSeconds", "3600"),
        ("Service__CriticalSyncIntervalInSeconds", "10"));

    private static Task<DateTimeOffset> WaitForSuccessAsync(WorkerRuntime runtime, DateTimeOffset? after) =>
        WorkerTestBed.WaitForSuccessAsync(runtime, UserId, after);
}
