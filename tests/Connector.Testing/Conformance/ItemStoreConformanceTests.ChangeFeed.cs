using Connector.Sync.Stores;

namespace Connector.Testing.Conformance;

/// <summary>The change feed: full listings, incremental changes, and tokens the store cannot use (S05).</summary>
public abstract partial class ItemStoreConformanceTests<TStore>
{
    [Theory]
    [EachItemKind]
    public virtual async Task Changes_NewCollection_FullListingIsEmpty(ItemKind kind)
    {
        if (!Runs(kind))
        {
            return;
        }

        var (store, collection) = await CreateCollectionAsync(kind, Cancellation);

        var (items, _) = await FullListingAsync(store, collection);

        Assert.Empty(items);
    }

    [Theory]
    [EachItemKind]
    public virtual async Task Changes_AfterCreateUpdateDelete_ReportExactlyThose(ItemKind kind)
    {
        if (!Runs(kind))
        {
            return;
        }

        var (store, collection) = await CreateCollectionAsync(kind, Cancellation);
        var untouched = await CreateItemAsync(store, collection, SampleItem(kind, NewUid("untouched")));
        var updateUid = NewUid("updated");
        var toUpdate = await CreateItemAsync(store, collection, SampleItem(kind, updateUid));
        var toDelete = await CreateItemAsync(store, collection, SampleItem(kind, NewUid("deleted")));
        var (_, token) = await FullListingAsync(store, collection);

        var created = await CreateItemAsync(store, collection, SampleItem(kind, NewUid("created")));
        var updated = await UpdateItemAsync(store, collection, toUpdate, SampleItem(kind, updateUid, revision: 2));
        Assert.True((await store.DeleteAsync(collection, toDelete.Id, toDelete.Version, Cancellation)).IsSuccess);
        var feed = await ReadFeedAsync(store, collection, token);

        if (!store.Capabilities.IncrementalChanges)
        {
            // Such a store lists everything on every call; the listing must show the same outcome.
            Assert.Equal(ChangeFeedStatus.FullListing, feed.Status);
            var listed = LastChangePerId(feed.Changes);
            Assert.Equal(new[] { untouched.Id, updated.Id, created.Id }.Order(StringComparer.Ordinal), listed.Keys.Order(StringComparer.Ordinal));
            return;
        }

        Assert.Equal(ChangeFeedStatus.Changes, feed.Status);
        Assert.False(string.IsNullOrEmpty(feed.NewToken), "a change feed must hand out the next token");
        var changes = LastChangePerId(feed.Changes);
        Assert.Equal(new[] { toDelete.Id, updated.Id, created.Id }.Order(StringComparer.Ordinal), changes.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(ChangeKind.Upserted, changes[created.Id].Kind);
        AssertSameVersion(created.Version, changes[created.Id].Version, "version of the created item in the feed");
        Assert.Equal(ChangeKind.Upserted, changes[updated.Id].Kind);
        AssertSameVersion(updated.Version, changes[updated.Id].Version, "version of the updated item in the feed");
        Assert.Equal(ChangeKind.Deleted, changes[toDelete.Id].Kind);

        var next = await ReadFeedAsync(store, collection, feed.NewToken);
        Assert.Equal(ChangeFeedStatus.Changes, next.Status);
        Assert.Empty(next.Changes);
    }

    /// <summary>
    /// An item created after a token and deleted before the feed is read is never reported as
    /// existing: not at all (feeds report net changes) or as deleted. Reporting it as upserted would
    /// make the engine copy an item nobody has any more; and the item created just before the token
    /// and deleted after it must come back as deleted, or its copy on the other side lives forever.
    /// </summary>
    [Theory]
    [EachItemKind]
    public virtual async Task Changes_ItemCreatedAndDeletedBetweenReads_IsNeverReportedAsExisting(ItemKind kind)
    {
        if (!Runs(kind))
        {
            return;
        }

        var (store, collection) = await CreateCollectionAsync(kind, Cancellation);
        var before = await CreateItemAsync(store, collection, SampleItem(kind, NewUid("before")));
        var (listed, token) = await FullListingAsync(store, collection);
        Assert.Contains(before.Id, listed.Keys);

        var ephemeral = await CreateItemAsync(store, collection, SampleItem(kind, NewUid("ephemeral")));
        Assert.True((await store.DeleteAsync(collection, ephemeral.Id, ephemeral.Version, Cancellation)).IsSuccess);
        Assert.True((await store.DeleteAsync(collection, before.Id, before.Version, Cancellation)).IsSuccess);
        var feed = await ReadFeedAsync(store, collection, token);

        var changes = LastChangePerId(feed.Changes);
        Assert.False(changes.TryGetValue(ephemeral.Id, out var e) && e.Kind == ChangeKind.Upserted, "an item created and deleted between two reads was reported as existing");
        if (feed.Status == ChangeFeedStatus.FullListing)
        {
            Assert.DoesNotContain(before.Id, changes.Keys);
        }
        else
        {
            Assert.Equal(ChangeKind.Deleted, Assert.Contains(before.Id, changes).Kind);
        }
    }

    [Theory]
    [EachItemKind]
    public virtual async Task Changes_NothingChanged_EmptyFeed(ItemKind kind)
    {
        if (!Runs(kind))
        {
            return;
        }

        var (store, collection) = await CreateCollectionAsync(kind, Cancellation);
        if (!store.Capabilities.IncrementalChanges)
        {
            return;
        }

        await CreateItemAsync(store, collection, SampleItem(kind, NewUid("quiet")));
        var (_, token) = await FullListingAsync(store, collection);

        var feed = await ReadFeedAsync(store, collection, token);

        Assert.Equal(ChangeFeedStatus.Changes, feed.Status);
        Assert.Empty(feed.Changes);
        Assert.False(string.IsNullOrEmpty(feed.NewToken), "an empty feed still hands out a token");
    }

    [Theory]
    [EachItemKind]
    public virtual async Task S05_Changes_GarbageToken_IsTokenInvalidOrFullListing(ItemKind kind)
    {
        if (!Runs(kind))
        {
            return;
        }

        var (store, collection) = await CreateCollectionAsync(kind, Cancellation);
        var created = await CreateItemAsync(store, collection, SampleItem(kind, NewUid("garbage-token")));
        var (_, realToken) = await FullListingAsync(store, collection);

        string[] garbage =
        [
            "garbage-" + Guid.NewGuid().ToString("N"),
            realToken[..(realToken.Length / 2)],
            realToken + "x",
            "http://example.invalid/sync/1",
        ];
        foreach (var token in garbage)
        {
            var feed = await store.GetChangesAsync(collection, token, Cancellation);

            // Never "no changes": the caller must end up comparing everything (S05).
            Assert.True(
                feed.Status is ChangeFeedStatus.TokenInvalid or ChangeFeedStatus.FullListing,
                $"token '{Shorten(token)}' was accepted ({feed.Status} with {feed.Changes.Count} changes)");
            if (feed.Status == ChangeFeedStatus.FullListing)
            {
                Assert.Contains(feed.Changes, c => c.Id == created.Id);
            }
        }
    }

    private static string Shorten(string token) => token.Length <= 40 ? token : token[..40] + "…";
}
