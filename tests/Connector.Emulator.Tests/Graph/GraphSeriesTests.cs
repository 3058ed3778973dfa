using System.Net;
using System.Text.Json.Nodes;

namespace Connector.Emulator.Tests.Graph;

public sealed class GraphSeriesTests
{
    private const string Events = "users/" + GraphScope.Dave + "/events";
    private const string Window = "startDateTime=2026-03-01T00:00:00Z&endDateTime=2026-04-30T00:00:00Z";

    private static JsonObject WeeklySeries(int count) => new()
    {
        ["subject"] = "Stand-up",
        ["start"] = GraphScope.Zoned("2026-03-02T09:00:00", "W. Europe Standard Time"),
        ["end"] = GraphScope.Zoned("2026-03-02T09:15:00", "W. Europe Standard Time"),
        ["recurrence"] = new JsonObject
        {
            ["pattern"] = new JsonObject { ["type"] = "weekly", ["interval"] = 1, ["daysOfWeek"] = new JsonArray("monday") },
            ["range"] = new JsonObject { ["type"] = "numbered", ["startDate"] = "2026-03-02", ["numberOfOccurrences"] = count },
        },
    };

    [Fact]
    public async Task Series_ExpandsIntoOccurrences_KeepingWallClockAcrossDst()
    {
        await using var scope = await GraphScope.StartAsync();
        var master = (await scope.PostAsync(Events, WeeklySeries(6))).AssertStatus(HttpStatusCode.Created);
        Assert.Equal("seriesMaster", master.Body!["type"]!.GetValue<string>());
        Assert.Equal("weekly", master.Body["recurrence"]!["pattern"]!["type"]!.GetValue<string>());
        Assert.Equal("W. Europe Standard Time", master.Body["recurrence"]!["range"]!["recurrenceTimeZone"]!.GetValue<string>());

        var view = (await scope.GetAsync($"users/{GraphScope.Dave}/calendarView?{Window}&$top=50")).AssertStatus(HttpStatusCode.OK).Values;
        Assert.Equal(6, view.Count);
        Assert.All(view, v =>
        {
            Assert.Equal("occurrence", v["type"]!.GetValue<string>());
            Assert.Equal(master.Id, v["seriesMasterId"]!.GetValue<string>());
            Assert.NotEqual(master.Id, v["id"]!.GetValue<string>());
        });
        Assert.Equal("2026-03-02T08:00:00.0000000", view[0]["start"]!["dateTime"]!.GetValue<string>());
        Assert.Equal("2026-03-30T07:00:00.0000000", view[4]["start"]!["dateTime"]!.GetValue<string>()); // CEST from 29 March
        Assert.Equal("2026-03-30T07:00:00.0000000Z", view[4]["originalStart"]!.GetValue<string>());

        var events = (await scope.GetAsync(Events)).AssertStatus(HttpStatusCode.OK).Values;
        Assert.Equal(master.Id, Assert.Single(events)["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task PatchingAnOccurrence_MakesAnException_DeletingOneCancelsIt()
    {
        await using var scope = await GraphScope.StartAsync();
        var master = (await scope.PostAsync(Events, WeeklySeries(4))).AssertStatus(HttpStatusCode.Created);
        var instances = (await scope.GetAsync($"{Events}/{master.Id}/instances?{Window}")).AssertStatus(HttpStatusCode.OK).Values;
        Assert.Equal(4, instances.Count);
        var (secondId, thirdId) = (instances[1]["id"]!.GetValue<string>(), instances[2]["id"]!.GetValue<string>());

        var exception = (await scope.PatchAsync($"{Events}/{secondId}", new JsonObject
        {
            ["subject"] = "Stand-up (moved)",
            ["start"] = GraphScope.Zoned("2026-03-10T10:00:00", "W. Europe Standard Time"),
            ["end"] = GraphScope.Zoned("2026-03-10T10:15:00", "W. Europe Standard Time"),
        })).AssertStatus(HttpStatusCode.OK);
        Assert.Equal("exception", exception.Body!["type"]!.GetValue<string>());
        Assert.Equal(secondId, exception.Id);
        (await scope.DeleteAsync($"{Events}/{thirdId}")).AssertStatus(HttpStatusCode.NoContent);

        var view = (await scope.GetAsync($"users/{GraphScope.Dave}/calendarView?{Window}")).AssertStatus(HttpStatusCode.OK).Values;
        Assert.Equal(["occurrence", "exception", "occurrence"], view.Select(v => v["type"]!.GetValue<string>()));
        Assert.Equal("Stand-up (moved)", view[1]["subject"]!.GetValue<string>());
        Assert.Equal("2026-03-10T09:00:00.0000000", view[1]["start"]!["dateTime"]!.GetValue<string>());
        Assert.Equal("2026-03-09T08:00:00.0000000Z", view[1]["originalStart"]!.GetValue<string>());
        Assert.Equal("ErrorItemNotFound", (await scope.GetAsync($"{Events}/{thirdId}")).AssertStatus(HttpStatusCode.NotFound).ErrorCode);

        var series = (await scope.GetAsync($"{Events}/{master.Id}?$select=subject,cancelledOccurrences")).AssertStatus(HttpStatusCode.OK);
        Assert.Equal($"OID.{master.Id}.2026-03-16", Assert.Single(series.Body!["cancelledOccurrences"]!.AsArray())!.GetValue<string>());
        Assert.Null(series.Body["start"]);
    }

    [Fact]
    public async Task Delta_ReportsOccurrencesNotTheMaster_AndExceptionsAndCancellationsAsChanges()
    {
        await using var scope = await GraphScope.StartAsync();
        var master = (await scope.PostAsync(Events, WeeklySeries(3))).AssertStatus(HttpStatusCode.Created);
        var url = $"users/{GraphScope.Dave}/calendarView/delta?{Window}";
        var (first, link, _) = await scope.DeltaRoundAsync(url);
        Assert.Equal(3, first.Count);
        Assert.DoesNotContain(first, e => e["type"]!.GetValue<string>() == "seriesMaster");

        (await scope.PatchAsync($"{Events}/{first[0]["id"]}", new JsonObject { ["subject"] = "Changed once" })).AssertStatus(HttpStatusCode.OK);
        (await scope.DeleteAsync($"{Events}/{first[2]["id"]}")).AssertStatus(HttpStatusCode.NoContent);
        var (changes, _, _) = await scope.DeltaRoundAsync(link);

        Assert.Contains(changes, c => c["id"]!.ToString() == first[0]["id"]!.ToString() && c["type"]!.GetValue<string>() == "exception");
        Assert.Contains(changes, c => c["id"]!.ToString() == first[2]["id"]!.ToString() && c["@removed"] is not null);
        Assert.Equal(master.Id, changes.First(c => c["@removed"] is null)["seriesMasterId"]!.GetValue<string>());
    }

    [Fact]
    public async Task ChangingTheSeriesTimes_DropsItsExceptions()
    {
        await using var scope = await GraphScope.StartAsync();
        var master = (await scope.PostAsync(Events, WeeklySeries(3))).AssertStatus(HttpStatusCode.Created);
        var instances = (await scope.GetAsync($"{Events}/{master.Id}/instances?{Window}")).AssertStatus(HttpStatusCode.OK).Values;
        (await scope.PatchAsync($"{Events}/{instances[1]["id"]}", new JsonObject { ["subject"] = "Special" })).AssertStatus(HttpStatusCode.OK);

        (await scope.PatchAsync($"{Events}/{master.Id}", new JsonObject
        {
            ["start"] = GraphScope.Zoned("2026-03-02T11:00:00", "W. Europe Standard Time"),
            ["end"] = GraphScope.Zoned("2026-03-02T11:30:00", "W. Europe Standard Time"),
        })).AssertStatus(HttpStatusCode.OK);

        var after = (await scope.GetAsync($"{Events}/{master.Id}/instances?{Window}")).AssertStatus(HttpStatusCode.OK).Values;
        Assert.All(after, a => Assert.Equal("occurrence", a["type"]!.GetValue<string>()));
        Assert.All(after, a => Assert.Equal("Stand-up", a["subject"]!.GetValue<string>()));
    }

    [Fact]
    public async Task RewritingTheSameSeriesTimes_KeepsItsExceptions()
    {
        await using var scope = await GraphScope.StartAsync();
        var master = (await scope.PostAsync(Events, WeeklySeries(3))).AssertStatus(HttpStatusCode.Created);
        var instances = (await scope.GetAsync($"{Events}/{master.Id}/instances?{Window}")).AssertStatus(HttpStatusCode.OK).Values;
        (await scope.PatchAsync($"{Events}/{instances[1]["id"]}", new JsonObject { ["subject"] = "Special" })).AssertStatus(HttpStatusCode.OK);

        // The same instants in UTC and with the master's own recurrence: nothing about the series changed.
        var series = (await scope.GetAsync($"{Events}/{master.Id}")).AssertStatus(HttpStatusCode.OK);
        (await scope.PatchAsync($"{Events}/{master.Id}", new JsonObject
        {
            ["subject"] = "Stand-up (renamed)",
            ["start"] = series.Body!["start"]!.DeepClone(),
            ["end"] = series.Body["end"]!.DeepClone(),
            ["recurrence"] = series.Body["recurrence"]!.DeepClone(),
        })).AssertStatus(HttpStatusCode.OK);

        var after = (await scope.GetAsync($"{Events}/{master.Id}/instances?{Window}")).AssertStatus(HttpStatusCode.OK).Values;
        Assert.Equal(["Stand-up (renamed)", "Special", "Stand-up (renamed)"], after.Select(a => a["subject"]!.GetValue<string>()));
    }

    [Fact]
    public async Task MovingAnOccurrenceOntoItsNeighboursDay_IsErrorOccurrenceCrossingBoundary()
    {
        await using var scope = await GraphScope.StartAsync();
        var daily = GraphScope.Event("Daily", "2026-03-02T09:00:00", "2026-03-02T09:30:00", "W. Europe Standard Time");
        daily["recurrence"] = new JsonObject
        {
            ["pattern"] = new JsonObject { ["type"] = "daily" },
            ["range"] = new JsonObject { ["type"] = "numbered", ["startDate"] = "2026-03-02", ["numberOfOccurrences"] = 4 },
        };
        var master = (await scope.PostAsync(Events, daily)).AssertStatus(HttpStatusCode.Created);
        var instances = (await scope.GetAsync($"{Events}/{master.Id}/instances?{Window}")).AssertStatus(HttpStatusCode.OK).Values;

        var onto = (await scope.PatchAsync($"{Events}/{instances[1]["id"]}", new JsonObject
        {
            ["start"] = GraphScope.Zoned("2026-03-04T15:00:00", "W. Europe Standard Time"),
            ["end"] = GraphScope.Zoned("2026-03-04T15:30:00", "W. Europe Standard Time"),
        })).AssertStatus(HttpStatusCode.BadRequest);
        Assert.Equal("ErrorOccurrenceCrossingBoundary", onto.ErrorCode);

        // Later on its own day is fine; once the neighbour is deleted, its day is free.
        (await scope.PatchAsync($"{Events}/{instances[1]["id"]}", new JsonObject
        {
            ["start"] = GraphScope.Zoned("2026-03-03T18:00:00", "W. Europe Standard Time"),
            ["end"] = GraphScope.Zoned("2026-03-03T18:30:00", "W. Europe Standard Time"),
        })).AssertStatus(HttpStatusCode.OK);
        (await scope.DeleteAsync($"{Events}/{instances[2]["id"]}")).AssertStatus(HttpStatusCode.NoContent);
        (await scope.PatchAsync($"{Events}/{instances[1]["id"]}", new JsonObject
        {
            ["start"] = GraphScope.Zoned("2026-03-04T15:00:00", "W. Europe Standard Time"),
            ["end"] = GraphScope.Zoned("2026-03-04T15:30:00", "W. Europe Standard Time"),
        })).AssertStatus(HttpStatusCode.OK);
    }

    [Fact]
    public async Task InvalidRecurrence_Is400()
    {
        await using var scope = await GraphScope.StartAsync();
        var body = WeeklySeries(3);
        body["recurrence"]!["pattern"]!["daysOfWeek"] = new JsonArray();
        (await scope.PostAsync(Events, body)).AssertStatus(HttpStatusCode.BadRequest);

        var badType = WeeklySeries(3);
        badType["recurrence"]!["pattern"]!["type"] = "hourly";
        (await scope.PostAsync(Events, badType)).AssertStatus(HttpStatusCode.BadRequest);
    }
}
