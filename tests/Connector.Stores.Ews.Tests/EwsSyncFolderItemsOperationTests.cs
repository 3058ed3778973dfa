using Connector.Stores.Ews.Operations;

namespace Connector.Stores.Ews.Tests;

public sealed class EwsSyncFolderItemsOperationTests
{
    [Fact]
    public async Task SyncFolderItems_PageSizeTwo_PagesThroughDemoCalendar()
    {
        await using var scope = await EwsEmulatorScope.StartAsync();
        var connection = scope.Connect();
        var calendar = EwsFolderRef.Distinguished(EwsFolderRef.Calendar);
        var pages = new List<SyncFolderItemsResult>();
        string? state = null;
        do
        {
            var page = await connection.SendAsync(new SyncFolderItemsOperation(calendar, state, maxChangesReturned: 2), CancellationToken.None);
            Assert.Equal(SyncFolderItemsStatus.Changes, page.Status);
            Assert.InRange(page.Changes.Count, 0, 2);
            pages.Add(page);
            state = page.SyncState;
        }
        while (!pages[^1].IncludesLastItemInRange && pages.Count < 50);

        Assert.True(pages.Count >= 3, $"{pages.Count} pages");
        Assert.All(pages[..^1], p => Assert.False(p.IncludesLastItemInRange));
        Assert.True(pages[^1].IncludesLastItemInRange);
        var changes = pages.SelectMany(p => p.Changes).ToList();
        Assert.All(changes, c =>
        {
            Assert.Equal(EwsChangeType.Create, c.Type);
            Assert.False(string.IsNullOrEmpty(c.ItemId.ChangeKey));
        });
        Assert.Equal(changes.Count, changes.Select(c => c.ItemId.Id).Distinct().Count());
        Assert.True(changes.Count >= 5, $"{changes.Count} items");

        // S22: the state is opaque and long; it comes back whole and works again.
        Assert.True(state!.Length > 500, $"SyncState of {state.Length} characters");
        var again = await connection.SendAsync(new SyncFolderItemsOperation(calendar, state), CancellationToken.None);
        Assert.Empty(again.Changes);
        Assert.True(again.IncludesLastItemInRange);
    }

    [Fact]
    public async Task SyncFolderItems_AfterDelete_ReportsDeleteWithItemId()
    {
        await using var scope = await EwsEmulatorScope.StartAsync();
        var connection = scope.Connect();
        var tasks = EwsFolderRef.Distinguished(EwsFolderRef.Tasks);
        var first = await connection.SendAsync(new SyncFolderItemsOperation(tasks, null), CancellationToken.None);
        Assert.True(first.IncludesLastItemInRange);
        var victim = first.Changes[0].ItemId;

        var deleted = await connection.SendAsync(new DeleteItemOperation([victim]), CancellationToken.None);
        Assert.True(deleted[0].IsSuccess);

        var next = await connection.SendAsync(new SyncFolderItemsOperation(tasks, first.SyncState), CancellationToken.None);
        var change = Assert.Single(next.Changes);
        Assert.Equal(EwsChangeType.Delete, change.Type);
        Assert.Equal(victim.Id, change.ItemId.Id);
    }

    [Theory]
    [InlineData("garbage")]
    [InlineData("H4sIAAAAAAAEAO29B2AcSZYlJi9tynt/SvV")]
    public async Task SyncFolderItems_GarbageSyncState_IsInvalidSyncStateResult(string state)
    {
        await using var scope = await EwsEmulatorScope.StartAsync();
        var result = await scope.Connect().SendAsync(new SyncFolderItemsOperation(EwsFolderRef.Distinguished("calendar"), state), CancellationToken.None);

        Assert.Equal(SyncFolderItemsStatus.InvalidSyncState, result.Status);
        Assert.Null(result.SyncState);
        Assert.Empty(result.Changes);
    }

    [Fact]
    public void SyncFolderItems_PageSizeOutsideSchema_IsRefused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new SyncFolderItemsOperation(EwsFolderRef.Distinguished("calendar"), null, 513));
        Assert.Throws<ArgumentOutOfRangeException>(() => new SyncFolderItemsOperation(EwsFolderRef.Distinguished("calendar"), null, 0));
    }
}
