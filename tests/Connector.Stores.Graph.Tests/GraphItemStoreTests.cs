using System.Net.Http.Headers;
using System.Text;
using Connector.Domain;
using Connector.Emulator;
using Connector.Sync.Resilience;
using Connector.Sync.Stores;
using Microsoft.Extensions.Time.Testing;
using Xunit.Abstractions;
using TaskStatus = Connector.Domain.TaskStatus;

namespace Connector.Stores.Graph.Tests;

/// <summary>The Graph store's scenarios against the emulator: invitations, tokens, throttling, the calendar window, series.</summary>
public sealed class GraphItemStoreTests(ITestOutputHelper output)
{
    private static readonly CancellationToken Ct = CancellationToken.None;

    private static CalendarEvent Meeting(string uid, DateTime startUtc, string summary = "Meeting") => new()
    {
        Uid = uid,
        Summary = summary,
        Start = CalendarTime.InZone(startUtc, "Europe/Berlin"),
        End = CalendarTime.InZone(startUtc.AddHours(1), "Europe/Berlin"),
        Organizer = new Organizer { Email = "olga@example.org", Name = "Olga" },
        Attendees = [new Attendee { Email = "arne@example.org" }, new Attendee { Email = "bea@example.org" }],
    };

    private static DateTime Soon => DateTime.UtcNow.Date.AddDays(7).AddHours(9);

    [Fact]
    public async Task S01_MeetingFromNextcloud_CreateUpdateDelete_GraphSendsNothing()
    {
        await using var scope = await GraphEmulatorScope.StartAsync();
        var mailbox = scope.NewMailbox();
        var store = scope.Store(mailbox);
        var calendar = (await store.DiscoverCollectionsAsync(ItemKind.Event, Ct))[0];

        var created = await store.CreateAsync(calendar, Meeting("nc-meeting", Soon), Ct);
        Assert.True(created.IsSuccess, created.Reason);
        var fetched = (await store.FetchAsync(calendar, [created.Id!], Ct))[0].Item!;
        var updated = await store.UpdateAsync(calendar, created.Id!, fetched.Version, Meeting("nc-meeting", Soon.AddHours(2), "Moved meeting"), Ct);
        Assert.True(updated.IsSuccess, updated.Reason);
        var deleted = await store.DeleteAsync(calendar, created.Id!, updated.Version!, Ct);
        Assert.True(deleted.IsSuccess, deleted.Reason);

        // Nextcloud announced the meeting; the connector's copy in Exchange must not announce it again.
        Assert.Empty(scope.Emulator.GraphOutbox(mailbox));
        Assert.Equal(["arne@example.org", "bea@example.org"], ((CalendarEvent)fetched.Item).Attendees.Select(a => a.Email));
        Assert.Equal("olga@example.org", ((CalendarEvent)fetched.Item).Organizer?.Email);
    }

    [Fact]
    public async Task S01_MeetingOrganizedInExchange_EditedInNextcloud_OneUpdatePerAttendee()
    {
        await using var scope = await GraphEmulatorScope.StartAsync();
        var mailbox = scope.NewMailbox();
        var store = scope.Store(mailbox);
        var calendar = (await store.DiscoverCollectionsAsync(ItemKind.Event, Ct))[0];
        var id = await PostRawEventAsync(scope, mailbox, $$"""
            {"subject":"Exchange meeting","start":{"dateTime":"{{Soon:yyyy-MM-ddTHH:mm:ss}}","timeZone":"UTC"},"end":{"dateTime":"{{Soon.AddHours(1):yyyy-MM-ddTHH:mm:ss}}","timeZone":"UTC"},
             "attendees":[{"emailAddress":{"address":"arne@example.org"},"type":"required"},{"emailAddress":{"address":"bea@example.org"},"type":"optional"}]}
            """);
        var invitations = scope.Emulator.GraphOutbox(mailbox).Count;
        var current = (await store.FetchAsync(calendar, [id], Ct))[0].Item!;
        var meeting = (CalendarEvent)current.Item;
        Assert.Equal(mailbox, meeting.Organizer?.Email);

        // The user moves the meeting in Nextcloud (whose copy carries SCHEDULE-AGENT=CLIENT and sends nothing).
        var moved = meeting with { Start = meeting.Start!.Value.WithValue(meeting.Start.Value.Value.AddHours(1)), End = meeting.End!.Value.WithValue(meeting.End.Value.Value.AddHours(1)) };
        var result = await store.UpdateAsync(calendar, id, current.Version, moved, Ct);

        Assert.True(result.IsSuccess, result.Reason);
        Assert.Equal(2, invitations);
        var after = scope.Emulator.GraphOutbox(mailbox).Skip(invitations).ToList();
        Assert.Equal(2, after.Count); // exactly one update per attendee for one user action
        Assert.All(after, m => Assert.Equal(ScheduleMessageKind.MeetingUpdate, m.Kind));
        var reread = (CalendarEvent)(await store.FetchAsync(calendar, [id], Ct))[0].Item!.Item;
        Assert.Equal(["arne@example.org", "bea@example.org"], reread.Attendees.Select(a => a.Email));
    }

    [Theory]
    [InlineData(ItemKind.Event)]
    [InlineData(ItemKind.Contact)]
    [InlineData(ItemKind.Task)]
    public async Task S05_InvalidatedDeltaToken_IsTokenInvalid(ItemKind kind)
    {
        await using var scope = await GraphEmulatorScope.StartAsync();
        var mailbox = scope.NewMailbox();
        var store = scope.Store(mailbox);
        var collection = (await store.DiscoverCollectionsAsync(kind, Ct))[0];
        Assert.True((await store.CreateAsync(collection, Testing.Conformance.ConformanceItems.Create(kind, "s05-" + kind) is CalendarEvent e ? e with { Start = CalendarTime.FromUtc(Soon), End = CalendarTime.FromUtc(Soon.AddHours(1)) } : Testing.Conformance.ConformanceItems.Create(kind, "s05-" + kind), Ct)).IsSuccess);
        var listing = await store.GetChangesAsync(collection, null, Ct);
        Assert.Equal(ChangeFeedStatus.FullListing, listing.Status);
        Assert.Single(listing.Changes);

        scope.Emulator.InvalidateGraphDeltaTokens(mailbox);
        var feed = await store.GetChangesAsync(collection, listing.NewToken, Ct);

        Assert.Equal(ChangeFeedStatus.TokenInvalid, feed.Status);
    }

    [Fact]
    public async Task S14_Throttled_RetryAfterFractional_IsHonouredAndSharedByTheMailbox()
    {
        await using var scope = await GraphEmulatorScope.StartAsync(o =>
        {
            o.Graph.Throttling.MaxRequestsPerWindow = 3;
            o.Graph.Throttling.RateWindowSeconds = 1;
            o.Graph.Throttling.RetryAfterSeconds = 0.5;
        });
        var mailbox = scope.NewMailbox();
        var raw = scope.Store(mailbox);

        // The store itself never retries: it says how long to wait.
        ThrottledException? throttled = null;
        for (var i = 0; i < 10 && throttled is null; i++)
        {
            try
            {
                await raw.DiscoverCollectionsAsync(ItemKind.Event, Ct);
            }
            catch (ThrottledException ex)
            {
                throttled = ex;
            }
        }

        Assert.NotNull(throttled);
        Assert.Equal(TimeSpan.FromSeconds(0.5), throttled.RetryAfter);

        // Through the resilience layer, two stores of the same mailbox share one gate: both finish.
        var gates = new ThrottleGates();
        var gate = gates.ForMailbox(mailbox);
        var first = new ResilientItemStore(scope.Store(mailbox), [gate]);
        var second = new ResilientItemStore(scope.Store(mailbox), [gate]);
        var before = scope.Emulator.Requests.Snapshot().Count(r => r.HttpStatus == 429);
        for (var i = 0; i < 8; i++)
        {
            var found = await (i % 2 == 0 ? first : second).DiscoverCollectionsAsync(ItemKind.Contact, Ct);
            Assert.Single(found);
        }

        Assert.True(scope.Emulator.Requests.Snapshot().Count(r => r.HttpStatus == 429) > before, "the emulator should have throttled some calls");
        Assert.True(gate.Throttles > 0, "the emulator's 429s should have closed the mailbox gate");
    }

    [Fact]
    public async Task S14_ManyParallelCalls_StayWithinFourConcurrentRequestsPerMailbox()
    {
        await using var scope = await GraphEmulatorScope.StartAsync(o => o.Graph.Throttling.MaxConcurrentRequestsPerMailbox = 4);
        scope.Emulator.LatencyMilliseconds = 30;
        var mailbox = scope.NewMailbox();
        var store = scope.Store(mailbox);
        var contacts = (await store.DiscoverCollectionsAsync(ItemKind.Contact, Ct))[0];
        var ids = new List<string>();
        for (var i = 0; i < 30; i++)
        {
            ids.Add((await store.CreateAsync(contacts, Testing.Conformance.ConformanceItems.Contact($"parallel-{i}"), Ct)).Id!);
        }

        // 8 callers at once, single fetches and batches: the store's limiter keeps the emulator from ever answering 429.
        var calls = Enumerable.Range(0, 8).Select(i => store.FetchAsync(contacts, i % 2 == 0 ? ids : [ids[i]], Ct));
        var results = await Task.WhenAll(calls);

        Assert.All(results.SelectMany(r => r), r => Assert.Equal(FetchStatus.Found, r.Status));
        Assert.DoesNotContain(scope.Emulator.Requests.Snapshot(), r => r.HttpStatus == 429 && r.Operation?.StartsWith("Graph", StringComparison.Ordinal) == true);
    }

    [Fact]
    public async Task S20_WindowMoves_OldEventsAreNeverReportedDeleted()
    {
        await using var scope = await GraphEmulatorScope.StartAsync();
        var mailbox = scope.NewMailbox();
        var time = new FakeTimeProvider(new DateTimeOffset(DateTime.UtcNow.Date, TimeSpan.Zero));
        var store = scope.Store(mailbox, o => new GraphStoreOptions { BaseUri = o.BaseUri, Mailbox = o.Mailbox, WindowPast = TimeSpan.FromDays(30), WindowFuture = TimeSpan.FromDays(60), Time = time });
        var calendar = (await store.DiscoverCollectionsAsync(ItemKind.Event, Ct))[0];
        var today = time.GetUtcNow().UtcDateTime.Date;
        var nearOldEdge = await store.CreateAsync(calendar, Meeting("near-edge", today.AddDays(-25).AddHours(9)), Ct);
        var movedAway = await store.CreateAsync(calendar, Meeting("moved-away", today.AddDays(5).AddHours(9)), Ct);
        var deleted = await store.CreateAsync(calendar, Meeting("deleted", today.AddDays(6).AddHours(9)), Ct);
        var outside = await store.CreateAsync(calendar, Meeting("outside", today.AddDays(-200).AddHours(9)), Ct);
        var listing = await store.GetChangesAsync(calendar, null, Ct);
        Assert.Equal(ChangeFeedStatus.FullListing, listing.Status);
        // A full listing names every event, in the window or not: a full comparison never takes one for deleted.
        Assert.Equal(new[] { nearOldEdge.Id, movedAway.Id, deleted.Id, outside.Id }.Order(), listing.Changes.Select(c => c.Id).Order());

        // The user moves one event far into the future (out of the window) and deletes another; ten days pass.
        var current = (await store.FetchAsync(calendar, [movedAway.Id!], Ct))[0].Item!;
        Assert.True((await store.UpdateAsync(calendar, movedAway.Id!, current.Version, Meeting("moved-away", today.AddDays(400).AddHours(9)), Ct)).IsSuccess);
        Assert.True((await store.DeleteAsync(calendar, deleted.Id!, deleted.Version!, Ct)).IsSuccess);
        time.Advance(TimeSpan.FromDays(10));

        var feed = await store.GetChangesAsync(calendar, listing.NewToken, Ct);

        Assert.Equal(ChangeFeedStatus.Changes, feed.Status);
        var changes = feed.Changes.ToDictionary(c => c.Id);
        Assert.Equal(ChangeKind.Deleted, changes[deleted.Id!].Kind);
        Assert.Equal(ChangeKind.Upserted, changes[movedAway.Id!].Kind); // moved out of the window: a change, not a deletion
        Assert.False(changes.TryGetValue(nearOldEdge.Id!, out var edge) && edge.Kind == ChangeKind.Deleted, "an event that left the window was reported deleted");
        Assert.DoesNotContain(feed.Changes, c => c.Kind == ChangeKind.Deleted && c.Id != deleted.Id);

        // The next poll on the moved window is quiet.
        var quiet = await store.GetChangesAsync(calendar, feed.NewToken, Ct);
        Assert.Equal(ChangeFeedStatus.Changes, quiet.Status);
        Assert.Empty(quiet.Changes);
    }

    [Fact]
    public async Task S09_SeriesWithExceptions_WrittenAndReadAsOneItem_EditTheSameExceptionTwice()
    {
        await using var scope = await GraphEmulatorScope.StartAsync();
        var mailbox = scope.NewMailbox();
        var store = scope.Store(mailbox);
        var calendar = (await store.DiscoverCollectionsAsync(ItemKind.Event, Ct))[0];
        var monday = DateTime.UtcNow.Date.AddDays(((int)DayOfWeek.Monday - (int)DateTime.UtcNow.DayOfWeek + 7) % 7 + 7);
        var start = CalendarTime.InZone(monday.AddHours(9), "Europe/Berlin");
        CalendarTime On(int week, int hour = 9) => CalendarTime.InZone(monday.AddDays(7 * week).AddHours(hour), "Europe/Berlin");
        var series = new CalendarEvent
        {
            Uid = "weekly-series",
            Summary = "Weekly",
            Start = start,
            End = CalendarTime.InZone(monday.AddHours(10), "Europe/Berlin"),
            Recurrence = new RecurrenceRule { Frequency = RecurrenceFrequency.Weekly, ByDay = [new WeekdayOccurrence(DayOfWeek.Monday)], Count = 8 },
            ExcludedDates = [On(2)],
            Overrides =
            [
                new CalendarEvent { Uid = "weekly-series", RecurrenceId = On(3), Summary = "Weekly (later)", Start = On(3, 11), End = On(3, 12) },
                new CalendarEvent { Uid = "weekly-series", RecurrenceId = On(5), Summary = "Weekly (special)", Start = On(5), End = On(5, 10), Location = "Big room" },
            ],
        };

        var created = await store.CreateAsync(calendar, series, Ct);
        Assert.True(created.IsSuccess, created.Reason);
        var read = (await store.FetchAsync(calendar, [created.Id!], Ct))[0];
        Assert.Equal(FetchStatus.Found, read.Status);
        Assert.Equal(series, Comparable((CalendarEvent)read.Item!.Item));

        var again = series with { Overrides = [series.Overrides[0] with { Summary = "Weekly (later still)", Start = On(3, 13), End = On(3, 14) }, series.Overrides[1]] };
        var updated = await store.UpdateAsync(calendar, created.Id!, read.Item.Version, again, Ct);
        Assert.True(updated.IsSuccess, updated.Reason);
        var reread = (await store.FetchAsync(calendar, [created.Id!], Ct))[0].Item!;
        Assert.Equal(again, Comparable((CalendarEvent)reread.Item));
        Assert.NotEqual(read.Item.Version, reread.Version);

        // The change feed names the series once, by its master's id.
        var listing = await store.GetChangesAsync(calendar, null, Ct);
        Assert.Equal([created.Id], listing.Changes.Select(c => c.Id));
    }

    [Fact]
    public async Task Create_RetriedAfterALostAnswer_TransactionIdPreventsADuplicate()
    {
        await using var scope = await GraphEmulatorScope.StartAsync();
        var mailbox = scope.NewMailbox();
        var store = scope.Store(mailbox);
        var calendar = (await store.DiscoverCollectionsAsync(ItemKind.Event, Ct))[0];
        var ev = Meeting("retried", Soon) with { Attendees = [], Organizer = null };

        var first = await store.CreateAsync(calendar, ev, Ct);
        var retry = await store.CreateAsync(calendar, ev, Ct);

        Assert.True(first.IsSuccess && retry.IsSuccess);
        Assert.Equal(first.Id, retry.Id);
        Assert.Single((await store.GetChangesAsync(calendar, null, Ct)).Changes);
    }

    [Fact]
    public async Task Tokens_OfAnotherHostOrAltered_AreInvalidWithoutARequest()
    {
        await using var scope = await GraphEmulatorScope.StartAsync();
        var store = scope.Store(scope.NewMailbox());
        var contacts = (await store.DiscoverCollectionsAsync(ItemKind.Contact, Ct))[0];
        var before = store.RequestCount;

        var foreign = new GraphDeltaToken("https://attacker.example/v1.0/users/x/contacts/delta?$deltatoken=1").Format();
        Assert.Equal(ChangeFeedStatus.TokenInvalid, (await store.GetChangesAsync(contacts, foreign, Ct)).Status);
        var listing = await store.GetChangesAsync(contacts, null, Ct);
        Assert.Equal(ChangeFeedStatus.TokenInvalid, (await store.GetChangesAsync(contacts, listing.NewToken!.Replace('a', 'b'), Ct)).Status);

        Assert.Equal(before + 1, store.RequestCount); // only the full listing went out
    }

    [Fact]
    public async Task Cost_FirstSyncAndEmptyPoll_RequestsPerMailbox()
    {
        await using var scope = await GraphEmulatorScope.StartAsync();
        var mailbox = scope.NewMailbox();
        var store = scope.Store(mailbox);
        var kinds = new[] { ItemKind.Event, ItemKind.Contact, ItemKind.Task };
        var collections = await store.DiscoverCollectionsAsync(ItemKind.Event | ItemKind.Contact | ItemKind.Task, Ct);
        const int PerKind = 100;
        foreach (var kind in kinds)
        {
            var collection = collections.First(c => c.Kind == kind);
            for (var i = 0; i < PerKind; i++)
            {
                var item = Testing.Conformance.ConformanceItems.Create(kind, $"cost-{kind}-{i}");
                if (item is CalendarEvent ev)
                {
                    item = ev with { Start = CalendarTime.FromUtc(Soon.AddHours(i)), End = CalendarTime.FromUtc(Soon.AddHours(i + 1)), Attendees = [], Organizer = null };
                }

                Assert.True((await store.CreateAsync(collection, item, Ct)).IsSuccess);
            }
        }

        var reader = scope.Store(mailbox);
        var start = reader.RequestCount;
        var tokens = new Dictionary<ItemKind, string>();
        foreach (var kind in kinds)
        {
            var collection = collections.First(c => c.Kind == kind);
            var listing = await reader.GetChangesAsync(collection, null, Ct);
            var fetched = await reader.FetchAsync(collection, [.. listing.Changes.Select(c => c.Id)], Ct);
            Assert.Equal(PerKind, fetched.Count(f => f.Status == FetchStatus.Found));
            tokens[kind] = listing.NewToken!;
        }

        var firstSync = reader.RequestCount - start;
        start = reader.RequestCount;
        foreach (var kind in kinds)
        {
            var feed = await reader.GetChangesAsync(collections.First(c => c.Kind == kind), tokens[kind], Ct);
            Assert.Empty(feed.Changes);
        }

        var emptyPoll = reader.RequestCount - start;
        output.WriteLine($"first sync of {PerKind} events + {PerKind} contacts + {PerKind} tasks: {firstSync} requests; empty poll of the three collections: {emptyPoll} requests");
        Assert.Equal(3, emptyPoll);
    }

    [Fact]
    public async Task S09_OccurrenceDeletedInExchange_TheFeedNamesTheSeries()
    {
        await using var scope = await GraphEmulatorScope.StartAsync();
        var mailbox = scope.NewMailbox();
        var store = scope.Store(mailbox);
        var calendar = (await store.DiscoverCollectionsAsync(ItemKind.Event, Ct))[0];
        var day = DateTime.UtcNow.Date.AddDays(3);
        var seriesId = await PostRawEventAsync(scope, mailbox, $$$"""
            {"subject":"Daily","start":{"dateTime":"{{{day:yyyy-MM-dd}}}T08:00:00","timeZone":"UTC"},"end":{"dateTime":"{{{day:yyyy-MM-dd}}}T08:30:00","timeZone":"UTC"},
             "recurrence":{"pattern":{"type":"daily","interval":1},"range":{"type":"numbered","startDate":"{{{day:yyyy-MM-dd}}}","numberOfOccurrences":5} } }
            """);
        var listing = await store.GetChangesAsync(calendar, null, Ct);
        var before = (CalendarEvent)(await store.FetchAsync(calendar, [seriesId], Ct))[0].Item!.Item;
        Assert.Empty(before.ExcludedDates);

        var instances = await scope.Http.GetStringAsync(new Uri(scope.Emulator.GraphUri, $"users/{Uri.EscapeDataString(mailbox)}/events/{seriesId}/instances?startDateTime={day:yyyy-MM-dd}T00:00:00Z&endDateTime={day.AddDays(10):yyyy-MM-dd}T00:00:00Z"), Ct);
        var occurrence = System.Text.Json.JsonDocument.Parse(instances).RootElement.GetProperty("value")[2].GetProperty("id").GetString()!;
        using (var delete = await scope.Http.DeleteAsync(new Uri(scope.Emulator.GraphUri, $"users/{Uri.EscapeDataString(mailbox)}/events/{occurrence}"), Ct))
        {
            Assert.True(delete.IsSuccessStatusCode);
        }

        var feed = await store.GetChangesAsync(calendar, listing.NewToken, Ct);

        Assert.Contains(feed.Changes, c => c.Id == seriesId && c.Kind == ChangeKind.Upserted);
        var after = (CalendarEvent)(await store.FetchAsync(calendar, [seriesId], Ct))[0].Item!.Item;
        Assert.Equal([CalendarTime.FromUtc(day.AddDays(2).AddHours(8))], after.ExcludedDates);
    }

    [Fact]
    public async Task S18_Update_LeavesGraphPropertiesTheMappingDoesNotKnow()
    {
        await using var scope = await GraphEmulatorScope.StartAsync();
        var mailbox = scope.NewMailbox();
        var store = scope.Store(mailbox);
        var calendar = (await store.DiscoverCollectionsAsync(ItemKind.Event, Ct))[0];
        var id = await PostRawEventAsync(scope, mailbox, $$"""
            {"subject":"Important","importance":"high","allowNewTimeProposals":false,"start":{"dateTime":"{{Soon:yyyy-MM-ddTHH:mm:ss}}","timeZone":"UTC"},"end":{"dateTime":"{{Soon.AddHours(1):yyyy-MM-ddTHH:mm:ss}}","timeZone":"UTC"} }
            """);
        var current = (await store.FetchAsync(calendar, [id], Ct))[0].Item!;

        var result = await store.UpdateAsync(calendar, id, current.Version, ((CalendarEvent)current.Item) with { Summary = "Important, renamed" }, Ct);

        Assert.True(result.IsSuccess, result.Reason);
        var raw = System.Text.Json.JsonDocument.Parse(await scope.Http.GetStringAsync(new Uri(scope.Emulator.GraphUri, $"users/{Uri.EscapeDataString(mailbox)}/events/{id}"), Ct)).RootElement;
        Assert.Equal("Important, renamed", raw.GetProperty("subject").GetString());
        Assert.Equal("high", raw.GetProperty("importance").GetString());
        Assert.False(raw.GetProperty("allowNewTimeProposals").GetBoolean());
    }

    [Fact]
    public async Task S19_RecurringTaskWithStartAndDueDate_RoundTrips_CompletingItKeepsTheUidOnTheNextOne()
    {
        await using var scope = await GraphEmulatorScope.StartAsync();
        var mailbox = scope.NewMailbox();
        var store = scope.Store(mailbox);
        var list = (await store.DiscoverCollectionsAsync(ItemKind.Task, Ct))[0];
        var due = DateOnly.FromDateTime(DateTime.UtcNow.AddDays(10));
        var task = new TaskItem
        {
            Uid = "s19-task",
            Summary = "Water the plants",
            Description = "Every Friday",
            Start = CalendarTime.FromDate(due.AddDays(-2)),
            Due = CalendarTime.FromDate(due),
            Priority = 1,
            Recurrence = new RecurrenceRule { Frequency = RecurrenceFrequency.Weekly, ByDay = [new WeekdayOccurrence(due.DayOfWeek)] },
            Categories = ["Home"],
        };

        var created = await store.CreateAsync(list, task, Ct);
        Assert.True(created.IsSuccess, created.Reason);
        var read = (await store.FetchAsync(list, [created.Id!], Ct))[0].Item!;
        Assert.Equal(task, ((TaskItem)read.Item) with { Created = null, LastModified = null });

        var listing = await store.GetChangesAsync(list, null, Ct);
        var done = task with { Status = TaskStatus.Completed, Completed = DateTime.UtcNow.Date };
        var completed = await store.UpdateAsync(list, created.Id!, read.Version, done, Ct);
        Assert.True(completed.IsSuccess, completed.Reason);
        Assert.Null(completed.Version); // the item at this id is no longer the one written: the engine must read it again

        // The server regenerates the task: the open one with the recurrence keeps the UID, the completed copy
        // without it is a task of its own.
        var feed = await store.GetChangesAsync(list, listing.NewToken, Ct);
        var items = (await store.FetchAsync(list, [.. feed.Changes.Select(c => c.Id)], Ct)).Select(r => (TaskItem)r.Item!.Item).ToList();
        Assert.Equal(2, items.Count);
        var closed = items.Single(i => i.Status == TaskStatus.Completed);
        Assert.Equal($"s19-task/{due:yyyy-MM-dd}", closed.Uid);
        Assert.Null(closed.Recurrence);
        Assert.Equal(DateTime.UtcNow.Date, closed.Completed);
        var next = items.Single(i => i.Status == TaskStatus.NeedsAction);
        Assert.Equal("s19-task", next.Uid);
        Assert.Equal(task.Recurrence, next.Recurrence);
        Assert.Equal(CalendarTime.FromDate(due.AddDays(7)), next.Due);
    }

    [Fact]
    public async Task S16_RejectedToken_IsCredentialRejected()
    {
        await using var scope = await GraphEmulatorScope.StartAsync();
        using var http = new HttpClient();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "not-a-token");
        var store = new GraphItemStore(http, new GraphStoreOptions { BaseUri = scope.Emulator.GraphUri, Mailbox = scope.NewMailbox() });

        await Assert.ThrowsAsync<CredentialRejectedException>(() => store.DiscoverCollectionsAsync(ItemKind.Event, Ct));
    }

    /// <summary>Server stamps are not the item's content.</summary>
    private static CalendarEvent Comparable(CalendarEvent e) => e with
    {
        Created = null,
        LastModified = null,
        Overrides = e.Overrides.Select(o => o with { Created = null, LastModified = null }).ToValueList(),
    };

    private static async Task<string> PostRawEventAsync(GraphEmulatorScope scope, string mailbox, string json)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(scope.Emulator.GraphUri, $"users/{Uri.EscapeDataString(mailbox)}/events"))
        {
            Content = new StringContent(json, Encoding.UTF8, "application/json"),
        };
        request.Headers.TryAddWithoutValidation("Prefer", "IdType=\"ImmutableId\"");
        using var response = await scope.Http.SendAsync(request, Ct);
        var body = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.IsSuccessStatusCode, body);
        return System.Text.Json.JsonDocument.Parse(body).RootElement.GetProperty("id").GetString()!;
    }
}
