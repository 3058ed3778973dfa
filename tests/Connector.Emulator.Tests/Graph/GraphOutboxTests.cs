using System.Net;
using System.Text.Json.Nodes;

namespace Connector.Emulator.Tests.Graph;

public sealed class GraphOutboxTests
{
    private const string Events = "users/" + GraphScope.Dave + "/events";

    private static JsonObject Meeting(params string[] attendees)
    {
        var body = GraphScope.Event("Review", "2026-03-02T09:00:00", "2026-03-02T10:00:00");
        body["attendees"] = new JsonArray(attendees.Select(a => (JsonNode?)new JsonObject { ["emailAddress"] = new JsonObject { ["address"] = a }, ["type"] = "required" }).ToArray());
        return body;
    }

    [Fact]
    public async Task MeetingLifecycle_SendsInvitationsUpdatesAndCancellations()
    {
        await using var scope = await GraphScope.StartAsync();
        var created = (await scope.PostAsync(Events, Meeting("a@contoso.com", "b@contoso.com"))).AssertStatus(HttpStatusCode.Created);
        Assert.Equal(2, scope.Emulator.GraphOutbox(GraphScope.Dave).Count(m => m.Kind == ScheduleMessageKind.MeetingRequest));

        // Personal properties send nothing; a subject or time change updates every attendee.
        (await scope.PatchAsync($"{Events}/{created.Id}", new JsonObject { ["categories"] = new JsonArray("Red"), ["reminderMinutesBeforeStart"] = 5 })).AssertStatus(HttpStatusCode.OK);
        Assert.Equal(2, scope.Emulator.GraphOutbox(GraphScope.Dave).Count);
        (await scope.PatchAsync($"{Events}/{created.Id}", new JsonObject { ["subject"] = "Review (agenda)" })).AssertStatus(HttpStatusCode.OK);
        Assert.Equal(2, scope.Emulator.GraphOutbox(GraphScope.Dave).Count(m => m.Kind == ScheduleMessageKind.MeetingUpdate));
        (await scope.PatchAsync($"{Events}/{created.Id}", new JsonObject { ["start"] = GraphScope.Zoned("2026-03-02T11:00:00"), ["end"] = GraphScope.Zoned("2026-03-02T12:00:00") })).AssertStatus(HttpStatusCode.OK);
        Assert.Equal(4, scope.Emulator.GraphOutbox(GraphScope.Dave).Count(m => m.Kind == ScheduleMessageKind.MeetingUpdate));

        // An update of attendees alone reaches only the changed ones: c is invited, b cancelled, a hears nothing.
        var attendees = Meeting("a@contoso.com", "c@contoso.com")["attendees"]!.DeepClone();
        (await scope.PatchAsync($"{Events}/{created.Id}", new JsonObject { ["attendees"] = attendees })).AssertStatus(HttpStatusCode.OK);
        var outbox = scope.Emulator.GraphOutbox(GraphScope.Dave);
        Assert.Contains(outbox, m => m.Kind == ScheduleMessageKind.MeetingRequest && m.Recipient == "c@contoso.com");
        Assert.Contains(outbox, m => m.Kind == ScheduleMessageKind.MeetingCancellation && m.Recipient == "b@contoso.com");
        Assert.Equal(8, outbox.Count);

        // Attendees and a visible change together: the kept attendee gets an update too.
        (await scope.PatchAsync($"{Events}/{created.Id}", new JsonObject { ["attendees"] = Meeting("a@contoso.com", "c@contoso.com", "d@contoso.com")["attendees"]!.DeepClone(), ["subject"] = "Review (final)" })).AssertStatus(HttpStatusCode.OK);
        outbox = scope.Emulator.GraphOutbox(GraphScope.Dave);
        Assert.Equal([ScheduleMessageKind.MeetingUpdate, ScheduleMessageKind.MeetingUpdate, ScheduleMessageKind.MeetingRequest], outbox.Skip(8).OrderBy(m => m.Recipient).Select(m => m.Kind));

        (await scope.DeleteAsync($"{Events}/{created.Id}")).AssertStatus(HttpStatusCode.NoContent);
        outbox = scope.Emulator.GraphOutbox(GraphScope.Dave);
        Assert.Equal(3, outbox.Skip(11).Count(m => m.Kind == ScheduleMessageKind.MeetingCancellation));
        Assert.All(outbox, m => Assert.Equal("Graph", m.SendMode));

        using var http = await scope.Http.GetAsync(new Uri(scope.Emulator.BaseUri, "emulator/outbox?mailbox=" + GraphScope.Dave));
        Assert.Equal(14, JsonNode.Parse(await http.Content.ReadAsStringAsync())!.AsArray().Count);
    }

    [Fact]
    public async Task EventWithoutAttendees_AndReceivedMeetings_SendNothing()
    {
        await using var scope = await GraphScope.StartAsync();
        var single = (await scope.PostAsync(Events, GraphScope.Event("Alone", "2026-03-02T09:00:00", "2026-03-02T10:00:00"))).AssertStatus(HttpStatusCode.Created);
        (await scope.DeleteAsync($"{Events}/{single.Id}")).AssertStatus(HttpStatusCode.NoContent);

        var received = scope.Emulator.GraphMailbox(GraphScope.Dave).ReceiveMeeting(Meeting(GraphScope.Dave, "x@contoso.com"), "boss@contoso.com");
        Assert.False(received["isOrganizer"]!.GetValue<bool>());
        (await scope.PatchAsync($"{Events}/{received["id"]}", new JsonObject { ["start"] = GraphScope.Zoned("2026-03-03T09:00:00"), ["end"] = GraphScope.Zoned("2026-03-03T10:00:00") })).AssertStatus(HttpStatusCode.OK);
        (await scope.DeleteAsync($"{Events}/{received["id"]}")).AssertStatus(HttpStatusCode.NoContent);

        Assert.Empty(scope.Emulator.GraphOutbox(GraphScope.Dave));
    }

    [Fact]
    public async Task OccurrenceChanges_NameTheOccurrence()
    {
        await using var scope = await GraphScope.StartAsync();
        var body = Meeting("a@contoso.com");
        body["recurrence"] = new JsonObject
        {
            ["pattern"] = new JsonObject { ["type"] = "daily", ["interval"] = 1 },
            ["range"] = new JsonObject { ["type"] = "numbered", ["startDate"] = "2026-03-02", ["numberOfOccurrences"] = 3 },
        };
        var master = (await scope.PostAsync(Events, body)).AssertStatus(HttpStatusCode.Created);
        var instances = (await scope.GetAsync($"{Events}/{master.Id}/instances?startDateTime=2026-03-01T00:00:00Z&endDateTime=2026-03-10T00:00:00Z")).Values;

        (await scope.DeleteAsync($"{Events}/{instances[1]["id"]}")).AssertStatus(HttpStatusCode.NoContent);
        var cancellation = scope.Emulator.GraphOutbox(GraphScope.Dave)[^1];
        Assert.Equal(ScheduleMessageKind.MeetingCancellation, cancellation.Kind);
        Assert.Equal(new DateTimeOffset(2026, 3, 3, 9, 0, 0, TimeSpan.Zero), cancellation.OccurrenceStart);

        (await scope.PostAsync($"{Events}/{master.Id}/cancel", new JsonObject { ["comment"] = "Cancelled" })).AssertStatus(HttpStatusCode.Accepted);
        Assert.Equal(ScheduleMessageKind.MeetingCancellation, scope.Emulator.GraphOutbox(GraphScope.Dave)[^1].Kind);
        Assert.Equal(0, scope.Emulator.GraphMailbox(GraphScope.Dave).Count("calendar"));
    }
}
