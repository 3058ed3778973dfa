namespace Connector.Emulator.Tests.Graph;

public sealed class GraphSeedingTests
{
    [Fact]
    public async Task DemoSeed_HasDaveWithSeriesAllDayContactAndTask_ForTheDemoToken()
    {
        await using var emulator = await ExchangeEmulator.StartAsync(new EmulatorOptions { Port = 0, Seed = "demo" });
        using var http = new HttpClient { BaseAddress = emulator.GraphUri };
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", "graph-demo-token");
        const string Dave = "users/dave@fabrikam.onmicrosoft.com";

        var events = System.Text.Json.Nodes.JsonNode.Parse(await http.GetStringAsync($"{Dave}/events"))!["value"]!.AsArray();
        Assert.Contains(events, e => e!["type"]!.GetValue<string>() == "seriesMaster");
        Assert.Contains(events, e => e!["isAllDay"]!.GetValue<bool>());

        var start = DateTime.UtcNow.Date.AddDays(-7).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var end = DateTime.UtcNow.Date.AddDays(100).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var view = System.Text.Json.Nodes.JsonNode.Parse(await http.GetStringAsync($"{Dave}/calendarView?startDateTime={start}&endDateTime={end}&$top=100"))!["value"]!.AsArray();
        Assert.Contains(view, e => e!["type"]!.GetValue<string>() == "exception");
        Assert.Equal(12 - 1 + 1, view.Count(e => e!["seriesMasterId"] is not null) + 1); // 12 occurrences, one deleted, plus the all-day event

        Assert.Single(System.Text.Json.Nodes.JsonNode.Parse(await http.GetStringAsync($"{Dave}/contacts"))!["value"]!.AsArray());
        var lists = System.Text.Json.Nodes.JsonNode.Parse(await http.GetStringAsync($"{Dave}/todo/lists"))!["value"]!.AsArray();
        var tasks = System.Text.Json.Nodes.JsonNode.Parse(await http.GetStringAsync($"{Dave}/todo/lists/{lists[0]!["id"]}/tasks"))!["value"]!.AsArray();
        Assert.Single(tasks);
        Assert.Empty(emulator.GraphOutbox("dave@fabrikam.onmicrosoft.com"));

        // The EWS demo identities are still there.
        Assert.NotEmpty(emulator.Mailbox("alice@contoso.com").Items("calendar"));
    }

    [Fact]
    public async Task BenchSeed_GeneratesGraphMailboxes()
    {
        await using var emulator = await ExchangeEmulator.StartAsync(new EmulatorOptions { Port = 0, Seed = "bench", BenchUsers = 2, BenchItems = 5 });
        var mailbox = emulator.GraphMailbox("user0002@bench.onmicrosoft.com");

        Assert.Equal(5, mailbox.Count("calendar"));
        Assert.Equal(5, mailbox.Count("contacts"));
        Assert.Equal(5, mailbox.Count("tasks"));
    }
}
