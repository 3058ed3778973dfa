using System.Text.RegularExpressions;
using Connector.Domain;
using Connector.Emulator;
using Connector.Host.Commands;
using Connector.Stores.Ews;
using Connector.Sync.Stores;

namespace Connector.Host.Tests.Commands;

/// <summary>
/// `connector demo`: the first run copies the emulator's demo mailboxes into vdir folders; an .ics
/// edited between runs reaches the emulator's Exchange on the second run (the emulator keeps its
/// mailboxes in the data folder); a third run has nothing to do.
/// </summary>
public sealed class DemoCommandTests : IDisposable
{
    private readonly string data = Directory.CreateTempSubdirectory("connector-demo-").FullName;

    public void Dispose() => Directory.Delete(data, recursive: true);

    [Fact]
    public async Task Demo_Twice_AnEditedIcsReachesExchange_AndAThirdRunHasNothingToDo()
    {
        var (exit, output, error) = await CliRunner.RunAsync("demo", "--data", data);

        Assert.True(exit == ExitCodes.Success, error + output);
        Assert.Contains("alice (alice@contoso.com):", output, StringComparison.Ordinal);
        Assert.Contains("bob (bob@contoso.com):", output, StringComparison.Ordinal);
        Assert.Matches(new Regex(@"calendar +to Nextcloud: [1-9]\d* created, 0 updated, 0 deleted; to Exchange: 0 created, 0 updated, 0 deleted"), output);
        Assert.True(File.Exists(Path.Combine(data, "exchange.json")));

        var file = Directory.EnumerateFiles(Path.Combine(data, "nextcloud", "alice"), "*.ics", SearchOption.AllDirectories)
            .Single(f => File.ReadAllText(f).Contains("SUMMARY:Call with Seattle office", StringComparison.Ordinal));
        File.WriteAllText(file, File.ReadAllText(file).Replace("SUMMARY:Call with Seattle office", "SUMMARY:Call with Seattle office (moved)", StringComparison.Ordinal));

        (exit, output, error) = await CliRunner.RunAsync("demo", "--data", data);

        Assert.True(exit == ExitCodes.Success, error + output);
        Assert.Contains("to Exchange: 0 created, 1 updated, 0 deleted", output, StringComparison.Ordinal);
        await using (var emulator = await ExchangeEmulator.StartAsync(new EmulatorOptions { Port = 0, Seed = "demo", DataFile = Path.Combine(data, "exchange.json") }))
        {
            var ews = new EwsItemStore(new HttpClient(), new EwsStoreOptions { EwsUrl = emulator.EwsUri, UserName = "svc-sync", Password = "Passw0rd!", Mailbox = "alice@contoso.com" });
            var calendar = (await ews.DiscoverCollectionsAsync(ItemKind.Event, CancellationToken.None)).Single();
            var listing = await ews.GetChangesAsync(calendar, null, CancellationToken.None);
            var items = await ews.FetchAsync(calendar, [.. listing.Changes.Select(c => c.Id)], CancellationToken.None);
            Assert.Contains(items, i => i.Item?.Item is CalendarEvent { Summary: "Call with Seattle office (moved)" });
            Assert.DoesNotContain(items, i => i.Item?.Item is CalendarEvent { Summary: "Call with Seattle office" });
        }

        (exit, output, error) = await CliRunner.RunAsync("demo", "--data", data);

        Assert.True(exit == ExitCodes.Success, error + output);
        var counts = output.Split('\n').Where(l => l.Contains("to Nextcloud:", StringComparison.Ordinal)).ToList();
        Assert.Equal(9, counts.Count); // three users × calendar, contacts, tasks
        Assert.All(counts, l => Assert.EndsWith("to Nextcloud: 0 created, 0 updated, 0 deleted; to Exchange: 0 created, 0 updated, 0 deleted", l.TrimEnd(), StringComparison.Ordinal));
    }
}
