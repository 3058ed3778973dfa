using System.Text.RegularExpressions;
using Connector.Domain;
using Connector.Emulator;
using Connector.Emulator.Graph;
using Connector.Host.Commands;
using Connector.Stores.Ews;
using Connector.Stores.Graph;
using Connector.Sync.Stores;

namespace Connector.Host.Tests.Commands;

/// <summary>
/// `connector demo`: the first run copies the emulator's demo mailboxes into vdir folders, alice, bob
/// and carol from Exchange Server (EWS), dave from Microsoft 365 (Graph); an .ics edited between runs
/// reaches the emulator's Exchange on the second run, for an EWS and for the Graph user (the emulator
/// keeps both backends' mailboxes in the data folder); a third run has nothing to do; Exchange sends
/// no invitation or update for any of it (S01).
/// </summary>
public sealed class DemoCommandTests : IDisposable
{
    private readonly string data = Directory.CreateTempSubdirectory("connector-demo-").FullName;

    public void Dispose() => Directory.Delete(data, recursive: true);

    [Fact]
    public async Task Demo_Twice_AnEditedIcsReachesExchangeServerAndMicrosoft365_AndAThirdRunHasNothingToDo()
    {
        var (exit, output, error) = await CliRunner.RunAsync("demo", "--data", data);

        Assert.True(exit == ExitCodes.Success, error + output);
        Assert.Contains("alice (alice@contoso.com, Exchange Server over EWS):", output, StringComparison.Ordinal);
        Assert.Contains("bob (bob@contoso.com, Exchange Server over EWS):", output, StringComparison.Ordinal);
        Assert.Contains("dave (dave@fabrikam.onmicrosoft.com, Microsoft 365 over Graph):", output, StringComparison.Ordinal);
        Assert.Matches(new Regex(@"calendar +to Nextcloud: [1-9]\d* created, 0 updated, 0 deleted; to Exchange: 0 created, 0 updated, 0 deleted"), output);
        Assert.Equal(["calendar", "contacts", "tasks"], KindsCreatedInNextcloud(output, "dave"));
        Assert.Contains("Invitations, updates or cancellations Exchange sent because of the sync: 0", output, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(data, "exchange.json")));
        Assert.Contains(Directory.EnumerateFiles(Path.Combine(data, "nextcloud", "dave"), "*.vcf", SearchOption.AllDirectories), f => File.ReadAllText(f).Contains("FN:Erin Fabrikam", StringComparison.Ordinal));

        EditIcs("alice", "SUMMARY:Call with Seattle office", "SUMMARY:Call with Seattle office (moved)");
        EditIcs("dave", "SUMMARY:Fabrikam offsite", "SUMMARY:Fabrikam offsite (in Lisbon)");

        (exit, output, error) = await CliRunner.RunAsync("demo", "--data", data);

        Assert.True(exit == ExitCodes.Success, error + output);
        Assert.Equal("to Exchange: 0 created, 1 updated, 0 deleted", CalendarLine(output, "alice")[^"to Exchange: 0 created, 1 updated, 0 deleted".Length..]);
        Assert.Equal("to Exchange: 0 created, 1 updated, 0 deleted", CalendarLine(output, "dave")[^"to Exchange: 0 created, 1 updated, 0 deleted".Length..]);
        Assert.Contains("Invitations, updates or cancellations Exchange sent because of the sync: 0", output, StringComparison.Ordinal);
        await using (var emulator = await ExchangeEmulator.StartAsync(new EmulatorOptions { Port = 0, Seed = "demo", DataFile = Path.Combine(data, "exchange.json") }))
        {
            var ews = new EwsItemStore(new HttpClient(), new EwsStoreOptions { EwsUrl = emulator.EwsUri, UserName = "svc-sync", Password = "Passw0rd!", Mailbox = "alice@contoso.com" });
            var calendar = (await ews.DiscoverCollectionsAsync(ItemKind.Event, CancellationToken.None)).Single();
            var listing = await ews.GetChangesAsync(calendar, null, CancellationToken.None);
            var items = await ews.FetchAsync(calendar, [.. listing.Changes.Select(c => c.Id)], CancellationToken.None);
            Assert.Contains(items, i => i.Item?.Item is CalendarEvent { Summary: "Call with Seattle office (moved)" });
            Assert.DoesNotContain(items, i => i.Item?.Item is CalendarEvent { Summary: "Call with Seattle office" });

            // dave's edit reached the Microsoft 365 mailbox, through Graph.
            using var graphHttp = new HttpClient();
            graphHttp.DefaultRequestHeaders.Authorization = new("Bearer", GraphDemoSeed.BearerToken);
            var graph = new GraphItemStore(graphHttp, new GraphStoreOptions { BaseUri = emulator.GraphUri, Mailbox = GraphDemoSeed.User, MailboxTimeZone = "Europe/Berlin" });
            var daveCalendar = (await graph.DiscoverCollectionsAsync(ItemKind.Event, CancellationToken.None)).Single();
            var daveListing = await graph.GetChangesAsync(daveCalendar, null, CancellationToken.None);
            var daveItems = await graph.FetchAsync(daveCalendar, [.. daveListing.Changes.Select(c => c.Id)], CancellationToken.None);
            Assert.Contains(daveItems, i => i.Item?.Item is CalendarEvent { Summary: "Fabrikam offsite (in Lisbon)" });
            Assert.DoesNotContain(daveItems, i => i.Item?.Item is CalendarEvent { Summary: "Fabrikam offsite" });
        }

        (exit, output, error) = await CliRunner.RunAsync("demo", "--data", data);

        Assert.True(exit == ExitCodes.Success, error + output);
        var counts = output.Split('\n').Where(l => l.Contains("to Nextcloud:", StringComparison.Ordinal)).ToList();
        Assert.Equal(12, counts.Count); // four users × calendar, contacts, tasks
        Assert.All(counts, l => Assert.EndsWith("to Nextcloud: 0 created, 0 updated, 0 deleted; to Exchange: 0 created, 0 updated, 0 deleted", l.TrimEnd(), StringComparison.Ordinal));
        Assert.Contains("Invitations, updates or cancellations Exchange sent because of the sync: 0", output, StringComparison.Ordinal);
    }

    /// <summary>The user's block of the printout: the header line and the kind lines after it.</summary>
    private static List<string> UserBlock(string output, string userId)
    {
        var lines = output.Split('\n').Select(l => l.TrimEnd()).ToList();
        var header = lines.FindIndex(l => l.StartsWith(userId + " (", StringComparison.Ordinal));
        Assert.True(header >= 0, $"no block for {userId} in: {output}");
        return lines.Skip(header + 1).TakeWhile(l => l.StartsWith("  ", StringComparison.Ordinal)).ToList();
    }

    private static string CalendarLine(string output, string userId) => UserBlock(output, userId).Single(l => l.TrimStart().StartsWith("calendar ", StringComparison.Ordinal));

    private static List<string> KindsCreatedInNextcloud(string output, string userId) =>
        UserBlock(output, userId).Where(l => Regex.IsMatch(l, @"to Nextcloud: [1-9]\d* created")).Select(l => l.Trim().Split(' ')[0]).ToList();

    private void EditIcs(string userId, string text, string replacement)
    {
        var file = Directory.EnumerateFiles(Path.Combine(data, "nextcloud", userId), "*.ics", SearchOption.AllDirectories)
            .Single(f => File.ReadAllText(f).Contains(text + "\r\n", StringComparison.Ordinal) || File.ReadAllText(f).Contains(text + "\n", StringComparison.Ordinal));
        File.WriteAllText(file, File.ReadAllText(file).Replace(text, replacement, StringComparison.Ordinal));
    }
}
