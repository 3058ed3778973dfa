using System.Net;
using System.Text.Json.Nodes;

namespace Connector.Emulator.Tests.Graph;

public sealed class GraphDeltaTests
{
    private const string Events = "users/" + GraphScope.Dave + "/events";
    private const string Window = "startDateTime=2026-03-01T00:00:00Z&endDateTime=2026-04-01T00:00:00Z";
    private const string ViewDelta = "users/" + GraphScope.Dave + "/calendarView/delta?" + Window;

    [Fact]
    public async Task CalendarViewDelta_PagesByMaxPageSize_ThenReportsChangesAndRemovals()
    {
        await using var scope = await GraphScope.StartAsync();
        var ids = new List<string>();
        for (var day = 2; day <= 6; day++)
        {
            ids.Add((await scope.PostAsync(Events, GraphScope.Event($"Day {day}", $"2026-03-0{day}T09:00:00", $"2026-03-0{day}T10:00:00"))).AssertStatus(HttpStatusCode.Created).Id);
        }

        var (first, deltaLink, pages) = await scope.DeltaRoundAsync(ViewDelta, pageSize: 2);
        Assert.Equal(3, pages);
        Assert.Equal(ids, first.Select(e => e["id"]!.GetValue<string>()));
        Assert.Contains("$deltatoken=", deltaLink, StringComparison.Ordinal);

        var (empty, emptyLink, _) = await scope.DeltaRoundAsync(deltaLink, pageSize: 2);
        Assert.Empty(empty);

        (await scope.PatchAsync($"{Events}/{ids[1]}", new JsonObject { ["subject"] = "Changed" })).AssertStatus(HttpStatusCode.OK);
        (await scope.DeleteAsync($"{Events}/{ids[3]}")).AssertStatus(HttpStatusCode.NoContent);
        var added = (await scope.PostAsync(Events, GraphScope.Event("Added", "2026-03-20T09:00:00", "2026-03-20T10:00:00"))).AssertStatus(HttpStatusCode.Created).Id;
        (await scope.PostAsync(Events, GraphScope.Event("Outside the window", "2026-05-20T09:00:00", "2026-05-20T10:00:00"))).AssertStatus(HttpStatusCode.Created);

        var (changes, _, _) = await scope.DeltaRoundAsync(emptyLink, pageSize: 2);
        Assert.Equal(3, changes.Count);
        Assert.Equal("Changed", changes.Single(c => c["id"]!.GetValue<string>() == ids[1])["subject"]!.GetValue<string>());
        Assert.Contains(changes, c => c["id"]!.GetValue<string>() == added);
        var removed = changes.Single(c => c["id"]!.GetValue<string>() == ids[3]);
        Assert.Equal("deleted", removed["@removed"]!["reason"]!.GetValue<string>());
    }

    [Fact]
    public async Task CalendarView_ShowsInstancesOverlappingTheWindow()
    {
        await using var scope = await GraphScope.StartAsync();
        (await scope.PostAsync(Events, GraphScope.Event("Before", "2026-02-27T09:00:00", "2026-02-27T10:00:00"))).AssertStatus(HttpStatusCode.Created);
        (await scope.PostAsync(Events, GraphScope.Event("Across the start", "2026-02-28T23:00:00", "2026-03-01T01:00:00"))).AssertStatus(HttpStatusCode.Created);
        (await scope.PostAsync(Events, GraphScope.Event("Inside", "2026-03-10T09:00:00", "2026-03-10T10:00:00"))).AssertStatus(HttpStatusCode.Created);
        (await scope.PostAsync(Events, GraphScope.Event("Ends at the window's end", "2026-03-31T23:00:00", "2026-04-01T00:00:00"))).AssertStatus(HttpStatusCode.Created);
        (await scope.PostAsync(Events, GraphScope.Event("Starts at the window's end", "2026-04-01T00:00:00", "2026-04-01T01:00:00"))).AssertStatus(HttpStatusCode.Created);

        var view = (await scope.GetAsync($"users/{GraphScope.Dave}/calendarView?{Window}")).AssertStatus(HttpStatusCode.OK);
        Assert.Equal(["Across the start", "Inside", "Ends at the window's end"], view.Values.Select(v => v["subject"]!.GetValue<string>()));

        var missing = (await scope.GetAsync($"users/{GraphScope.Dave}/calendarView")).AssertStatus(HttpStatusCode.BadRequest);
        Assert.Equal("ErrorInvalidParameter", missing.ErrorCode);
    }

    [Fact]
    public async Task List_PagesWithTopAndNextLink()
    {
        await using var scope = await GraphScope.StartAsync();
        for (var i = 0; i < 12; i++)
        {
            (await scope.PostAsync(Events, GraphScope.Event($"E{i}", "2026-03-02T09:00:00", "2026-03-02T10:00:00"))).AssertStatus(HttpStatusCode.Created);
        }

        var first = (await scope.GetAsync(Events)).AssertStatus(HttpStatusCode.OK);
        Assert.Equal(10, first.Values.Count);
        var second = (await scope.GetAsync(first.Body!["@odata.nextLink"]!.GetValue<string>())).AssertStatus(HttpStatusCode.OK);
        Assert.Equal(2, second.Values.Count);
        Assert.Null(second.Body!["@odata.nextLink"]);
    }

    [Fact]
    public async Task InvalidOrInvalidatedToken_Is410SyncStateNotFound()
    {
        await using var scope = await GraphScope.StartAsync();
        (await scope.PostAsync(Events, GraphScope.Event("One", "2026-03-02T09:00:00", "2026-03-02T10:00:00"))).AssertStatus(HttpStatusCode.Created);
        (await scope.PostAsync(Events, GraphScope.Event("Two", "2026-03-03T09:00:00", "2026-03-03T10:00:00"))).AssertStatus(HttpStatusCode.Created);
        var bogus = (await scope.GetAsync($"users/{GraphScope.Dave}/calendarView/delta?$deltatoken=not-a-token")).AssertStatus(HttpStatusCode.Gone);
        Assert.Equal("syncStateNotFound", bogus.ErrorCode);

        var firstPage = (await scope.GetAsync(ViewDelta, ("Prefer", "odata.maxpagesize=1"))).AssertStatus(HttpStatusCode.OK);
        var next = firstPage.Body!["@odata.nextLink"]!.GetValue<string>();
        var (_, deltaLink, _) = await scope.DeltaRoundAsync(ViewDelta);

        using var invalidate = await scope.Http.PostAsync(new Uri(scope.Emulator.BaseUri, $"emulator/graph/users/{GraphScope.Dave}/invalidate-delta-tokens"), null);
        Assert.Equal(HttpStatusCode.NoContent, invalidate.StatusCode);

        Assert.Equal("syncStateNotFound", (await scope.GetAsync(deltaLink)).AssertStatus(HttpStatusCode.Gone).ErrorCode);
        Assert.Equal("syncStateNotFound", (await scope.GetAsync(next)).AssertStatus(HttpStatusCode.Gone).ErrorCode);

        // A new round works again.
        var (items, _, _) = await scope.DeltaRoundAsync(ViewDelta);
        Assert.Equal(2, items.Count);
    }

    [Fact]
    public async Task SkipToken_CanBeReplayed_AndTheRoundCompletes()
    {
        await using var scope = await GraphScope.StartAsync();
        for (var day = 2; day <= 4; day++)
        {
            (await scope.PostAsync(Events, GraphScope.Event($"Day {day}", $"2026-03-0{day}T09:00:00", $"2026-03-0{day}T10:00:00"))).AssertStatus(HttpStatusCode.Created);
        }

        var first = (await scope.GetAsync(ViewDelta, ("Prefer", "odata.maxpagesize=2"))).AssertStatus(HttpStatusCode.OK);
        var next = first.Body!["@odata.nextLink"]!.GetValue<string>();
        var once = (await scope.GetAsync(next, ("Prefer", "odata.maxpagesize=2"))).AssertStatus(HttpStatusCode.OK);
        var again = (await scope.GetAsync(next, ("Prefer", "odata.maxpagesize=2"))).AssertStatus(HttpStatusCode.OK);

        Assert.Equal(once.Values.Select(v => v["id"]!.ToString()), again.Values.Select(v => v["id"]!.ToString()));
        Assert.NotNull(again.Body!["@odata.deltaLink"]);
    }
}
