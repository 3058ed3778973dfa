using System.Globalization;
using System.Text.Json.Nodes;
using Connector.Emulator.OAuth;

namespace Connector.Emulator.Graph;

/// <summary>
/// Seeds the Microsoft 365 tenant: "demo" adds dave@fabrikam.onmicrosoft.com (a weekly series with
/// a moved and a deleted occurrence, an all-day event, a meeting with an attendee, a contact and a
/// To Do task) and the app identity with bearer token graph-demo-token; "bench" adds N Graph
/// mailboxes user0001@bench.onmicrosoft.com… with M events, contacts and tasks each (deterministic).
/// Items are created through the Graph handlers themselves, so they are shaped like API-created ones.
/// </summary>
internal static class GraphSeeder
{
    public static void AddIdentities(EmulatorOptions options)
    {
        if (!string.Equals(options.Seed, "demo", StringComparison.OrdinalIgnoreCase))
        {
            return;
        }

        if (!options.Graph.Users.Any(u => string.Equals(u.UserPrincipalName, GraphDemoSeed.User, StringComparison.OrdinalIgnoreCase)))
        {
            options.Graph.Users.Add(new GraphEmulatorUser { UserPrincipalName = GraphDemoSeed.User, DisplayName = "Dave Fabrikam" });
        }

        if (!options.Identities.Any(i => string.Equals(i.Name, GraphDemoSeed.AppName, StringComparison.OrdinalIgnoreCase)))
        {
            var app = new EmulatorIdentity { Name = GraphDemoSeed.AppName };
            app.BearerTokens.Add(GraphDemoSeed.BearerToken);
            app.CanImpersonate.Add(GraphDemoSeed.User);
            options.Identities.Add(app);
        }

        if (!options.Applications.Any(a => string.Equals(a.ClientId, GraphDemoSeed.ClientId, StringComparison.OrdinalIgnoreCase)))
        {
            options.Applications.Add(new EmulatorApplication { TenantId = GraphDemoSeed.TenantId, ClientId = GraphDemoSeed.ClientId, ClientSecret = GraphDemoSeed.ClientSecret, Identity = GraphDemoSeed.AppName });
        }
    }

    public static void Seed(GraphTenant tenant, EmulatorOptions options)
    {
        switch (options.Seed.ToLowerInvariant())
        {
            case "demo":
                Demo(tenant);
                break;
            case "bench":
                Bench(tenant, options.BenchUsers, options.BenchItems);
                break;
            default:
                break;
        }
    }

    private static string Local(DateTime time) => time.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture);

    private static JsonObject Zoned(DateTime local, string zone) => new() { ["dateTime"] = Local(local), ["timeZone"] = zone };

    private static void Demo(GraphTenant tenant)
    {
        var dave = tenant.GetOrAdd(GraphDemoSeed.User, "Dave Fabrikam");
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var monday = today.AddDays(-(((int)today.DayOfWeek + 6) % 7));
        DateTime At(int day, int hour, int minute = 0) => monday.AddDays(day).ToDateTime(new TimeOnly(hour, minute));

        // A weekly series (Tuesdays 10:00 W. Europe) with one occurrence moved and retitled, one deleted (S09).
        var series = GraphDirect.Require(dave, "POST", "events", new JsonObject
        {
            ["subject"] = "Weekly planning",
            ["body"] = new JsonObject { ["contentType"] = "text", ["content"] = "Plan the week." },
            ["start"] = Zoned(At(1, 10), "W. Europe Standard Time"),
            ["end"] = Zoned(At(1, 11), "W. Europe Standard Time"),
            ["location"] = new JsonObject { ["displayName"] = "Room Fabrikam" },
            ["recurrence"] = new JsonObject
            {
                ["pattern"] = new JsonObject { ["type"] = "weekly", ["interval"] = 1, ["daysOfWeek"] = new JsonArray("tuesday") },
                ["range"] = new JsonObject { ["type"] = "numbered", ["startDate"] = monday.AddDays(1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), ["numberOfOccurrences"] = 12 },
            },
        });
        var seriesId = series["id"]!.GetValue<string>();
        var window = $"?startDateTime={monday:yyyy-MM-dd}T00:00:00Z&endDateTime={monday.AddDays(7 * 13):yyyy-MM-dd}T00:00:00Z&$top=100";
        var instances = ((JsonArray)GraphDirect.Require(dave, "GET", $"events/{seriesId}/instances{window}")["value"]!).Select(i => i!["id"]!.GetValue<string>()).ToList();
        GraphDirect.Require(dave, "PATCH", $"events/{instances[2]}", new JsonObject
        {
            ["subject"] = "Weekly planning (moved)",
            ["start"] = Zoned(At(7 * 2 + 2, 14), "W. Europe Standard Time"),
            ["end"] = Zoned(At(7 * 2 + 2, 15), "W. Europe Standard Time"),
        });
        GraphDirect.Require(dave, "DELETE", $"events/{instances[4]}");

        // An all-day event over two days.
        GraphDirect.Require(dave, "POST", "events", new JsonObject
        {
            ["subject"] = "Fabrikam offsite",
            ["isAllDay"] = true,
            ["showAs"] = "oof",
            ["start"] = Zoned(monday.AddDays(3).ToDateTime(TimeOnly.MinValue), "W. Europe Standard Time"),
            ["end"] = Zoned(monday.AddDays(5).ToDateTime(TimeOnly.MinValue), "W. Europe Standard Time"),
        });

        GraphDirect.Require(dave, "POST", "contacts", new JsonObject
        {
            ["givenName"] = "Erin",
            ["surname"] = "Fabrikam",
            ["emailAddresses"] = new JsonArray(new JsonObject { ["address"] = "erin@fabrikam.com", ["name"] = "Erin Fabrikam" }),
            ["businessPhones"] = new JsonArray("+1 425 555 0100"),
            ["companyName"] = "Fabrikam",
            ["businessAddress"] = new JsonObject { ["street"] = "1 Fabrikam Way", ["city"] = "Redmond", ["state"] = "WA", ["postalCode"] = "98052", ["countryOrRegion"] = "USA" },
        });

        var tasks = dave.DefaultFolder(GraphFolderKind.TodoList).Id;
        GraphDirect.Require(dave, "POST", $"todo/lists/{tasks}/tasks", new JsonObject
        {
            ["title"] = "Send the offsite agenda",
            ["importance"] = "high",
            ["dueDateTime"] = Zoned(monday.AddDays(2).ToDateTime(TimeOnly.MinValue), "UTC"),
            ["body"] = new JsonObject { ["contentType"] = "text", ["content"] = "Agenda and travel notes." },
        });

        // The invitations the seed "sent" are not part of the demo's story.
        lock (dave.Gate)
        {
            dave.Outbox.Clear();
        }
    }

    private static void Bench(GraphTenant tenant, int users, int items)
    {
        var baseDate = new DateOnly(2026, 1, 5);
        for (var u = 1; u <= users; u++)
        {
            var mailbox = tenant.GetOrAdd(string.Create(CultureInfo.InvariantCulture, $"user{u:D4}@bench.onmicrosoft.com"), string.Create(CultureInfo.InvariantCulture, $"Bench User {u:D4}"));
            var random = new Random(u);
            var list = mailbox.DefaultFolder(GraphFolderKind.TodoList).Id;
            for (var i = 0; i < items; i++)
            {
                var day = baseDate.AddDays(random.Next(0, 120));
                var start = day.ToDateTime(new TimeOnly(8 + random.Next(0, 9), 0));
                var body = (i % 20) switch
                {
                    0 => new JsonObject
                    {
                        ["subject"] = $"Bench series {i}",
                        ["start"] = Zoned(start, "W. Europe Standard Time"),
                        ["end"] = Zoned(start.AddMinutes(30), "W. Europe Standard Time"),
                        ["recurrence"] = new JsonObject
                        {
                            ["pattern"] = new JsonObject { ["type"] = "weekly", ["daysOfWeek"] = new JsonArray(day.DayOfWeek.ToString().ToLowerInvariant()) },
                            ["range"] = new JsonObject { ["type"] = "numbered", ["startDate"] = day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), ["numberOfOccurrences"] = 10 },
                        },
                    },
                    1 => new JsonObject
                    {
                        ["subject"] = $"Bench all-day {i}",
                        ["isAllDay"] = true,
                        ["start"] = Zoned(day.ToDateTime(TimeOnly.MinValue), "W. Europe Standard Time"),
                        ["end"] = Zoned(day.AddDays(1).ToDateTime(TimeOnly.MinValue), "W. Europe Standard Time"),
                    },
                    _ => new JsonObject
                    {
                        ["subject"] = $"Bench event {i}",
                        ["start"] = Zoned(start, "W. Europe Standard Time"),
                        ["end"] = Zoned(start.AddMinutes(30 * (1 + random.Next(0, 4))), "W. Europe Standard Time"),
                        ["location"] = new JsonObject { ["displayName"] = $"Room {random.Next(1, 40)}" },
                    },
                };
                GraphDirect.Require(mailbox, "POST", "events", body);
                GraphDirect.Require(mailbox, "POST", "contacts", new JsonObject
                {
                    ["givenName"] = $"Given{i}",
                    ["surname"] = $"Surname{u}",
                    ["emailAddresses"] = new JsonArray(new JsonObject { ["address"] = $"contact{i}@bench.example" }),
                });
                GraphDirect.Require(mailbox, "POST", $"todo/lists/{list}/tasks", new JsonObject
                {
                    ["title"] = $"Bench task {i}",
                    ["status"] = (i % 3) switch { 0 => "notStarted", 1 => "inProgress", _ => "completed" },
                    ["dueDateTime"] = Zoned(day.ToDateTime(TimeOnly.MinValue), "UTC"),
                });
            }
        }
    }
}
