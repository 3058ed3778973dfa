using System.Net;
using System.Text.Json.Nodes;

namespace Connector.Emulator.Tests.Graph;

public sealed class GraphContactAndTaskTests
{
    private const string User = "users/" + GraphScope.Dave;

    [Fact]
    public async Task Contacts_CrudInTheDefaultFolderAndThroughContactFolders()
    {
        await using var scope = await GraphScope.StartAsync();
        var folders = (await scope.GetAsync($"{User}/contactFolders")).AssertStatus(HttpStatusCode.OK).Values;
        var folderId = Assert.Single(folders)["id"]!.GetValue<string>();

        var created = (await scope.PostAsync($"{User}/contacts", new JsonObject
        {
            ["givenName"] = "Pavel",
            ["surname"] = "Bansky",
            ["emailAddresses"] = new JsonArray(new JsonObject { ["address"] = "pavelb@fabrikam.onmicrosoft.com" }),
            ["businessPhones"] = new JsonArray("+1 732 555 0102"),
        })).AssertStatus(HttpStatusCode.Created);
        Assert.Equal("Pavel Bansky", created.Body!["displayName"]!.GetValue<string>());
        Assert.Equal(folderId, created.Body["parentFolderId"]!.GetValue<string>());
        Assert.Equal("pavelb@fabrikam.onmicrosoft.com", created.Body["emailAddresses"]![0]!["name"]!.GetValue<string>());
        Assert.Empty(created.Body["homePhones"]!.AsArray());
        Assert.Null(created.Body["nickName"]);

        var viaFolder = (await scope.GetAsync($"{User}/contactFolders/{folderId}/contacts/{created.Id}")).AssertStatus(HttpStatusCode.OK);
        Assert.Equal(created.ETag, viaFolder.ETag);

        var patched = (await scope.PatchAsync($"{User}/contactFolders/{folderId}/contacts/{created.Id}", new JsonObject { ["jobTitle"] = "Manager", ["businessPhones"] = new JsonArray() }, ("If-Match", created.ETag))).AssertStatus(HttpStatusCode.OK);
        Assert.Equal("Manager", patched.Body!["jobTitle"]!.GetValue<string>());
        Assert.Empty(patched.Body["businessPhones"]!.AsArray());
        Assert.Equal("PreconditionFailed", (await scope.DeleteAsync($"{User}/contacts/{created.Id}", ("If-Match", created.ETag))).Status.ToString());

        var bad = (await scope.PostAsync($"{User}/contacts", new JsonObject { ["firstName"] = "X" })).AssertStatus(HttpStatusCode.BadRequest);
        Assert.Contains("'microsoft.graph.contact'", bad.Body!["error"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);

        (await scope.DeleteAsync($"{User}/contacts/{created.Id}")).AssertStatus(HttpStatusCode.NoContent);
        (await scope.GetAsync($"{User}/contacts/{created.Id}")).AssertStatus(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task ContactsDelta_PagesAndReportsRemovals()
    {
        await using var scope = await GraphScope.StartAsync();
        var folderId = scope.Emulator.GraphMailbox(GraphScope.Dave).DefaultContactFolderId;
        var ids = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add((await scope.PostAsync($"{User}/contactFolders/{folderId}/contacts", new JsonObject { ["givenName"] = $"C{i}" })).AssertStatus(HttpStatusCode.Created).Id);
        }

        var (first, link, pages) = await scope.DeltaRoundAsync($"{User}/contactFolders/{folderId}/contacts/delta", pageSize: 2);
        Assert.Equal(3, pages);
        Assert.Equal(ids, first.Select(c => c["id"]!.GetValue<string>()));

        (await scope.DeleteAsync($"{User}/contacts/{ids[0]}")).AssertStatus(HttpStatusCode.NoContent);
        (await scope.PatchAsync($"{User}/contacts/{ids[4]}", new JsonObject { ["surname"] = "Changed" })).AssertStatus(HttpStatusCode.OK);
        var (changes, _, _) = await scope.DeltaRoundAsync(link, pageSize: 2);

        Assert.Equal(2, changes.Count);
        Assert.Equal("Changed", changes[0]["surname"]!.GetValue<string>());
        Assert.Equal("C4", changes[0]["displayName"]!.GetValue<string>()); // composed once, at creation, as Exchange does
        Assert.Equal(ids[0], changes[1]["id"]!.GetValue<string>());
        Assert.Equal("deleted", changes[1]["@removed"]!["reason"]!.GetValue<string>());

        var latest = (await scope.GetAsync($"{User}/contacts/delta?$deltatoken=latest")).AssertStatus(HttpStatusCode.OK);
        Assert.Empty(latest.Values);
        Assert.NotNull(latest.Body!["@odata.deltaLink"]);
    }

    [Fact]
    public async Task Tasks_CrudStatusAndCompletion()
    {
        await using var scope = await GraphScope.StartAsync();
        var lists = (await scope.GetAsync($"{User}/todo/lists")).AssertStatus(HttpStatusCode.OK).Values;
        var list = Assert.Single(lists);
        Assert.Equal("defaultList", list["wellknownListName"]!.GetValue<string>());
        var tasks = $"{User}/todo/lists/{list["id"]}/tasks";

        var created = (await scope.PostAsync(tasks, new JsonObject
        {
            ["title"] = "A new task",
            ["dueDateTime"] = GraphScope.Zoned("2026-03-05T00:00:00", "W. Europe Standard Time"),
            ["linkedResources"] = new JsonArray(new JsonObject { ["webUrl"] = "http://microsoft.com", ["applicationName"] = "Microsoft", ["displayName"] = "Microsoft" }),
        })).AssertStatus(HttpStatusCode.Created);
        Assert.Equal("notStarted", created.Body!["status"]!.GetValue<string>());
        Assert.Equal("normal", created.Body["importance"]!.GetValue<string>());
        Assert.Equal("text", created.Body["body"]!["contentType"]!.GetValue<string>());
        Assert.Equal("2026-03-04T23:00:00.0000000", created.Body["dueDateTime"]!["dateTime"]!.GetValue<string>());
        Assert.NotNull(created.Body["linkedResources"]![0]!["id"]);

        var done = (await scope.PatchAsync($"{tasks}/{created.Id}", new JsonObject { ["status"] = "Completed" })).AssertStatus(HttpStatusCode.OK);
        Assert.Equal("completed", done.Body!["status"]!.GetValue<string>());
        Assert.NotNull(done.Body["completedDateTime"]);
        Assert.NotEqual(created.ETag, done.ETag);

        var reopened = (await scope.PatchAsync($"{tasks}/{created.Id}", new JsonObject { ["status"] = "inProgress" })).AssertStatus(HttpStatusCode.OK);
        Assert.Null(reopened.Body!["completedDateTime"]);

        Assert.Equal("RequestBodyRead", (await scope.PatchAsync($"{tasks}/{created.Id}", new JsonObject { ["status"] = "finished" })).AssertStatus(HttpStatusCode.BadRequest).ErrorCode);
        (await scope.DeleteAsync($"{tasks}/{created.Id}")).AssertStatus(HttpStatusCode.NoContent);
        (await scope.GetAsync($"{tasks}/{created.Id}")).AssertStatus(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task CompletingARecurringTask_LeavesACompletedCopy_AndTheTaskMovesOn()
    {
        await using var scope = await GraphScope.StartAsync();
        var tasks = $"{User}/todo/lists/{scope.Emulator.GraphMailbox(GraphScope.Dave).DefaultTodoListId}/tasks";
        var created = (await scope.PostAsync(tasks, new JsonObject
        {
            ["title"] = "Water the plants",
            ["dueDateTime"] = GraphScope.Zoned("2026-03-02T00:00:00"),
            ["recurrence"] = new JsonObject
            {
                ["pattern"] = new JsonObject { ["type"] = "weekly", ["daysOfWeek"] = new JsonArray("monday") },
                ["range"] = new JsonObject { ["type"] = "noEnd", ["startDate"] = "2026-03-02" },
            },
        })).AssertStatus(HttpStatusCode.Created);

        // The answer is the new one-off task (as Exchange answers UpdateItem on a recurring task).
        var copy = (await scope.PatchAsync($"{tasks}/{created.Id}", new JsonObject { ["status"] = "completed" })).AssertStatus(HttpStatusCode.OK);
        Assert.NotEqual(created.Id, copy.Id);
        Assert.Equal("completed", copy.Body!["status"]!.GetValue<string>());
        Assert.Equal("2026-03-02T00:00:00.0000000", copy.Body["dueDateTime"]!["dateTime"]!.GetValue<string>());
        Assert.Null(copy.Body["recurrence"]);
        Assert.NotNull(copy.Body["completedDateTime"]);

        var moved = (await scope.GetAsync($"{tasks}/{created.Id}")).AssertStatus(HttpStatusCode.OK);
        Assert.Equal("notStarted", moved.Body!["status"]!.GetValue<string>());
        Assert.Equal("2026-03-09T00:00:00.0000000", moved.Body["dueDateTime"]!["dateTime"]!.GetValue<string>());
        Assert.NotNull(moved.Body["recurrence"]);
        Assert.NotEqual(created.ETag, moved.ETag);
        Assert.Equal(2, (await scope.GetAsync(tasks)).AssertStatus(HttpStatusCode.OK).Values.Count);
    }

    [Fact]
    public async Task TasksDelta_ReportsNewChangedAndRemoved()
    {
        await using var scope = await GraphScope.StartAsync();
        var tasks = $"{User}/todo/lists/{scope.Emulator.GraphMailbox(GraphScope.Dave).DefaultTodoListId}/tasks";
        var a = (await scope.PostAsync(tasks, new JsonObject { ["title"] = "A" })).AssertStatus(HttpStatusCode.Created).Id;
        var b = (await scope.PostAsync(tasks, new JsonObject { ["title"] = "B" })).AssertStatus(HttpStatusCode.Created).Id;
        var (first, link, _) = await scope.DeltaRoundAsync($"{tasks}/delta");
        Assert.Equal(2, first.Count);

        (await scope.PatchAsync($"{tasks}/{a}", new JsonObject { ["title"] = "A2" })).AssertStatus(HttpStatusCode.OK);
        (await scope.DeleteAsync($"{tasks}/{b}")).AssertStatus(HttpStatusCode.NoContent);
        var c = (await scope.PostAsync(tasks, new JsonObject { ["title"] = "C" })).AssertStatus(HttpStatusCode.Created).Id;
        var (changes, _, _) = await scope.DeltaRoundAsync(link);

        Assert.Equal([a, c, b], changes.Select(x => x["id"]!.GetValue<string>()));
        Assert.NotNull(changes[2]["@removed"]);
    }

    [Fact]
    public async Task Folders_CanBeCreated()
    {
        await using var scope = await GraphScope.StartAsync();
        var list = (await scope.PostAsync($"{User}/todo/lists", new JsonObject { ["displayName"] = "Groceries" })).AssertStatus(HttpStatusCode.Created);
        Assert.Equal("none", list.Body!["wellknownListName"]!.GetValue<string>());
        (await scope.PostAsync($"{User}/todo/lists/{list.Id}/tasks", new JsonObject { ["title"] = "Milk" })).AssertStatus(HttpStatusCode.Created);
        Assert.Equal(2, (await scope.GetAsync($"{User}/todo/lists")).Values.Count);

        var folder = (await scope.PostAsync($"{User}/contactFolders", new JsonObject { ["displayName"] = "Suppliers" })).AssertStatus(HttpStatusCode.Created);
        (await scope.PostAsync($"{User}/contactFolders/{folder.Id}/contacts", new JsonObject { ["givenName"] = "Sam" })).AssertStatus(HttpStatusCode.Created);
        Assert.Empty((await scope.GetAsync($"{User}/contacts")).Values);

        var calendar = (await scope.PostAsync($"{User}/calendars", new JsonObject { ["name"] = "Projects" })).AssertStatus(HttpStatusCode.Created);
        Assert.False(calendar.Body!["isDefaultCalendar"]!.GetValue<bool>());
        Assert.Equal(HttpStatusCode.Conflict, (await scope.PostAsync($"{User}/calendars", new JsonObject { ["name"] = "Projects" })).Status);
    }
}
