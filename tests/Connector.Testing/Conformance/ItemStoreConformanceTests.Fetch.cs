using Connector.Sync.Stores;

namespace Connector.Testing.Conformance;

/// <summary>Batch fetches, bad data (S21) and unsafe UIDs (S22).</summary>
public abstract partial class ItemStoreConformanceTests<TStore>
{
    /// <summary>A UID of 200 characters with every kind of character that is unsafe in a path or URL (S22).</summary>
    protected static string UnsafeUid(string distinct)
    {
        var start = $"s22/{distinct}/a?b#c d%20e+f&g=h:i\\j'k\"l<m>n|o*p;ü€😀-";
        return start + new string('x', 200 - start.Length);
    }

    [Theory]
    [EachItemKind]
    public virtual async Task Fetch_ManyIds_OneResultPerIdInOrder(ItemKind kind)
    {
        if (!Runs(kind))
        {
            return;
        }

        var (store, collection) = await CreateCollectionAsync(kind, Cancellation);
        var items = Enumerable.Range(1, 3).Select(i => SampleItem(kind, NewUid($"batch{i}"))).ToList();
        var stored = new List<StoredVersion>();
        foreach (var item in items)
        {
            stored.Add(await CreateItemAsync(store, collection, item));
        }

        var gone = await CreateItemAsync(store, collection, SampleItem(kind, NewUid("batch-gone")));
        Assert.True((await store.DeleteAsync(collection, gone.Id, gone.Version, Cancellation)).IsSuccess);

        string[] ids = [stored[2].Id, gone.Id, stored[0].Id, stored[1].Id];
        var results = await store.FetchAsync(collection, ids, Cancellation);

        Assert.Equal(ids, results.Select(r => r.Id));
        Assert.Equal([FetchStatus.Found, FetchStatus.NotFound, FetchStatus.Found, FetchStatus.Found], results.Select(r => r.Status));
        AssertSameItem(items[2], results[0].Item!.Item);
        AssertSameItem(items[0], results[2].Item!.Item);
        AssertSameItem(items[1], results[3].Item!.Item);
        AssertSameVersion(stored[2].Version, results[0].Item!.Version, "version in a batch fetch");
    }

    [Theory]
    [EachItemKind]
    public virtual async Task Fetch_NoIds_NoResults(ItemKind kind)
    {
        if (!Runs(kind))
        {
            return;
        }

        var (store, collection) = await CreateCollectionAsync(kind, Cancellation);

        Assert.Empty(await store.FetchAsync(collection, [], Cancellation));
    }

    [Theory]
    [EachItemKind]
    public virtual async Task S22_Create_UnsafeUid_RoundTrips(ItemKind kind)
    {
        if (!Runs(kind))
        {
            return;
        }

        var (store, collection) = await CreateCollectionAsync(kind, Cancellation);
        var item = SampleItem(kind, UnsafeUid(Guid.NewGuid().ToString("N")[..8]));
        Assert.Equal(200, item.Uid.Length);

        var created = await CreateItemAsync(store, collection, item);

        var fetched = await FetchFoundAsync(store, collection, created.Id);
        Assert.Equal(item.Uid, fetched.Item.Uid);
        AssertSameItem(item, fetched.Item);
        var (listed, _) = await FullListingAsync(store, collection);
        Assert.True(listed.ContainsKey(created.Id), "the item with an unsafe UID is not listed under its id");
        Assert.Equal(WriteStatus.Success, (await store.DeleteAsync(collection, created.Id, fetched.Version, Cancellation)).Status);
    }

    [Theory]
    [EachItemKind]
    public virtual async Task S22_Create_LongUidsSharingAPrefix_StayDistinct(ItemKind kind)
    {
        if (!Runs(kind))
        {
            return;
        }

        var (store, collection) = await CreateCollectionAsync(kind, Cancellation);
        var prefix = UnsafeUid(Guid.NewGuid().ToString("N")[..8])[..195];
        var first = SampleItem(kind, prefix + "first");
        var second = SampleItem(kind, prefix + "other");

        var a = await CreateItemAsync(store, collection, first);
        var b = await CreateItemAsync(store, collection, second);

        Assert.NotEqual(a.Id, b.Id);
        AssertSameItem(first, (await FetchFoundAsync(store, collection, a.Id)).Item);
        AssertSameItem(second, (await FetchFoundAsync(store, collection, b.Id)).Item);
    }

    [Theory]
    [EachItemKind]
    public virtual async Task S21_Fetch_UnreadableItem_IsUnreadableWithReasonAndOthersFetch(ItemKind kind)
    {
        if (!Runs(kind) || !CanPlantRawItems)
        {
            return;
        }

        var (store, collection) = await CreateCollectionAsync(kind, Cancellation);
        var good = SampleItem(kind, NewUid("good"));
        var stored = await CreateItemAsync(store, collection, good);
        var brokenUid = NewUid("broken");
        var brokenId = await PlantRawAsync(store, collection, brokenUid, UnreadableContent(kind, brokenUid), Cancellation);

        var (listed, _) = await FullListingAsync(store, collection);
        var results = await store.FetchAsync(collection, [stored.Id, brokenId], Cancellation);

        // Listed with a version, so the engine can report it and retry it when it changes.
        Assert.True(listed.ContainsKey(brokenId), $"the unreadable item {brokenId} is not listed");
        Assert.False(string.IsNullOrEmpty(listed[brokenId]), "the unreadable item is listed without a version");
        Assert.Equal(FetchStatus.Found, results[0].Status);
        AssertSameItem(good, results[0].Item!.Item);
        Assert.Equal(brokenId, results[1].Id);
        Assert.Equal(FetchStatus.Unreadable, results[1].Status);
        Assert.False(string.IsNullOrWhiteSpace(results[1].Reason), "an unreadable item must say why");
    }
}
