using Connector.Stores.Ews.Operations;
using Connector.Sync.Stores;

namespace Connector.Stores.Ews.Tests;

public sealed class EwsDeleteItemOperationTests
{
    [Fact]
    public async Task DeleteItem_MeetingAndGoneItem_PerItemResultsAndNoCancellations()
    {
        await using var scope = await EwsEmulatorScope.StartAsync();
        var calendar = await scope.FolderAsync("calendar");
        var ids = await scope.ListAsync(calendar);
        scope.Emulator.ClearOutbox();

        // The demo series has attendees: with SendToNone, deleting it sends nothing (S01).
        var first = await scope.Connect().SendAsync(new DeleteItemOperation(ids), CancellationToken.None);
        Assert.All(first, r => Assert.Equal(WriteStatus.Success, r.Status));
        Assert.Equal(ids.Select(i => i.Id), first.Select(r => r.Id));
        Assert.Empty(scope.Emulator.Outbox(EwsEmulatorScope.Alice));
        Assert.Empty(await scope.ListAsync(calendar));

        // Moved to Deleted Items: the old ids are gone.
        var again = await scope.Connect().SendAsync(new DeleteItemOperation([ids[0]]), CancellationToken.None);
        Assert.Equal(WriteStatus.NotFound, Assert.Single(again).Status);
    }
}
