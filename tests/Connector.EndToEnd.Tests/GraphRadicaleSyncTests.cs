using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Connector.Domain;
using Connector.Emulator;
using Connector.State;
using Connector.Stores.Dav;
using Connector.Stores.Graph;
using Connector.Sync.Engine;
using Connector.Sync.State;
using Connector.Sync.Stores;
using Connector.Testing;
using CsCheck;
using Xunit.Abstractions;
using TaskStatus = Connector.Domain.TaskStatus;

namespace Connector.EndToEnd.Tests;

/// <summary>
/// Microsoft 365 (the emulator's Graph v1.0, through the Graph store) ⇄ Nextcloud (a real Radicale), state in SQLite,
/// through the engine: a series with a deleted and a modified occurrence, an all-day event, a contact and a To Do task
/// made on each side reach the other (S09, S12, S19); Graph sends no scheduling message (S01); a second run writes
/// nothing (S13). Prints the requests the first sync and an empty poll cost.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "xunit disposes through IAsyncLifetime.DisposeAsync.")]
public sealed class GraphRadicaleSyncTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const string Mailbox = "dave@fabrikam.onmicrosoft.com";
    private const string Token = "e2e-graph-token";
    private static readonly CancellationToken Ct = CancellationToken.None;
    private EndToEndSetup _setup = null!;
    private ExchangeEmulator _emulator = null!;
    private HttpClient _http = null!;
    private SqliteStateStore _state = null!;
    private GraphItemStore _graph = null!;
    private DavItemStore? _dav;

    public async Task InitializeAsync()
    {
        var options = new EmulatorOptions { Port = 0 };
        var app = new EmulatorIdentity { Name = "e2e-app" };
        app.BearerTokens.Add(Token);
        app.CanImpersonate.Add(Mailbox);
        options.Identities.Add(app);
        options.Graph.Users.Add(new GraphEmulatorUser { UserPrincipalName = Mailbox, DisplayName = "Dave" });
        _emulator = await ExchangeEmulator.StartAsync(options, Ct);
        _http = new HttpClient();
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        _graph = new GraphItemStore(_http, new GraphStoreOptions { BaseUri = _emulator.GraphUri, Mailbox = Mailbox, MailboxTimeZone = "Europe/Berlin" });
        _setup = await EndToEndSetup.CreateAsync("connector-e2e-graph-", "dave", Mailbox);
        _state = _setup.State;
        _dav = _setup.Dav;
    }

    public async Task DisposeAsync()
    {
        await _setup.DisposeAsync();
        await _emulator.DisposeAsync();
        _http.Dispose();
    }

    [ServerFact(TestServer.Radicale)]
    public async Task SeriesAllDayContactAndTask_SyncBothWays_WithoutInvitations_AndSecondRunWritesNothing()
    {
        var monday = NextMonday();
        var exchangeSeriesUid = await SeedExchangeAsync(monday);
        var collections = await _graph.DiscoverCollectionsAsync(ItemKind.Event | ItemKind.Contact | ItemKind.Task, Ct);
        var pairs = new List<(FolderPair Pair, CollectionInfo Exchange, CollectionInfo Nextcloud)>();
        foreach (var kind in new[] { ItemKind.Event, ItemKind.Contact, ItemKind.Task })
        {
            var exchange = collections.First(c => c.Kind == kind);
            var nextcloud = await _dav!.CreateCollectionAsync($"e2e-graph {kind} {Guid.NewGuid():N}", kind, Ct);
            var pair = await _state.SavePairAsync(new FolderPair { UserId = "dave", Kind = kind, ExchangeCollectionId = exchange.Id, NextcloudCollectionId = nextcloud.Id }, Ct);
            pairs.Add((pair, exchange, nextcloud));
        }

        var nextcloudItems = SeedNextcloudItems(monday);
        foreach (var item in nextcloudItems)
        {
            var target = pairs.Single(p => p.Pair.Kind == KindOf(item)).Nextcloud;
            Assert.True((await _dav!.CreateAsync(target, item, Ct)).IsSuccess);
        }

        _emulator.Requests.Clear();
        var first = new List<SyncReport>();
        foreach (var (pair, exchange, nextcloud) in pairs)
        {
            first.Add(await SyncAsync(pair, exchange, nextcloud));
        }

        var firstSyncRequests = GraphRequests();
        Assert.All(first, r => Assert.Empty(r.Problems));

        foreach (var (pair, exchange, nextcloud) in pairs)
        {
            var inExchange = await StoreContents.ReadItemsAsync(_graph, exchange);
            var inNextcloud = await StoreContents.ReadItemsAsync(_dav!, nextcloud);
            Assert.Equal(inExchange.Select(i => i.Uid).Order(), inNextcloud.Select(i => i.Uid).Order());
            Assert.Equal(pair.Kind == ItemKind.Event ? 4 : 2, inExchange.Count);
        }

        var events = pairs[0];
        var exchangeEvents = await StoreContents.ReadItemsAsync(_graph, events.Exchange);
        var nextcloudEvents = await StoreContents.ReadItemsAsync(_dav!, events.Nextcloud);
        foreach (var uid in new[] { exchangeSeriesUid, "nc-series" })
        {
            var inExchange = exchangeEvents.OfType<CalendarEvent>().Single(e => e.Uid == uid);
            var inNextcloud = nextcloudEvents.OfType<CalendarEvent>().Single(e => e.Uid == uid);
            Assert.Equal(inExchange.Recurrence, inNextcloud.Recurrence);
            Assert.Single(inExchange.ExcludedDates);
            Assert.Equal(inExchange.ExcludedDates, inNextcloud.ExcludedDates);
            Assert.Single(inExchange.Overrides);
            Assert.Equal(inExchange.Overrides.Select(o => (o.RecurrenceId, o.Start, o.Summary)), inNextcloud.Overrides.Select(o => (o.RecurrenceId, o.Start, o.Summary)));
        }

        var allDay = nextcloudEvents.OfType<CalendarEvent>().Single(e => e.Summary == "Exchange holiday");
        Assert.Equal(CalendarTime.FromDate(DateOnly.FromDateTime(monday.AddDays(3))), allDay.Start);
        Assert.Equal(CalendarTime.FromDate(DateOnly.FromDateTime(monday.AddDays(4))), allDay.End);
        var ncAllDay = exchangeEvents.OfType<CalendarEvent>().Single(e => e.Uid == "nc-all-day");
        Assert.True(ncAllDay.IsAllDay);

        // Nobody got a scheduling message from Graph for the connector's writes (S01).
        Assert.Empty(_emulator.GraphOutbox(Mailbox));

        _emulator.Requests.Clear();
        foreach (var (pair, exchange, nextcloud) in pairs)
        {
            var second = await SyncAsync(pair, exchange, nextcloud);
            Assert.Equal(0, second.Writes);
        }

        var secondRunRequests = GraphRequests();
        _emulator.Requests.Clear();
        foreach (var (pair, exchange, nextcloud) in pairs)
        {
            Assert.Equal(0, (await SyncAsync(pair, exchange, nextcloud)).Writes);
        }

        var emptyPollRequests = GraphRequests();
        output.WriteLine($"Graph requests, one mailbox (2+2 events incl. 2 series, 2 contacts, 2 tasks): first sync {firstSyncRequests}, second run {secondRunRequests}, empty poll {emptyPollRequests}");
    }

    /// <summary>
    /// S19 through the engine: a recurring task made in Nextcloud is completed there; To Do closes it and creates the
    /// next one, so Nextcloud ends up with the task moved on to its next due date and the finished one beside it.
    /// </summary>
    [ServerFact(TestServer.Radicale)]
    public async Task S19_RecurringTaskCompletedInNextcloud_MovesOnToTheNextOccurrence()
    {
        var exchange = (await _graph.DiscoverCollectionsAsync(ItemKind.Task, Ct))[0];
        var nextcloud = await _dav!.CreateCollectionAsync($"e2e-graph tasks {Guid.NewGuid():N}", ItemKind.Task, Ct);
        var pair = await _state.SavePairAsync(new FolderPair { UserId = "dave", Kind = ItemKind.Task, ExchangeCollectionId = exchange.Id, NextcloudCollectionId = nextcloud.Id }, Ct);
        var due = DateOnly.FromDateTime(NextMonday()).AddDays(4);
        var task = new TaskItem
        {
            Uid = "nc-weekly-task",
            Summary = "Weekly report",
            Due = CalendarTime.FromDate(due),
            Priority = 5,
            Recurrence = new RecurrenceRule { Frequency = RecurrenceFrequency.Weekly, ByDay = [new WeekdayOccurrence(due.DayOfWeek)] },
        };
        Assert.True((await _dav.CreateAsync(nextcloud, task, Ct)).IsSuccess);
        var firstRun = await SyncAsync(pair, exchange, nextcloud);
        output.WriteLine("first: " + string.Join("; ", firstRun.Planned.Select(a => $"{a.Kind} {a.Target} {a.Uid}")));
        Assert.Empty(firstRun.Problems);

        var inNextcloud = await StoreContents.FindAsync(_dav, nextcloud, task.Uid);
        var completed = task with { Status = TaskStatus.Completed, Completed = DateTime.UtcNow.Date };
        Assert.True((await _dav.UpdateAsync(nextcloud, inNextcloud.Id, inNextcloud.Version, completed, Ct)).IsSuccess);
        var toExchange = await SyncAsync(pair, exchange, nextcloud);
        output.WriteLine("toExchange: " + string.Join("; ", toExchange.Planned.Select(a => $"{a.Kind} {a.Target} {a.Uid}")));
        var back = await SyncAsync(pair, exchange, nextcloud);
        output.WriteLine("back: " + string.Join("; ", back.Planned.Select(a => $"{a.Kind} {a.Target} {a.Uid} {a.Why}")) + $" fetched {back.ItemsFetched} full {back.ExchangeFullListing}");

        Assert.True(toExchange.Problems.Count == 0, string.Join("; ", toExchange.Problems.Select(p => $"{p.Uid} {p.Side}: {p.Reason}")));
        Assert.True(back.Problems.Count == 0, string.Join("; ", back.Problems.Select(p => $"{p.Uid} {p.Side}: {p.Reason}")));
        var tasks = (await StoreContents.ReadItemsAsync(_dav, nextcloud)).OfType<TaskItem>().ToList();
        var moved = tasks.Single(t => t.Uid == task.Uid);
        Assert.Equal(TaskStatus.NeedsAction, moved.Status);
        Assert.Equal(CalendarTime.FromDate(due.AddDays(7)), moved.Due);
        Assert.Equal(task.Recurrence, moved.Recurrence);
        var finished = tasks.Single(t => t.Uid == $"{task.Uid}/{due:yyyy-MM-dd}");
        Assert.Equal(TaskStatus.Completed, finished.Status);
        Assert.Equal(0, (await SyncAsync(pair, exchange, nextcloud)).Writes);
    }

    /// <summary>
    /// S20 and S05 through the engine: events that leave the calendar window as days pass, or that were outside it
    /// all along, are never deleted in Nextcloud — not when the window moves, and not in the full comparison after
    /// Graph rejects the delta token (410).
    /// </summary>
    [ServerFact(TestServer.Radicale)]
    public async Task S20_S05_WindowMovesAndTokenLoss_DeleteNothingInNextcloud()
    {
        var time = new WindowClock(DateTime.UtcNow.Date);
        var graph = new GraphItemStore(_http, new GraphStoreOptions { BaseUri = _emulator.GraphUri, Mailbox = Mailbox, MailboxTimeZone = "Europe/Berlin", WindowPast = TimeSpan.FromDays(30), Time = time });
        var exchange = (await graph.DiscoverCollectionsAsync(ItemKind.Event, Ct))[0];
        var nextcloud = await _dav!.CreateCollectionAsync($"e2e-graph window {Guid.NewGuid():N}", ItemKind.Event, Ct);
        var pair = await _state.SavePairAsync(new FolderPair { UserId = "dave", Kind = ItemKind.Event, ExchangeCollectionId = exchange.Id, NextcloudCollectionId = nextcloud.Id }, Ct);
        var today = DateTime.UtcNow.Date;
        foreach (var (uid, day) in new[] { ("near-edge", -25), ("long-ago", -200), ("next-week", 7) })
        {
            var ev = new CalendarEvent { Uid = uid, Summary = uid, Start = CalendarTime.FromUtc(today.AddDays(day).AddHours(9)), End = CalendarTime.FromUtc(today.AddDays(day).AddHours(10)) };
            Assert.True((await graph.CreateAsync(exchange, ev, Ct)).IsSuccess);
        }

        Task<SyncReport> Sync() => _setup.SyncAsync(graph, pair, exchange, nextcloud);

        var first = await Sync();
        Assert.Equal(3, first.Count(SyncActionKind.Create, Side.Nextcloud));

        time.Now = time.Now.AddDays(10); // "near-edge" leaves the window
        var moved = await Sync();
        Assert.Equal(0, moved.Writes);

        _emulator.InvalidateGraphDeltaTokens(Mailbox);
        var afterLoss = await Sync();
        Assert.True(afterLoss.ExchangeFullListing);
        Assert.Equal(0, afterLoss.Writes);
        Assert.Equal(["long-ago", "near-edge", "next-week"], (await StoreContents.ReadItemsAsync(_dav!, nextcloud)).Select(i => i.Uid).Order());
    }

    /// <summary>A clock the test moves (the window is computed from it).</summary>
    private sealed class WindowClock(DateTime start) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = new(start, TimeSpan.Zero);

        public override DateTimeOffset GetUtcNow() => Now;
    }

    /// <summary>
    /// Random creates, edits and deletes of events in Microsoft 365 (the emulator, through the Graph store) and in
    /// Radicale between syncs; afterwards both hold the same events with the same titles, nothing twice, no
    /// scheduling message sent, and a further run plans nothing.
    /// </summary>
    [ServerFact(TestServer.Radicale)]
    public void RandomEditsOnBothSides_Converge() =>
        RandomHistory.Steps.Sample(steps => RunHistoryAsync(steps).GetAwaiter().GetResult(), iter: PropertyRuns.Iterations(4));

    private async Task RunHistoryAsync(List<(int Kind, string Uid, int Value)> steps)
    {
        var graph = new GraphItemStore(_http, new GraphStoreOptions { BaseUri = _emulator.GraphUri, Mailbox = Mailbox, MailboxTimeZone = "Europe/Berlin" });
        var exchange = await graph.CreateCollectionAsync($"random {Guid.NewGuid():N}", ItemKind.Event, Ct);
        var nextcloud = await _dav!.CreateCollectionAsync($"e2e-graph-random {Guid.NewGuid():N}", ItemKind.Event, Ct);
        var pair = await _state.SavePairAsync(new FolderPair { UserId = "dave", Kind = ItemKind.Event, ExchangeCollectionId = exchange.Id, NextcloudCollectionId = nextcloud.Id }, Ct);
        _emulator.ClearOutbox();

        await RandomHistory.RunAsync(
            steps,
            new HistorySide("graph", graph, exchange),
            new HistorySide("dav", _dav, nextcloud),
            DateTime.UtcNow.Date.AddDays(3),
            () => _setup.SyncAsync(graph, pair, exchange, nextcloud),
            finalRuns: 2);
        Assert.Empty(_emulator.GraphOutbox(Mailbox));
    }

    private int GraphRequests() =>
        _emulator.Requests.Snapshot().Count(r => r.Operation is { } op && op.StartsWith("Graph ", StringComparison.Ordinal) && !op.StartsWith("Graph $batch/", StringComparison.Ordinal));

    private Task<SyncReport> SyncAsync(FolderPair pair, CollectionInfo exchange, CollectionInfo nextcloud) =>
        _setup.SyncAsync(_graph, pair, exchange, nextcloud);

    private static ItemKind KindOf(ISyncItem item) => item switch
    {
        CalendarEvent => ItemKind.Event,
        Contact => ItemKind.Contact,
        _ => ItemKind.Task,
    };

    private static DateTime NextMonday()
    {
        var today = DateTime.UtcNow.Date;
        return today.AddDays(((int)DayOfWeek.Monday - (int)today.DayOfWeek + 7) % 7 + 7);
    }

    /// <summary>What a user made in Outlook: a weekly series (one occurrence deleted, one moved), an all-day event, a contact, a To Do task.</summary>
    private async Task<string> SeedExchangeAsync(DateTime monday)
    {
        var series = await SendAsync(HttpMethod.Post, $"users/{Mailbox}/events", $$$"""
            {"subject":"Exchange weekly","start":{"dateTime":"{{{monday:yyyy-MM-dd}}}T10:00:00","timeZone":"W. Europe Standard Time"},
             "end":{"dateTime":"{{{monday:yyyy-MM-dd}}}T11:00:00","timeZone":"W. Europe Standard Time"},
             "recurrence":{"pattern":{"type":"weekly","interval":1,"daysOfWeek":["tuesday"]},
                           "range":{"type":"numbered","startDate":"{{{monday.AddDays(1):yyyy-MM-dd}}}","numberOfOccurrences":6,"recurrenceTimeZone":"W. Europe Standard Time"} } }
            """);
        var seriesId = series.GetProperty("id").GetString()!;
        var instances = await SendAsync(HttpMethod.Get, $"users/{Mailbox}/events/{seriesId}/instances?startDateTime={monday:yyyy-MM-dd}T00:00:00Z&endDateTime={monday.AddDays(60):yyyy-MM-dd}T00:00:00Z", null);
        var occurrences = instances.GetProperty("value").EnumerateArray().Select(o => o.GetProperty("id").GetString()!).ToList();
        Assert.Equal(6, occurrences.Count);
        await SendAsync(HttpMethod.Delete, $"users/{Mailbox}/events/{occurrences[1]}", null);
        await SendAsync(HttpMethod.Patch, $"users/{Mailbox}/events/{occurrences[3]}", $$$"""
            {"subject":"Exchange weekly (moved)","start":{"dateTime":"{{{monday.AddDays(22):yyyy-MM-dd}}}T14:00:00","timeZone":"W. Europe Standard Time"},
             "end":{"dateTime":"{{{monday.AddDays(22):yyyy-MM-dd}}}T15:00:00","timeZone":"W. Europe Standard Time"}}
            """);
        await SendAsync(HttpMethod.Post, $"users/{Mailbox}/events", $$$"""
            {"subject":"Exchange holiday","isAllDay":true,"start":{"dateTime":"{{{monday.AddDays(3):yyyy-MM-dd}}}T00:00:00","timeZone":"W. Europe Standard Time"},
             "end":{"dateTime":"{{{monday.AddDays(4):yyyy-MM-dd}}}T00:00:00","timeZone":"W. Europe Standard Time"},"showAs":"oof"}
            """);
        var folders = await SendAsync(HttpMethod.Get, $"users/{Mailbox}/contactFolders", null);
        var folder = folders.GetProperty("value")[0].GetProperty("id").GetString()!;
        await SendAsync(HttpMethod.Post, $"users/{Mailbox}/contactFolders/{folder}/contacts", """
            {"givenName":"Erin","surname":"Exchange","emailAddresses":[{"address":"erin@fabrikam.com","name":"Erin"}],"businessPhones":["+1 425 555 0100"],"companyName":"Fabrikam"}
            """);
        var lists = await SendAsync(HttpMethod.Get, $"users/{Mailbox}/todo/lists", null);
        var list = lists.GetProperty("value")[0].GetProperty("id").GetString()!;
        await SendAsync(HttpMethod.Post, $"users/{Mailbox}/todo/lists/{list}/tasks", $$$"""
            {"title":"Exchange task","importance":"high","dueDateTime":{"dateTime":"{{{monday.AddDays(2):yyyy-MM-dd}}}T00:00:00","timeZone":"W. Europe Standard Time"}}
            """);
        return (await SendAsync(HttpMethod.Get, $"users/{Mailbox}/events/{seriesId}?$select=iCalUId", null)).GetProperty("iCalUId").GetString()!;
    }

    /// <summary>What a user made in Nextcloud: a weekly series with a deleted and a moved occurrence, an all-day event, a contact, a task.</summary>
    private static List<ISyncItem> SeedNextcloudItems(DateTime monday)
    {
        CalendarTime At(int days, int hour) => CalendarTime.InZone(monday.AddDays(days).AddHours(hour), "Europe/Berlin");
        return
        [
            new CalendarEvent
            {
                Uid = "nc-series",
                Summary = "Nextcloud weekly",
                Start = At(2, 9),
                End = At(2, 10),
                Recurrence = new RecurrenceRule { Frequency = RecurrenceFrequency.Weekly, ByDay = [new WeekdayOccurrence(DayOfWeek.Wednesday)], Count = 5 },
                ExcludedDates = [At(9, 9)],
                Overrides = [new CalendarEvent { Uid = "nc-series", RecurrenceId = At(16, 9), Summary = "Nextcloud weekly (later)", Start = At(16, 12), End = At(16, 13) }],
                Organizer = new Organizer { Email = Mailbox, Name = "Dave" },
                Attendees = [new Attendee { Email = "erin@fabrikam.com", Name = "Erin" }],
            },
            new CalendarEvent
            {
                Uid = "nc-all-day",
                Summary = "Nextcloud conference",
                Start = CalendarTime.FromDate(DateOnly.FromDateTime(monday.AddDays(8))),
                End = CalendarTime.FromDate(DateOnly.FromDateTime(monday.AddDays(10))),
            },
            new Contact
            {
                Uid = "nc-contact",
                FormattedName = "Nora Nextcloud",
                Name = new StructuredName { Family = "Nextcloud", Given = "Nora" },
                Emails = [new TypedValue { Value = "nora@example.org", Types = ["work"] }],
                Phones = [new TypedValue { Value = "+49 30 1234567", Types = ["cell"] }],
            },
            new TaskItem
            {
                Uid = "nc-task",
                Summary = "Nextcloud task",
                Due = CalendarTime.FromDate(DateOnly.FromDateTime(monday.AddDays(5))),
                Status = TaskStatus.NeedsAction,
                Priority = 5,
            },
        ];
    }

    private async Task<JsonElement> SendAsync(HttpMethod method, string path, string? json)
    {
        using var request = new HttpRequestMessage(method, new Uri(_emulator.GraphUri, path));
        request.Headers.TryAddWithoutValidation("Prefer", "IdType=\"ImmutableId\"");
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        using var response = await _http.SendAsync(request, Ct);
        var body = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.IsSuccessStatusCode, $"{method} {path}: {(int)response.StatusCode} {body}");
        return body.Length == 0 ? default : JsonDocument.Parse(body).RootElement.Clone();
    }
}
