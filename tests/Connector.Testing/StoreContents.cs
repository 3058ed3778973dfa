using Connector.Domain;
using Connector.Sync.Stores;

namespace Connector.Testing;

/// <summary>What a collection holds right now, read through its store (a full listing, then one fetch).</summary>
public static class StoreContents
{
    public static async Task<List<StoreItem>> ReadAsync(IItemStore store, CollectionInfo collection)
    {
        var listing = new List<ItemChange>();
        string? token = null;
        ChangeFeed feed;
        do
        {
            feed = await store.GetChangesAsync(collection, token, CancellationToken.None);
            listing.AddRange(feed.Changes);
            token = feed.NewToken;
        }
        while (feed.MoreAvailable);

        var ids = listing.Where(c => c.Kind == ChangeKind.Upserted).Select(c => c.Id).Distinct().ToList();
        var fetched = ids.Count == 0 ? [] : await store.FetchAsync(collection, ids, CancellationToken.None);
        return [.. fetched.Where(f => f.Status == FetchStatus.Found).Select(f => f.Item!)];
    }

    public static async Task<List<ISyncItem>> ReadItemsAsync(IItemStore store, CollectionInfo collection) =>
        [.. (await ReadAsync(store, collection)).Select(i => i.Item)];

    public static async Task<StoreItem> FindAsync(IItemStore store, CollectionInfo collection, string uid) =>
        (await ReadAsync(store, collection)).Single(i => i.Item.Uid == uid);
}
