using System.Net;
using System.Text.Json.Nodes;

namespace Connector.Emulator.Tests.Graph;

public sealed class GraphBatchTests
{
    private const string Events = "/users/" + GraphScope.Dave + "/events";

    private static JsonObject Post(string id, string url, JsonNode body, params string[] dependsOn)
    {
        var request = new JsonObject
        {
            ["id"] = id,
            ["method"] = "POST",
            ["url"] = url,
            ["body"] = body,
            ["headers"] = new JsonObject { ["Content-Type"] = "application/json" },
        };
        if (dependsOn.Length > 0)
        {
            request["dependsOn"] = new JsonArray(dependsOn.Select(d => (JsonNode?)JsonValue.Create(d)).ToArray());
        }

        return request;
    }

    [Fact]
    public async Task Batch_RunsEachRequestThroughTheHandlers_WithPerRequestStatus()
    {
        await using var scope = await GraphScope.StartAsync();
        var batch = new JsonObject
        {
            ["requests"] = new JsonArray(
                Post("1", Events, GraphScope.Event("One", "2026-03-02T09:00:00", "2026-03-02T10:00:00")),
                Post("2", Events, GraphScope.Event("Two", "2026-03-03T09:00:00", "2026-03-03T10:00:00"), "1"),
                new JsonObject { ["id"] = "3", ["method"] = "GET", ["url"] = Events + "/AAMkAGI1AAAt9AHjAAA=" },
                Post("4", Events, new JsonObject { ["subjekt"] = "typo" }),
                Post("5", Events, GraphScope.Event("After a failure", "2026-03-04T09:00:00", "2026-03-04T10:00:00"), "4"),
                new JsonObject
                {
                    ["id"] = "6",
                    ["method"] = "GET",
                    ["url"] = Events + "?$top=1",
                    ["headers"] = new JsonObject { ["Prefer"] = "outlook.timezone=\"Pacific Standard Time\"" },
                }),
        };
        var response = (await scope.PostAsync("$batch", batch)).AssertStatus(HttpStatusCode.OK);
        var byId = response.Body!["responses"]!.AsArray().ToDictionary(r => r!["id"]!.GetValue<string>(), r => r!);

        Assert.Equal(201, byId["1"]["status"]!.GetValue<int>());
        Assert.Equal(201, byId["2"]["status"]!.GetValue<int>());
        Assert.Equal(404, byId["3"]["status"]!.GetValue<int>());
        Assert.Equal("ErrorItemNotFound", byId["3"]["body"]!["error"]!["code"]!.GetValue<string>());
        Assert.Equal(400, byId["4"]["status"]!.GetValue<int>());
        Assert.Equal(424, byId["5"]["status"]!.GetValue<int>());
        Assert.Equal("Pacific Standard Time", byId["6"]["body"]!["value"]![0]!["start"]!["timeZone"]!.GetValue<string>());
        Assert.Equal(2, scope.Emulator.GraphMailbox(GraphScope.Dave).Count("calendar"));
    }

    [Fact]
    public async Task Batch_EntriesCountAgainstTheMailboxRateBudget()
    {
        await using var scope = await GraphScope.StartAsync(o => o.Graph.Throttling.MaxRequestsPerWindow = 3);
        var requests = new JsonArray(Enumerable.Range(1, 5).Select(i => (JsonNode?)new JsonObject { ["id"] = $"{i}", ["method"] = "GET", ["url"] = Events }).ToArray());
        var response = (await scope.PostAsync("$batch", new JsonObject { ["requests"] = requests })).AssertStatus(HttpStatusCode.OK);
        var entries = response.Body!["responses"]!.AsArray();

        Assert.Equal([200, 200, 200, 429, 429], entries.Select(e => e!["status"]!.GetValue<int>()));
        Assert.NotNull(entries[3]!["headers"]!["Retry-After"]);
    }

    [Fact]
    public async Task Batch_MoreThan20Requests_Is400()
    {
        await using var scope = await GraphScope.StartAsync();
        var requests = new JsonArray(Enumerable.Range(1, 21).Select(i => (JsonNode?)new JsonObject { ["id"] = $"{i}", ["method"] = "GET", ["url"] = Events }).ToArray());
        var response = (await scope.PostAsync("$batch", new JsonObject { ["requests"] = requests })).AssertStatus(HttpStatusCode.BadRequest);
        Assert.Equal("BadRequest", response.ErrorCode);

        var twenty = new JsonArray(Enumerable.Range(1, 20).Select(i => (JsonNode?)new JsonObject { ["id"] = $"{i}", ["method"] = "GET", ["url"] = Events }).ToArray());
        (await scope.PostAsync("$batch", new JsonObject { ["requests"] = twenty })).AssertStatus(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Batch_WriteWithoutContentType_Is400ForTheWholeBatch()
    {
        await using var scope = await GraphScope.StartAsync();
        var request = Post("1", Events, GraphScope.Event("One", "2026-03-02T09:00:00", "2026-03-02T10:00:00"));
        request.Remove("headers");
        var response = (await scope.PostAsync("$batch", new JsonObject { ["requests"] = new JsonArray(request) })).AssertStatus(HttpStatusCode.BadRequest);
        Assert.Contains("Content-Type", response.Body!["error"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(0, scope.Emulator.GraphMailbox(GraphScope.Dave).Count("calendar"));
    }

    [Fact]
    public async Task Batch_TheExampleFromTheDocs_AnswersPerRequest()
    {
        await using var scope = await GraphScope.StartAsync();
        var body = JsonNode.Parse(File.ReadAllText(Path.Combine(SharedExamples.Directory, "graph-json-batch.02-request-body.json")))!;
        var response = (await scope.PostAsync("$batch", body)).AssertStatus(HttpStatusCode.OK);

        // Drive, planner, groups and /me are not emulated: each entry fails on its own, the batch answers.
        var statuses = response.Body!["responses"]!.AsArray().Select(r => r!["status"]!.GetValue<int>()).ToList();
        Assert.Equal(4, statuses.Count);
        Assert.All(statuses, s => Assert.Equal(400, s));
    }
}
