using Connector.Sync.Stores;

namespace Connector.Testing.Conformance;

/// <summary>Create, update and delete: versions, preconditions, never overwriting.</summary>
public abstract partial class ItemStoreConformanceTests<TStore>
{
    [Theory]
    [EachItemKind]
    public virtual async Task Create_NewItem_IsListedWithItsVersion(ItemKind kind)
    {
        if (!Runs(kind))
        {
            return;
        }

        var (store, collection) = await CreateCollectionAsync(kind, Cancellation);
        var created = await CreateItemAsync(store, collection, SampleItem(kind, NewUid("listed")));

        var (items, _) = await FullListingAsync(store, collection);

        Assert.True(items.ContainsKey(created.Id), $"the full listing lacks the created item {created.Id}");
        AssertSameVersion(created.Version, items[created.Id], "listed version");
    }

    [Theory]
    [EachItemKind]
    public virtual async Task Create_NewItem_FetchesAnEqualModel(ItemKind kind)
    {
        if (!Runs(kind))
        {
            return;
        }

        var (store, collection) = await CreateCollectionAsync(kind, Cancellation);
        var item = SampleItem(kind, NewUid("fetch"));
        var created = await CreateItemAsync(store, collection, item);

        var fetched = await FetchFoundAsync(store, collection, created.Id);

        AssertSameItem(item, fetched.Item);
        AssertSameVersion(created.Version, fetched.Version, "fetched version");
    }

    [Theory]
    [EachItemKind]
    public virtual async Task Create_SameUidTwice_NeverOverwrites(ItemKind kind)
    {
        if (!Runs(kind))
        {
            return;
        }

        var (store, collection) = await CreateCollectionAsync(kind, Cancellation);
        var uid = NewUid("twice");
        var first = SampleItem(kind, uid, revision: 1);
        var created = await CreateItemAsync(store, collection, first);

        var second = await store.CreateAsync(collection, SampleItem(kind, uid, revision: 2), Cancellation);

        if (EnforcesUidUniqueness || !second.IsSuccess)
        {
            Assert.True(
                second.Status is WriteStatus.AlreadyExists or WriteStatus.Rejected,
                $"a second create with UID {uid} must be refused, was {second.Status} {second.Reason}");
        }
        else
        {
            Assert.NotEqual(created.Id, second.Id);
        }

        var kept = await FetchFoundAsync(store, collection, created.Id);
        AssertSameItem(first, kept.Item);
        AssertSameVersion(created.Version, kept.Version, "version of the first item after the second create");
    }

    [Theory]
    [EachItemKind]
    public virtual async Task Update_WithCurrentVersion_ChangesContentAndVersion(ItemKind kind)
    {
        if (!Runs(kind))
        {
            return;
        }

        var (store, collection) = await CreateCollectionAsync(kind, Cancellation);
        var uid = NewUid("update");
        var created = await CreateItemAsync(store, collection, SampleItem(kind, uid, revision: 1));
        var changed = SampleItem(kind, uid, revision: 2);

        var updated = await UpdateItemAsync(store, collection, created, changed);

        Assert.Equal(created.Id, updated.Id);
        Assert.NotEqual(created.Version, updated.Version);
        var fetched = await FetchFoundAsync(store, collection, created.Id);
        AssertSameItem(changed, fetched.Item);
        AssertSameVersion(updated.Version, fetched.Version, "fetched version after update");
    }

    [Theory]
    [EachItemKind]
    public virtual async Task Update_WithStaleVersion_PreconditionFailedAndItemKept(ItemKind kind)
    {
        if (!Runs(kind))
        {
            return;
        }

        var (store, collection) = await CreateCollectionAsync(kind, Cancellation);
        var uid = NewUid("stale-update");
        var created = await CreateItemAsync(store, collection, SampleItem(kind, uid, revision: 1));
        var current = SampleItem(kind, uid, revision: 2);
        var updated = await UpdateItemAsync(store, collection, created, current);

        var stale = await store.UpdateAsync(collection, created.Id, created.Version, SampleItem(kind, uid, revision: 3), Cancellation);

        Assert.Equal(WriteStatus.PreconditionFailed, stale.Status);
        var fetched = await FetchFoundAsync(store, collection, created.Id);
        AssertSameItem(current, fetched.Item);
        AssertSameVersion(updated.Version, fetched.Version, "version after the refused update");
    }

    [Theory]
    [EachItemKind]
    public virtual async Task Update_DeletedItem_NotFoundOrPreconditionFailed(ItemKind kind)
    {
        if (!Runs(kind))
        {
            return;
        }

        var (store, collection) = await CreateCollectionAsync(kind, Cancellation);
        var uid = NewUid("update-gone");
        var created = await CreateItemAsync(store, collection, SampleItem(kind, uid));
        Assert.True((await store.DeleteAsync(collection, created.Id, created.Version, Cancellation)).IsSuccess);

        var result = await store.UpdateAsync(collection, created.Id, created.Version, SampleItem(kind, uid, revision: 2), Cancellation);

        Assert.True(
            result.Status is WriteStatus.NotFound or WriteStatus.PreconditionFailed,
            $"updating a deleted item must fail (and never recreate it), was {result.Status}");
        Assert.Equal(FetchStatus.NotFound, (await FetchOneAsync(store, collection, created.Id)).Status);
    }

    [Theory]
    [EachItemKind]
    public virtual async Task Delete_WithStaleVersion_PreconditionFailedAndItemKept(ItemKind kind)
    {
        if (!Runs(kind))
        {
            return;
        }

        var (store, collection) = await CreateCollectionAsync(kind, Cancellation);
        var uid = NewUid("stale-delete");
        var created = await CreateItemAsync(store, collection, SampleItem(kind, uid, revision: 1));
        var current = SampleItem(kind, uid, revision: 2);
        var updated = await UpdateItemAsync(store, collection, created, current);

        var stale = await store.DeleteAsync(collection, created.Id, created.Version, Cancellation);

        Assert.Equal(WriteStatus.PreconditionFailed, stale.Status);
        var fetched = await FetchFoundAsync(store, collection, created.Id);
        AssertSameItem(current, fetched.Item);
        AssertSameVersion(updated.Version, fetched.Version, "version after the refused delete");
    }

    [Theory]
    [EachItemKind]
    public virtual async Task Delete_WithCurrentVersion_ItemIsGone(ItemKind kind)
    {
        if (!Runs(kind))
        {
            return;
        }

        var (store, collection) = await CreateCollectionAsync(kind, Cancellation);
        var kept = await CreateItemAsync(store, collection, SampleItem(kind, NewUid("kept")));
        var doomed = await CreateItemAsync(store, collection, SampleItem(kind, NewUid("deleted")));
        var (_, token) = await FullListingAsync(store, collection);

        var result = await store.DeleteAsync(collection, doomed.Id, doomed.Version, Cancellation);

        Assert.True(result.IsSuccess, $"delete failed: {result.Status} {result.Reason}");
        Assert.Equal(FetchStatus.NotFound, (await FetchOneAsync(store, collection, doomed.Id)).Status);
        var (items, _) = await FullListingAsync(store, collection);
        Assert.False(items.ContainsKey(doomed.Id), "a deleted item is still listed");
        Assert.True(items.ContainsKey(kept.Id), "deleting one item lost another");

        if (store.Capabilities.IncrementalChanges)
        {
            var feed = await ReadFeedAsync(store, collection, token);
            Assert.Equal(ChangeFeedStatus.Changes, feed.Status);
            var change = Assert.Single(LastChangePerId(feed.Changes)).Value;
            Assert.Equal(ChangeKind.Deleted, change.Kind);
            Assert.Equal(doomed.Id, change.Id);
        }
    }
}
