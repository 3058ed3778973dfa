using System.Net;
using System.Text.Json.Nodes;

namespace Connector.Emulator.Tests.Graph;

public sealed class GraphExpandTests
{
    private const string User = "users/" + GraphScope.Dave;
    private const string UidProperty = "String {00020329-0000-0000-C000-000000000046} Name ConnectorUid";
    private const string OtherProperty = "String {00020329-0000-0000-C000-000000000046} Name Other";

    private static JsonArray Properties(params (string Id, string Value)[] properties) =>
        new(properties.Select(p => (JsonNode?)new JsonObject { ["id"] = p.Id, ["value"] = p.Value }).ToArray());

    [Fact]
    public async Task ExtendedProperties_AreStored_AndReturnedOnlyWhenExpanded()
    {
        await using var scope = await GraphScope.StartAsync();
        var body = GraphScope.Event("Tagged", "2026-03-02T09:00:00", "2026-03-02T10:00:00");
        body["singleValueExtendedProperties"] = Properties((UidProperty, "uid-1@example.com"), (OtherProperty, "x"));
        var created = (await scope.PostAsync($"{User}/events", body)).AssertStatus(HttpStatusCode.Created);
        Assert.Null(created.Body!["singleValueExtendedProperties"]);

        var filter = Uri.EscapeDataString($"singleValueExtendedProperties($filter=id eq '{UidProperty}')");
        var read = (await scope.GetAsync($"{User}/events/{created.Id}?$select=subject&$expand={filter}")).AssertStatus(HttpStatusCode.OK);
        var property = Assert.Single(read.Body!["singleValueExtendedProperties"]!.AsArray());
        Assert.Equal("uid-1@example.com", property!["value"]!.GetValue<string>());
        Assert.Equal("Tagged", read.Body["subject"]!.GetValue<string>());

        (await scope.PatchAsync($"{User}/events/{created.Id}", new JsonObject { ["singleValueExtendedProperties"] = Properties((UidProperty, "uid-2@example.com")) })).AssertStatus(HttpStatusCode.OK);
        var all = (await scope.GetAsync($"{User}/events/{created.Id}?$expand=singleValueExtendedProperties")).AssertStatus(HttpStatusCode.OK);
        Assert.Equal(["uid-2@example.com", "x"], all.Body!["singleValueExtendedProperties"]!.AsArray().Select(p => p!["value"]!.GetValue<string>()).Order());

        var contact = new JsonObject { ["givenName"] = "Tagged", ["singleValueExtendedProperties"] = Properties((UidProperty, "card-1")) };
        var createdContact = (await scope.PostAsync($"{User}/contacts", contact)).AssertStatus(HttpStatusCode.Created);
        var readContact = (await scope.GetAsync($"{User}/contacts/{createdContact.Id}?$expand={filter}")).AssertStatus(HttpStatusCode.OK);
        Assert.Equal("card-1", readContact.Body!["singleValueExtendedProperties"]![0]!["value"]!.GetValue<string>());

        // To Do tasks have no extended properties in Graph.
        var task = new JsonObject { ["title"] = "x", ["singleValueExtendedProperties"] = Properties((UidProperty, "t")) };
        (await scope.PostAsync($"{User}/todo/lists/{scope.Emulator.GraphMailbox(GraphScope.Dave).DefaultTodoListId}/tasks", task)).AssertStatus(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task ExpandExceptionOccurrences_ListsTheSeriesExceptions()
    {
        await using var scope = await GraphScope.StartAsync();
        var series = GraphScope.Event("Daily", "2026-03-02T09:00:00", "2026-03-02T09:30:00");
        series["recurrence"] = new JsonObject
        {
            ["pattern"] = new JsonObject { ["type"] = "daily" },
            ["range"] = new JsonObject { ["type"] = "endDate", ["startDate"] = "2026-03-02", ["endDate"] = "2026-03-06" },
        };
        var master = (await scope.PostAsync($"{User}/events", series)).AssertStatus(HttpStatusCode.Created);
        var instances = (await scope.GetAsync($"{User}/events/{master.Id}/instances?startDateTime=2026-03-01&endDateTime=2026-03-08")).AssertStatus(HttpStatusCode.OK).Values;
        Assert.Equal(5, instances.Count);
        (await scope.PatchAsync($"{User}/events/{instances[3]["id"]}", new JsonObject { ["subject"] = "Thursday special" })).AssertStatus(HttpStatusCode.OK);

        var read = (await scope.GetAsync($"{User}/events/{master.Id}?$select=subject,type&$expand=exceptionOccurrences")).AssertStatus(HttpStatusCode.OK);
        var exception = Assert.Single(read.Body!["exceptionOccurrences"]!.AsArray())!;
        Assert.Equal("Thursday special", exception["subject"]!.GetValue<string>());
        Assert.Equal("exception", exception["type"]!.GetValue<string>());
        Assert.Equal("2026-03-05T09:00:00.0000000Z", exception["originalStart"]!.GetValue<string>());
    }
}
