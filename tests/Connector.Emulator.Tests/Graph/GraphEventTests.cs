using System.Net;
using System.Text.Json.Nodes;

namespace Connector.Emulator.Tests.Graph;

public sealed class GraphEventTests
{
    private const string Events = "users/" + GraphScope.Dave + "/events";

    [Fact]
    public async Task CreateGetPatchDelete_EventRoundTrip()
    {
        await using var scope = await GraphScope.StartAsync();
        var body = GraphScope.Event("Lunch", "2026-03-02T12:00:00", "2026-03-02T13:00:00", "Pacific Standard Time");
        body["location"] = new JsonObject { ["displayName"] = "Harry's Bar" };
        var created = (await scope.PostAsync(Events, body)).AssertStatus(HttpStatusCode.Created);

        Assert.StartsWith("AAMk", created.Id, StringComparison.Ordinal);
        Assert.Equal("singleInstance", created.Body!["type"]!.GetValue<string>());
        Assert.StartsWith("040000008200E00074C5B7101A82E008", created.Body["iCalUId"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("2026-03-02T20:00:00.0000000", created.Body["start"]!["dateTime"]!.GetValue<string>());
        Assert.Equal("UTC", created.Body["start"]!["timeZone"]!.GetValue<string>());
        Assert.Equal("Pacific Standard Time", created.Body["originalStartTimeZone"]!.GetValue<string>());
        Assert.Equal($"W/\"{created.Body["changeKey"]!.GetValue<string>()}\"", created.ETag);
        Assert.True(created.Body["isOrganizer"]!.GetValue<bool>());
        Assert.Equal(GraphScope.Dave, created.Body["organizer"]!["emailAddress"]!["address"]!.GetValue<string>());

        var read = (await scope.GetAsync($"{Events}/{created.Id}", ("Prefer", "outlook.timezone=\"Pacific Standard Time\""))).AssertStatus(HttpStatusCode.OK);
        Assert.Equal("2026-03-02T12:00:00.0000000", read.Body!["start"]!["dateTime"]!.GetValue<string>());
        Assert.Equal("Pacific Standard Time", read.Body["start"]!["timeZone"]!.GetValue<string>());
        Assert.Contains("outlook.timezone", read.Headers["Preference-Applied"], StringComparison.Ordinal);

        var patched = (await scope.PatchAsync($"{Events}/{created.Id}", new JsonObject { ["subject"] = "Long lunch" })).AssertStatus(HttpStatusCode.OK);
        Assert.Equal("Long lunch", patched.Body!["subject"]!.GetValue<string>());
        Assert.NotEqual(created.ETag, patched.ETag);
        Assert.Equal(created.Id, patched.Id);
        Assert.Equal("Harry's Bar", patched.Body["location"]!["displayName"]!.GetValue<string>());

        (await scope.DeleteAsync($"{Events}/{created.Id}")).AssertStatus(HttpStatusCode.NoContent);
        var gone = (await scope.GetAsync($"{Events}/{created.Id}")).AssertStatus(HttpStatusCode.NotFound);
        Assert.Equal("ErrorItemNotFound", gone.ErrorCode);
    }

    [Fact]
    public async Task Body_IsHtmlByDefault_TextWhenPreferred()
    {
        await using var scope = await GraphScope.StartAsync();
        var body = GraphScope.Event("Notes", "2026-03-02T12:00:00", "2026-03-02T13:00:00");
        body["body"] = new JsonObject { ["contentType"] = "text", ["content"] = "First line\nSecond <line>" };
        var created = (await scope.PostAsync(Events, body)).AssertStatus(HttpStatusCode.Created);

        Assert.Equal("html", created.Body!["body"]!["contentType"]!.GetValue<string>());
        Assert.Contains("First line<br>", created.Body["body"]!["content"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("&lt;line&gt;", created.Body["body"]!["content"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("First line Second <line>", created.Body["bodyPreview"]!.GetValue<string>());

        var text = (await scope.GetAsync($"{Events}/{created.Id}", ("Prefer", "outlook.body-content-type=\"text\""))).AssertStatus(HttpStatusCode.OK);
        Assert.Equal("text", text.Body!["body"]!["contentType"]!.GetValue<string>());
        Assert.Equal("First line\nSecond <line>", text.Body["body"]!["content"]!.GetValue<string>());
        Assert.Contains("outlook.body-content-type=\"text\"", text.Headers["Preference-Applied"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task UserById_AddressesTheSameMailbox()
    {
        await using var scope = await GraphScope.StartAsync();
        var id = scope.Emulator.GraphMailbox(GraphScope.Dave).Id;
        var created = (await scope.PostAsync($"users/{id}/events", GraphScope.Event("By id", "2026-03-02T12:00:00", "2026-03-02T13:00:00"))).AssertStatus(HttpStatusCode.Created);

        (await scope.GetAsync($"{Events}/{created.Id}")).AssertStatus(HttpStatusCode.OK);
        var unknown = (await scope.GetAsync("users/nobody@fabrikam.onmicrosoft.com/events")).AssertStatus(HttpStatusCode.NotFound);
        Assert.Equal("ErrorInvalidUser", unknown.ErrorCode);
    }

    [Fact]
    public async Task Calendars_ListTheDefaultCalendar()
    {
        await using var scope = await GraphScope.StartAsync();
        var calendars = (await scope.GetAsync($"users/{GraphScope.Dave}/calendars")).AssertStatus(HttpStatusCode.OK);
        var calendar = Assert.Single(calendars.Values);
        Assert.Equal("Calendar", calendar["name"]!.GetValue<string>());
        Assert.True(calendar["isDefaultCalendar"]!.GetValue<bool>());

        var single = (await scope.GetAsync($"users/{GraphScope.Dave}/calendar")).AssertStatus(HttpStatusCode.OK);
        Assert.Equal(calendar["id"]!.GetValue<string>(), single.Id);

        var created = (await scope.PostAsync($"users/{GraphScope.Dave}/calendars/{single.Id}/events", GraphScope.Event("In calendar", "2026-03-02T12:00:00", "2026-03-02T13:00:00"))).AssertStatus(HttpStatusCode.Created);
        var listed = (await scope.GetAsync($"users/{GraphScope.Dave}/calendars/{single.Id}/events")).AssertStatus(HttpStatusCode.OK);
        Assert.Equal(created.Id, Assert.Single(listed.Values)["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task AllDayEvent_KeepsMidnightsInEveryZone()
    {
        await using var scope = await GraphScope.StartAsync();
        var body = GraphScope.Event("Offsite", "2026-03-05T00:00:00", "2026-03-07T00:00:00", "W. Europe Standard Time");
        body["isAllDay"] = true;
        var created = (await scope.PostAsync(Events, body)).AssertStatus(HttpStatusCode.Created);

        Assert.True(created.Body!["isAllDay"]!.GetValue<bool>());
        Assert.Equal("2026-03-05T00:00:00.0000000", created.Body["start"]!["dateTime"]!.GetValue<string>());
        Assert.Equal("2026-03-07T00:00:00.0000000", created.Body["end"]!["dateTime"]!.GetValue<string>());

        var notMidnight = GraphScope.Event("Bad", "2026-03-05T10:00:00", "2026-03-06T00:00:00");
        notMidnight["isAllDay"] = true;
        (await scope.PostAsync(Events, notMidnight)).AssertStatus(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task IfMatch_StaleEtag_Is412_CurrentEtagWorks()
    {
        await using var scope = await GraphScope.StartAsync();
        var created = (await scope.PostAsync(Events, GraphScope.Event("Etag", "2026-03-02T12:00:00", "2026-03-02T13:00:00"))).AssertStatus(HttpStatusCode.Created);
        var changed = (await scope.PatchAsync($"{Events}/{created.Id}", new JsonObject { ["subject"] = "Changed" }, ("If-Match", created.ETag))).AssertStatus(HttpStatusCode.OK);

        var stale = (await scope.PatchAsync($"{Events}/{created.Id}", new JsonObject { ["subject"] = "Lost" }, ("If-Match", created.ETag))).AssertStatus(HttpStatusCode.PreconditionFailed);
        Assert.Equal("ErrorIrresolvableConflict", stale.ErrorCode);
        (await scope.DeleteAsync($"{Events}/{created.Id}", ("If-Match", created.ETag))).AssertStatus(HttpStatusCode.PreconditionFailed);

        (await scope.DeleteAsync($"{Events}/{created.Id}", ("If-Match", changed.ETag))).AssertStatus(HttpStatusCode.NoContent);
    }

    [Fact]
    public async Task TransactionId_RetriedCreate_ReturnsTheFirstEvent()
    {
        await using var scope = await GraphScope.StartAsync();
        var body = GraphScope.Event("Once", "2026-03-02T12:00:00", "2026-03-02T13:00:00");
        body["transactionId"] = "7E163156-7762-4BEB-A1C6-729EA81755A7";
        var first = (await scope.PostAsync(Events, body)).AssertStatus(HttpStatusCode.Created);
        var retry = (await scope.PostAsync(Events, body)).AssertStatus(HttpStatusCode.Created);

        Assert.Equal(first.Id, retry.Id);
        Assert.Equal("7E163156-7762-4BEB-A1C6-729EA81755A7", retry.Body!["transactionId"]!.GetValue<string>());
        Assert.Equal(1, scope.Emulator.GraphMailbox(GraphScope.Dave).Count("calendar"));
    }

    [Fact]
    public async Task UnknownProperty_Is400_InGraphWords()
    {
        await using var scope = await GraphScope.StartAsync();
        var body = GraphScope.Event("Bad", "2026-03-02T12:00:00", "2026-03-02T13:00:00");
        body["colour"] = "red";
        var response = (await scope.PostAsync(Events, body)).AssertStatus(HttpStatusCode.BadRequest);

        Assert.Equal("RequestBodyRead", response.ErrorCode);
        Assert.Contains("The property 'colour' does not exist on type 'microsoft.graph.event'", response.Body!["error"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);

        var nested = GraphScope.Event("Bad", "2026-03-02T12:00:00", "2026-03-02T13:00:00");
        nested["location"] = new JsonObject { ["name"] = "Room" };
        var nestedResponse = (await scope.PostAsync(Events, nested)).AssertStatus(HttpStatusCode.BadRequest);
        Assert.Contains("'microsoft.graph.location'", nestedResponse.Body!["error"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);

        var wrongType = GraphScope.Event("Bad", "2026-03-02T12:00:00", "2026-03-02T13:00:00");
        wrongType["isAllDay"] = "yes";
        (await scope.PostAsync(Events, wrongType)).AssertStatus(HttpStatusCode.BadRequest);

        var badEnum = GraphScope.Event("Bad", "2026-03-02T12:00:00", "2026-03-02T13:00:00");
        badEnum["showAs"] = "sleeping";
        (await scope.PostAsync(Events, badEnum)).AssertStatus(HttpStatusCode.BadRequest);

        var badZone = GraphScope.Event("Bad", "2026-03-02T12:00:00", "2026-03-02T13:00:00", "Mars/Olympus");
        Assert.Equal("TimeZoneNotSupportedException", (await scope.PostAsync(Events, badZone)).AssertStatus(HttpStatusCode.BadRequest).ErrorCode);

        var notJson = await scope.SendAsync(HttpMethod.Post, Events, null);
        notJson.AssertStatus(HttpStatusCode.BadRequest);
        Assert.Equal(0, scope.Emulator.GraphMailbox(GraphScope.Dave).Count("calendar"));
    }

    [Fact]
    public async Task UnknownResource_MalformedId_AndMe_Are400()
    {
        await using var scope = await GraphScope.StartAsync();
        var response = (await scope.GetAsync($"users/{GraphScope.Dave}/notebooks")).AssertStatus(HttpStatusCode.BadRequest);
        Assert.Contains("notebooks", response.Body!["error"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);

        Assert.Equal("ErrorInvalidIdMalformed", (await scope.GetAsync($"{Events}/not-an-id")).AssertStatus(HttpStatusCode.BadRequest).ErrorCode);
        Assert.Equal("ErrorItemNotFound", (await scope.GetAsync($"{Events}/AAMkAGI1AAAt9AHjAAA=")).AssertStatus(HttpStatusCode.NotFound).ErrorCode);
        Assert.Contains("delegated", (await scope.GetAsync("me/events")).AssertStatus(HttpStatusCode.BadRequest).Body!["error"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task BadOptions_FailAtStart_NamingTheSetting()
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(() => GraphScope.StartAsync(o => o.Graph.Users.Add(new GraphEmulatorUser { UserPrincipalName = "no-at-sign" })));
        Assert.Contains("Graph:Users", error.Message, StringComparison.Ordinal);
    }
}
