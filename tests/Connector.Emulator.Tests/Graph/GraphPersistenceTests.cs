using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;

namespace Connector.Emulator.Tests.Graph;

/// <summary>
/// The Microsoft 365 tenant in the emulator's data file: after a restart every item has the same
/// id, etag and content; a delta token from before the restart is refused (410 syncStateNotFound),
/// never answered with a wrong diff; changes after the restart get new change keys; a data file
/// without a Graph section (written before the tenant was kept) seeds the tenant.
/// </summary>
public sealed class GraphPersistenceTests : IDisposable
{
    private const string Dave = GraphScope.Dave;
    private readonly string folder = Directory.CreateTempSubdirectory("emulator-graph-data-").FullName;

    private string DataFile => Path.Combine(folder, "exchange.json");

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Fact]
    public async Task Restart_KeepsIdsEtagsAndItems_RefusesOldDeltaTokens_AndTakesNewChanges()
    {
        var window = CalendarWindow();
        string contactsDeltaLink;
        string viewDeltaLink;
        string transactionEventId;
        Dictionary<string, string> before;
        HashSet<string> etagsBefore;
        await using (var scope = await StartAsync())
        {
            transactionEventId = (await scope.PostAsync($"users/{Dave}/events", WithTransaction(GraphScope.Event("Booked by a client", "2026-03-02T09:00:00", "2026-03-02T10:00:00"), "tx-before-restart")))
                .AssertStatus(HttpStatusCode.Created).Id;
            var contact = (await scope.PostAsync($"users/{Dave}/contacts", new JsonObject { ["givenName"] = "Rita", ["surname"] = "Restart" })).AssertStatus(HttpStatusCode.Created);
            (await scope.PatchAsync($"users/{Dave}/contacts/{contact.Id}", new JsonObject { ["jobTitle"] = "Keeper" })).AssertStatus(HttpStatusCode.OK);
            contactsDeltaLink = BelowGraphRoot((await scope.DeltaRoundAsync($"users/{Dave}/contacts/delta")).DeltaLink);
            viewDeltaLink = BelowGraphRoot((await scope.DeltaRoundAsync($"users/{Dave}/calendarView/delta?{window}")).DeltaLink);
            before = await ReadEverythingAsync(scope, window);
            etagsBefore = before.Values.Select(v => JsonNode.Parse(v)!["@odata.etag"]?.GetValue<string>()).OfType<string>().ToHashSet(StringComparer.Ordinal);
        }

        Assert.True(File.Exists(DataFile));
        Assert.Contains("\"Graph\"", await File.ReadAllTextAsync(DataFile), StringComparison.Ordinal);

        await using (var scope = await StartAsync())
        {
            // Same items, same ids, same etags and timestamps, rendered identically (occurrences and exceptions of the series too).
            var after = await ReadEverythingAsync(scope, window);
            Assert.Equal(before.Keys.Order(StringComparer.Ordinal), after.Keys.Order(StringComparer.Ordinal));
            foreach (var (key, json) in before)
            {
                Assert.Equal(json, after[key]);
            }

            // Tokens of the previous process are unknown: 410, and a new round lists everything.
            var oldContacts = await scope.GetAsync(contactsDeltaLink);
            Assert.Equal(HttpStatusCode.Gone, oldContacts.Status);
            Assert.Equal("syncStateNotFound", oldContacts.ErrorCode);
            var oldView = await scope.GetAsync(viewDeltaLink);
            Assert.Equal(HttpStatusCode.Gone, oldView.Status);
            Assert.Equal("syncStateNotFound", oldView.ErrorCode);
            var (contacts, newContactsLink, _) = await scope.DeltaRoundAsync($"users/{Dave}/contacts/delta");
            Assert.Equal(before.Keys.Count(k => k.StartsWith("contact ", StringComparison.Ordinal)), contacts.Count);

            // A retried create with a transactionId from before the restart is still recognised.
            var retried = (await scope.PostAsync($"users/{Dave}/events", WithTransaction(GraphScope.Event("Booked by a client", "2026-03-02T09:00:00", "2026-03-02T10:00:00"), "tx-before-restart")))
                .AssertStatus(HttpStatusCode.Created);
            Assert.Equal(transactionEventId, retried.Id);

            // Changes after the restart: a fresh change key (never one used before), seen by the new delta token.
            var rita = contacts.Single(c => c["surname"]?.GetValue<string>() == "Restart");
            var patched = (await scope.PatchAsync($"users/{Dave}/contacts/{rita["id"]!.GetValue<string>()}", new JsonObject { ["jobTitle"] = "Changed after restart" })).AssertStatus(HttpStatusCode.OK);
            Assert.DoesNotContain(patched.ETag, etagsBefore);
            var created = (await scope.PostAsync($"users/{Dave}/contacts", new JsonObject { ["givenName"] = "Nina", ["surname"] = "New" })).AssertStatus(HttpStatusCode.Created);
            Assert.DoesNotContain(created.ETag, etagsBefore);
            Assert.DoesNotContain(before.Keys, k => k.EndsWith(created.Id, StringComparison.Ordinal));
            var (changes, _, _) = await scope.DeltaRoundAsync(newContactsLink);
            Assert.Equal(2, changes.Count);
            Assert.Contains(changes, c => c["jobTitle"]?.GetValue<string>() == "Changed after restart");
            Assert.Contains(changes, c => c["id"]!.GetValue<string>() == created.Id);
        }

        // What changed after the restart is kept by the next stop too.
        await using (var scope = await StartAsync())
        {
            var contacts = (await scope.GetAsync($"users/{Dave}/contacts?$top=100")).AssertStatus(HttpStatusCode.OK).Values;
            Assert.Contains(contacts, c => c["jobTitle"]?.GetValue<string>() == "Changed after restart");
            Assert.Contains(contacts, c => c["surname"]?.GetValue<string>() == "New");
        }
    }

    [Fact]
    public async Task DataFileWithoutGraphSection_SeedsTheTenant_AndKeepsTheEwsMailboxes()
    {
        await using (var scope = await StartAsync())
        {
            scope.Emulator.Mailbox("alice@contoso.com");
        }

        var saved = JsonNode.Parse(await File.ReadAllTextAsync(DataFile))!.AsObject();
        Assert.True(saved.Remove("Graph"));
        var ewsMailboxes = saved["Mailboxes"]!.AsArray().Count;
        await File.WriteAllTextAsync(DataFile, saved.ToJsonString());

        await using (var scope = await StartAsync())
        {
            var dave = scope.Emulator.GraphMailbox(Dave);
            Assert.True(dave.Count("calendar") > 0, "the demo seed ran for the Graph tenant");
            Assert.Equal(1, dave.Count("contacts"));
            Assert.NotEmpty(scope.Emulator.Mailbox("alice@contoso.com").Items("calendar"));
        }

        Assert.Equal(ewsMailboxes, JsonNode.Parse(await File.ReadAllTextAsync(DataFile))!["Mailboxes"]!.AsArray().Count);
        Assert.NotNull(JsonNode.Parse(await File.ReadAllTextAsync(DataFile))!["Graph"]);
    }

    private Task<GraphScope> StartAsync() => GraphScope.StartAsync(o =>
    {
        o.Seed = "demo";
        o.DataFile = DataFile;
    });

    /// <summary>A calendarView window around today that holds the demo seed's week and series.</summary>
    private static string CalendarWindow()
    {
        var today = DateTime.UtcNow.Date;
        string Utc(DateTime t) => t.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        return $"startDateTime={Utc(today.AddDays(-400))}&endDateTime={Utc(today.AddDays(400))}";
    }

    /// <summary>The link below /v1.0/ (the restarted emulator listens on another port).</summary>
    private static string BelowGraphRoot(string link) => new Uri(link).PathAndQuery["/v1.0/".Length..];

    private static JsonObject WithTransaction(JsonObject body, string transactionId)
    {
        body["transactionId"] = transactionId;
        return body;
    }

    /// <summary>Every event (masters), calendarView instance, contact, To Do list and task, as JSON text by kind and id.</summary>
    private static async Task<Dictionary<string, string>> ReadEverythingAsync(GraphScope scope, string window)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        async Task Add(string kind, string path)
        {
            var page = (await scope.GetAsync(path)).AssertStatus(HttpStatusCode.OK);
            Assert.Null(page.Body!["@odata.nextLink"]);
            foreach (var value in page.Values)
            {
                result.Add(kind + " " + value["id"]!.GetValue<string>(), value.ToJsonString());
            }
        }

        await Add("event", $"users/{Dave}/events?$top=1000");
        await Add("instance", $"users/{Dave}/calendarView?{window}&$top=1000");
        await Add("contact", $"users/{Dave}/contacts?$top=1000");
        await Add("list", $"users/{Dave}/todo/lists?$top=1000");
        foreach (var list in result.Where(r => r.Key.StartsWith("list ", StringComparison.Ordinal)).Select(r => r.Key["list ".Length..]).ToList())
        {
            await Add("task", $"users/{Dave}/todo/lists/{list}/tasks?$top=1000");
        }

        Assert.Contains(result.Keys, k => k.StartsWith("task ", StringComparison.Ordinal));
        Assert.Contains(result.Values, v => v.Contains("\"type\":\"exception\"", StringComparison.Ordinal));
        return result;
    }
}
