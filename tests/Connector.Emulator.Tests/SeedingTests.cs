using System.Xml.Linq;

namespace Connector.Emulator.Tests;

public sealed class SeedingTests
{
    private static readonly XNamespace T = EwsResponse.T;

    [Fact]
    public async Task DemoSeed_HasASeriesWithExceptionsAllDayPacificContactsAndTasks()
    {
        await using var emulator = await ExchangeEmulator.StartAsync(new EmulatorOptions { Port = 0, Seed = "demo", ValidateResponses = true });
        using var http = new HttpClient { BaseAddress = emulator.BaseUri };
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", "demo-token");
        var sync = EmulatorScope.Envelope(Soap.SyncFolderItems("calendar", 512, shape: "AllProperties"), impersonate: "alice@contoso.com");

        using var response = await http.PostAsync("EWS/Exchange.asmx", new StringContent(sync, System.Text.Encoding.UTF8, "text/xml"));
        var xml = XDocument.Parse(await response.Content.ReadAsStringAsync());

        var items = xml.Descendants(T + "CalendarItem").ToList();
        Assert.Contains(items, i => i.Element(T + "CalendarItemType")!.Value == "RecurringMaster");
        Assert.Equal(2, items.Count(i => i.Element(T + "IsAllDayEvent")!.Value == "true"));
        Assert.Contains(items, i => i.Element(T + "TimeZone")!.Value.Contains("Pacific", StringComparison.Ordinal));
        var alice = emulator.Mailbox("alice@contoso.com");
        var master = alice.Items("calendar").Single(i => i.Uid == "demo-standup-0001@contoso.com");
        var get = EmulatorScope.Envelope(Soap.GetItem(Soap.ItemId(master.ItemId)), impersonate: "alice@contoso.com");
        using var getResponse = await http.PostAsync("EWS/Exchange.asmx", new StringContent(get, System.Text.Encoding.UTF8, "text/xml"));
        var series = XDocument.Parse(await getResponse.Content.ReadAsStringAsync()).Descendants(T + "CalendarItem").Single();
        Assert.Single(series.Element(T + "DeletedOccurrences")!.Elements());
        Assert.Equal(2, series.Element(T + "ModifiedOccurrences")!.Elements().Count());
        Assert.Equal(3, alice.Items("contacts").Count);
        Assert.Equal(4, alice.Items("tasks").Count);
        Assert.Empty(emulator.AllOutbox());
        Assert.Empty(emulator.ResponseSchemaViolations);
    }

    [Fact]
    public async Task BenchSeed_IsDeterministic()
    {
        async Task<List<string>> SeedAsync()
        {
            await using var emulator = await ExchangeEmulator.StartAsync(new EmulatorOptions { Port = 0, Seed = "bench", BenchUsers = 2, BenchItems = 7 });
            var mailbox = emulator.Mailbox("user0002@bench.example");
            return mailbox.Items("calendar").Concat(mailbox.Items("contacts")).Concat(mailbox.Items("tasks")).Select(i => $"{i.ItemId}|{i.Uid}").ToList();
        }

        var first = await SeedAsync();
        var second = await SeedAsync();

        Assert.Equal(21, first.Count);
        Assert.Equal(first, second);
    }
}
