using System.Net;
using System.Text.Json.Nodes;

namespace Connector.Emulator.Tests.Graph;

/// <summary>The request bodies of Microsoft's Graph documentation examples are accepted, and the answers have the documented shape.</summary>
public sealed class GraphExampleTests
{
    private const string User = "users/" + GraphScope.Dave;

    [Fact]
    public async Task CreateEventExample_IsAccepted_AndAnsweredInThePreferredZone()
    {
        await using var scope = await GraphScope.StartAsync();
        var body = JsonNode.Parse(SharedExamples.HttpBody("graph-create-event.01-request.http"))!;
        var created = (await scope.PostAsync($"{User}/events", body, ("Prefer", "outlook.timezone=\"Pacific Standard Time\""))).AssertStatus(HttpStatusCode.Created);
        var documented = JsonNode.Parse(SharedExamples.HttpBody("graph-create-event.02-response.http"))!.AsObject();

        Assert.Equal("2017-04-15T12:00:00.0000000", created.Body!["start"]!["dateTime"]!.GetValue<string>());
        Assert.Equal("Pacific Standard Time", created.Body["start"]!["timeZone"]!.GetValue<string>());
        Assert.Equal("html", created.Body["body"]!["contentType"]!.GetValue<string>());
        Assert.Equal("required", created.Body["attendees"]![0]!["type"]!.GetValue<string>());
        Assert.Equal("none", created.Body["attendees"]![0]!["status"]!["response"]!.GetValue<string>());
        var missing = documented.Select(p => p.Key).Where(k => !created.Body.AsObject().ContainsKey(k)).ToList();
        Assert.Empty(missing);

        // Graph sends the invitation: one attendee, one meeting request.
        var sent = Assert.Single(scope.Emulator.GraphOutbox(GraphScope.Dave));
        Assert.Equal(ScheduleMessageKind.MeetingRequest, sent.Kind);
        Assert.Equal("samanthab@contoso.onmicrosoft.com", sent.Recipient);
    }

    [Theory]
    [InlineData("graph-create-contact.01-request.http", "contacts")]
    [InlineData("graph-todo-create-task.01-request.http", "todo/lists/{list}/tasks")]
    public async Task CreateExamples_AreAccepted(string example, string path)
    {
        await using var scope = await GraphScope.StartAsync();
        var body = JsonNode.Parse(SharedExamples.HttpBody(example))!;
        var url = $"{User}/" + path.Replace("{list}", scope.Emulator.GraphMailbox(GraphScope.Dave).DefaultTodoListId, StringComparison.Ordinal);
        var created = (await scope.PostAsync(url, body)).AssertStatus(HttpStatusCode.Created);

        Assert.False(string.IsNullOrEmpty(created.Id));
        Assert.StartsWith("W/\"", created.ETag, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DocumentedResponses_UseOnlyPropertiesTheEmulatorAlsoWrites()
    {
        await using var scope = await GraphScope.StartAsync();
        var list = scope.Emulator.GraphMailbox(GraphScope.Dave).DefaultTodoListId;
        var task = (await scope.PostAsync($"{User}/todo/lists/{list}/tasks", new JsonObject { ["title"] = "Shop for dinner", ["dueDateTime"] = GraphScope.Zoned("2020-08-25T04:00:00") })).AssertStatus(HttpStatusCode.Created);
        var documentedTask = JsonNode.Parse(SharedExamples.HttpBody("graph-todo-get-task.02-response.http"))!.AsObject();
        Assert.DoesNotContain(documentedTask, p => !p.Key.StartsWith('@') && !task.Body!.AsObject().ContainsKey(p.Key));

        var contact = (await scope.PostAsync($"{User}/contacts", new JsonObject { ["givenName"] = "Pavel" })).AssertStatus(HttpStatusCode.Created);
        var documentedContact = JsonNode.Parse(SharedExamples.HttpBody("graph-get-contact.02-response.http"))!.AsObject();
        Assert.DoesNotContain(documentedContact, p => !p.Key.StartsWith('@') && !contact.Body!.AsObject().ContainsKey(p.Key));

        var calendars = (await scope.GetAsync($"{User}/calendars")).AssertStatus(HttpStatusCode.OK).Values;
        var documentedCalendar = JsonNode.Parse(SharedExamples.HttpBody("graph-list-calendars.02-response.http"))!["value"]![0]!.AsObject();
        Assert.DoesNotContain(documentedCalendar, p => !p.Key.StartsWith('@') && !calendars[0].ContainsKey(p.Key));
    }
}
