using Connector.Sync.Stores;

namespace Connector.Testing.Conformance;

/// <summary>Capabilities, collection discovery and creation.</summary>
public abstract partial class ItemStoreConformanceTests<TStore>
{
    [Theory]
    [EachItemKind]
    public virtual async Task Capabilities_KindTheSuiteRuns_IsDeclared(ItemKind kind)
    {
        if (!Runs(kind))
        {
            return;
        }

        var (store, collection) = await CreateCollectionAsync(kind, Cancellation);

        Assert.True((store.Capabilities.Kinds & kind) == kind, $"the suite runs {kind} but the store declares {store.Capabilities.Kinds}");
        Assert.True((collection.Kind & kind) == kind, $"a collection made for {kind} says it holds {collection.Kind}");
    }

    [Theory]
    [EachItemKind]
    public virtual async Task Discover_Collection_IsListedWithItsKind(ItemKind kind)
    {
        if (!Runs(kind))
        {
            return;
        }

        var (store, collection) = await CreateCollectionAsync(kind, Cancellation);

        var found = await store.DiscoverCollectionsAsync(kind, Cancellation);

        var listed = Assert.Single(found, c => c.Id == collection.Id);
        Assert.True((listed.Kind & kind) == kind, $"discovered as {listed.Kind}, expected {kind}");
    }

    [Theory]
    [EachItemKind]
    public virtual async Task Discover_OtherKindsOnly_DoesNotListTheCollection(ItemKind kind)
    {
        if (!Runs(kind))
        {
            return;
        }

        var (store, collection) = await CreateCollectionAsync(kind, Cancellation);
        var others = (ItemKind.Event | ItemKind.Task | ItemKind.Contact) & ~kind;

        var found = await store.DiscoverCollectionsAsync(others, Cancellation);

        // A CalDAV calendar may hold events and tasks at once; only then may it show up for the other kind.
        Assert.All(found.Where(c => c.Id == collection.Id), c => Assert.True((c.Kind & others) != 0, $"{c.Id} ({c.Kind}) listed for {others}"));
    }

    [Theory]
    [EachItemKind]
    public virtual async Task CreateCollection_NewName_IsDiscoveredWithNameAndKind(ItemKind kind)
    {
        if (!Runs(kind))
        {
            return;
        }

        var (store, _) = await CreateCollectionAsync(kind, Cancellation);
        if (!store.Capabilities.CreatesCollections)
        {
            return;
        }

        var name = $"Conformance {kind} {Guid.NewGuid():N}";

        var created = await store.CreateCollectionAsync(name, kind, Cancellation);

        Assert.True((created.Kind & kind) == kind, $"created as {created.Kind}, expected {kind}");
        var listed = Assert.Single(await store.DiscoverCollectionsAsync(kind, Cancellation), c => c.Id == created.Id);
        Assert.Equal(name, listed.DisplayName);
        Assert.Empty((await FullListingAsync(store, listed)).Items);
    }
}
