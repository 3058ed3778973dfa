using System.Globalization;
using System.Xml.Linq;
using Connector.Emulator.Store;
using static Connector.Emulator.Ews.EwsNames;
using static Connector.Emulator.Seeding.SeedXml;

namespace Connector.Emulator.Seeding;

/// <summary>
/// Seeds mailboxes: "demo" (three people with a realistic calendar, contacts and tasks) or
/// "bench" (N generated mailboxes with M items per folder, deterministic for given N and M).
/// </summary>
internal static class Seeder
{
    public const string DemoPassword = "demo";
    public const string DemoServicePassword = "Passw0rd!";
    public const string DemoToken = "demo-token";

    /// <summary>Adds the seed's identities when none are configured (before the emulator reads them).</summary>
    public static void AddIdentities(EmulatorOptions options)
    {
        switch (options.Seed.ToLowerInvariant())
        {
            case "demo":
                AddDemoIdentities(options);
                break;
            case "bench":
                AddBenchIdentities(options);
                break;
            default:
                break;
        }

        // After the EWS identities: those are only added when none are configured.
        Graph.GraphSeeder.AddIdentities(options);
    }

    public static void Seed(EmulatorStore store, EmulatorOptions options)
    {
        switch (options.Seed.ToLowerInvariant())
        {
            case "" or "none":
                return;
            case "demo":
                Demo(store);
                return;
            case "bench":
                Bench(store, options.BenchUsers, options.BenchItems);
                return;
            default:
                throw new ArgumentException($"unknown seed '{options.Seed}' (none, demo, bench)", nameof(options));
        }
    }

    private static void AddDemoIdentities(EmulatorOptions options)
    {
        foreach (var (smtp, name) in new[] { ("alice@contoso.com", "Alice Wonder"), ("bob@contoso.com", "Bob Builder"), ("carol@contoso.com", "Carol Singer") })
        {
            if (!options.Mailboxes.Any(m => string.Equals(m.SmtpAddress, smtp, StringComparison.OrdinalIgnoreCase)))
            {
                options.Mailboxes.Add(new EmulatorMailbox { SmtpAddress = smtp, DisplayName = name });
            }
        }

        if (options.Identities.Count > 0)
        {
            return;
        }

        var service = new EmulatorIdentity { Name = "svc-sync", Password = DemoServicePassword };
        service.BearerTokens.Add(DemoToken);
        service.CanImpersonate.Add("*");
        options.Identities.Add(service);
        foreach (var user in new[] { "alice@contoso.com", "bob@contoso.com", "carol@contoso.com" })
        {
            options.Identities.Add(new EmulatorIdentity { Name = user, Password = DemoPassword, Mailbox = user });
        }
    }

    private static void AddBenchIdentities(EmulatorOptions options)
    {
        if (options.Identities.Count > 0)
        {
            return;
        }

        var service = new EmulatorIdentity { Name = "bench-svc", Password = "bench" };
        service.BearerTokens.Add("bench-token");
        service.CanImpersonate.Add("*");
        options.Identities.Add(service);
    }

    /// <summary>Monday of the current week (UTC): the demo is about "this week" whenever it runs.</summary>
    private static DateOnly ThisMonday()
    {
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        return today.AddDays(-(((int)today.DayOfWeek + 6) % 7));
    }

    private static void Demo(EmulatorStore store)
    {
        var alice = new EmulatorMailboxHandle(store.GetOrAdd("alice@contoso.com", "Alice Wonder"));
        var bob = new EmulatorMailboxHandle(store.GetOrAdd("bob@contoso.com", "Bob Builder"));
        store.GetOrAdd("carol@contoso.com", "Carol Singer");
        var monday = ThisMonday();
        DateTime At(int day, int hour, int minute = 0) => monday.AddDays(day).ToDateTime(new TimeOnly(hour, minute));

        // A weekly series in W. Europe Standard Time with one deleted and two modified occurrences (S09).
        var standup = alice.CreateItem("calendar", Event(
            "Team stand-up",
            At(0, 9),
            At(0, 9, 15),
            "W. Europe Standard Time",
            new XElement(T + "UID", "demo-standup-0001@contoso.com"),
            new XElement(T + "Location", "Room Amsterdam"),
            Attendees("RequiredAttendees", "bob@contoso.com", "carol@contoso.com"),
            Weekly("Monday Wednesday Friday", monday, count: 24),
            Body("Text", "Daily sync of the team.")));
        alice.DeleteOccurrence(standup.ItemId, 3);
        alice.ModifyOccurrence(standup.ItemId, 5, new XElement(T + "Subject", "Team stand-up (moved)"), new XElement(T + "Start", Local(At(9, 10, 30))), new XElement(T + "End", Local(At(9, 10, 45))));
        alice.ModifyOccurrence(standup.ItemId, 8, new XElement(T + "Location", "Room Berlin"));

        // All-day events: one day, and three days.
        alice.CreateItem("calendar", Event("Company holiday", At(3, 0), At(4, 0), "W. Europe Standard Time", new XElement(T + "IsAllDayEvent", "true"), new XElement(T + "LegacyFreeBusyStatus", "OOF")));
        alice.CreateItem("calendar", Event("Conference", At(14, 0), At(17, 0), "W. Europe Standard Time", new XElement(T + "IsAllDayEvent", "true"), new XElement(T + "Location", "Lisbon"), Categories("Travel")));

        // An event in Pacific time.
        alice.CreateItem("calendar", Event("Call with Seattle office", At(1, 8), At(1, 9), "Pacific Standard Time", new XElement(T + "Location", "Teams")));

        // A private appointment with an HTML body, categories and a 30-minute reminder.
        alice.CreateItem("calendar", Event(
            "Dentist",
            At(2, 16),
            At(2, 17),
            "W. Europe Standard Time",
            new XElement(T + "Sensitivity", "Private"),
            Body("HTML", "<html><body><p>Bring the <b>insurance card</b>.</p></body></html>"),
            Categories("Personal", "Health"),
            new XElement(T + "ReminderIsSet", "true"),
            new XElement(T + "ReminderMinutesBeforeStart", "30")));

        // A meeting Bob organized: in Bob's calendar (sent) and Alice's (received, accepted).
        var review = Event("Architecture review", At(4, 14), At(4, 15, 30), "W. Europe Standard Time", new XElement(T + "UID", "demo-review-0001@contoso.com"), Attendees("RequiredAttendees", "alice@contoso.com"), Attendees("OptionalAttendees", "carol@contoso.com"));
        bob.CreateItem("calendar", review);
        alice.CreateItem("calendar", new XElement(review), organizerEmail: "bob@contoso.com", organizerName: "Bob Builder", myResponseType: "Accept");
        bob.CreateItem("calendar", Event("Focus time", At(1, 13), At(1, 15), "W. Europe Standard Time", new XElement(T + "LegacyFreeBusyStatus", "Tentative")));

        // Contacts with several e-mail addresses, phone numbers and postal addresses.
        alice.CreateItem("contacts", Contact(
            "Jan",
            "de Vries",
            "Fabrikam B.V.",
            "Purchasing manager",
            ["jan.devries@fabrikam.example", "jan@devries.example"],
            [("BusinessPhone", "+31 20 555 0100"), ("MobilePhone", "+31 6 5555 0101"), ("HomePhone", "+31 20 555 0102"), ("BusinessFax", "+31 20 555 0103")],
            [("Business", "Herengracht 100", "Amsterdam", null, "Netherlands", "1015 BS"), ("Home", "Prinsengracht 200", "Amsterdam", null, "Netherlands", "1016 HE")],
            new DateOnly(1980, 5, 12),
            "Met at the 2024 trade fair.",
            "Customers"));
        alice.CreateItem("contacts", Contact(
            "María",
            "García",
            "Northwind Traders",
            "Engineer",
            ["maria.garcia@northwind.example", "mgarcia@example.org", "maria@garcia.example"],
            [("MobilePhone", "+34 600 555 123"), ("BusinessPhone", "+34 91 555 0199"), ("OtherTelephone", "+34 91 555 0198")],
            [("Other", "Calle Mayor 1", "Madrid", "Madrid", "Spain", "28013")]));
        alice.CreateItem("contacts", Contact("Support", "Contoso", "Contoso Ltd.", null, ["support@contoso.example"], [("CompanyMainPhone", "+1 425 555 0100")], []));
        bob.CreateItem("contacts", Contact("Alice", "Wonder", "Contoso Ltd.", "Team lead", ["alice@contoso.com"], [("BusinessPhone", "+49 30 555 0111")], []));

        // Tasks, including a recurring one.
        var due = monday.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
        alice.CreateItem("tasks", Task("Prepare quarterly report", "NotStarted", due: due.AddDays(4), importance: "High", body: "Numbers from finance first."));
        alice.CreateItem("tasks", Task("Review pull requests", "InProgress", start: due, due: due.AddDays(2), percent: 50));
        alice.CreateItem("tasks", Task("Renew passport", "Completed", due: due.AddDays(-7)));
        alice.CreateItem("tasks", Task("Water the plants", "NotStarted", start: due.AddDays(5), due: due.AddDays(5), recurrence: new XElement(
            T + "Recurrence",
            new XElement(T + "WeeklyRecurrence", new XElement(T + "Interval", "1"), new XElement(T + "DaysOfWeek", "Saturday")),
            Range(monday.AddDays(5), null, null))));
    }

    private static void Bench(EmulatorStore store, int users, int items)
    {
        var baseDate = new DateOnly(2026, 1, 5);
        for (var u = 1; u <= users; u++)
        {
            var smtp = string.Create(CultureInfo.InvariantCulture, $"user{u:D4}@bench.example");
            var mailbox = new EmulatorMailboxHandle(store.GetOrAdd(smtp, string.Create(CultureInfo.InvariantCulture, $"Bench User {u:D4}")));
            var random = new Random(1000 + u);
            for (var i = 0; i < items; i++)
            {
                var day = baseDate.AddDays(random.Next(0, 120));
                var start = day.ToDateTime(new TimeOnly(7 + random.Next(0, 10), random.Next(0, 4) * 15));
                var uid = new XElement(T + "UID", string.Create(CultureInfo.InvariantCulture, $"bench-{u:D4}-{i:D6}@bench.example"));
                var kind = random.Next(0, 20);
                var element = kind switch
                {
                    0 => Event($"Bench series {i}", start, start.AddMinutes(30), "W. Europe Standard Time", uid, Weekly(day.DayOfWeek.ToString(), day, count: 10)),
                    1 => Event($"Bench all-day {i}", day.ToDateTime(TimeOnly.MinValue), day.AddDays(1).ToDateTime(TimeOnly.MinValue), "W. Europe Standard Time", uid, new XElement(T + "IsAllDayEvent", "true")),
                    _ => Event($"Bench event {i}", start, start.AddMinutes(30 * (1 + random.Next(0, 4))), "W. Europe Standard Time", uid, new XElement(T + "Location", $"Room {random.Next(1, 40)}")),
                };
                mailbox.CreateItem("calendar", element);
                mailbox.CreateItem("contacts", Contact(
                    $"Given{i}",
                    $"Surname{u}x{i}",
                    $"Company {random.Next(1, 50)}",
                    null,
                    [string.Create(CultureInfo.InvariantCulture, $"contact{i}.u{u}@bench.example")],
                    [("BusinessPhone", string.Create(CultureInfo.InvariantCulture, $"+1 555 {random.Next(1000, 9999)}"))],
                    []));
                mailbox.CreateItem("tasks", Task($"Bench task {i}", (i % 3) switch { 0 => "NotStarted", 1 => "InProgress", _ => "Completed" }, due: day.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc), percent: (i % 3) == 1 ? 25 : null));
            }
        }
    }
}
