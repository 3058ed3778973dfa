using Connector.Domain;
using Connector.Sync.Stores;

namespace Connector.Testing.Conformance;

/// <summary>
/// What every <see cref="IItemStore"/> must do, as tests. A store's test project subclasses this once per
/// server or configuration (vdir; CalDAV on Radicale; CalDAV on Xandikos; …) and gets the whole suite:
/// <code>
/// public sealed class VdirStoreConformanceTests : ItemStoreConformanceTests&lt;VdirItemStore&gt; { … }
/// </code>
/// The subclass provides <see cref="CreateCollectionAsync"/> and sets the capability members below where its
/// store differs from the default. Tests are virtual: a store that must deviate overrides the test and says
/// why in a comment naming the server. Every test runs for events, tasks and contacts; a kind outside
/// <see cref="SuiteKinds"/> passes without doing anything (xunit 2 cannot skip at run time).
/// </summary>
/// <typeparam name="TStore">
/// The store under test. The meta-test (tests/Connector.Conformance.Tests) reads it to check that every
/// store implementation has a conformance subclass.
/// </typeparam>
/// <remarks>
/// xunit makes a new instance per test, so instance state is per test. Dispose runs after each test:
/// override <see cref="Dispose(bool)"/> to clean up (e.g. delete a temporary folder).
/// </remarks>
public abstract partial class ItemStoreConformanceTests<TStore> : IDisposable
    where TStore : IItemStore
{
    /// <summary>Longest a single test may wait on the store; generous for a slow CI server.</summary>
    protected static readonly TimeSpan TestTimeout = TimeSpan.FromMinutes(2);

    private readonly CancellationTokenSource _timeout = new(TestTimeout);

    /// <summary>Cancelled when the test has run for <see cref="TestTimeout"/>.</summary>
    protected CancellationToken Cancellation => _timeout.Token;

    /// <summary>
    /// A store and a new, empty collection of <paramref name="kind"/> that no other test uses (on a shared
    /// server: a unique name per call). Called once or more per test.
    /// </summary>
    protected abstract Task<(TStore Store, CollectionInfo Collection)> CreateCollectionAsync(ItemKind kind, CancellationToken cancellationToken);

    /// <summary>The kinds the suite runs for; by default all three. Must be covered by the store's <see cref="StoreCapabilities.Kinds"/>.</summary>
    protected virtual ItemKind SuiteKinds => ItemKind.Event | ItemKind.Task | ItemKind.Contact;

    /// <summary>
    /// True when creating a second item with an existing UID is refused (AlreadyExists or Rejected). False for
    /// stores that allow duplicate UIDs (Exchange does): then the second create may succeed under a new id,
    /// but it must still leave the first item untouched.
    /// </summary>
    protected virtual bool EnforcesUidUniqueness => true;

    /// <summary>True when <see cref="PlantRawAsync"/> is implemented (the S21 test needs it).</summary>
    protected virtual bool CanPlantRawItems => false;

    /// <summary>
    /// Puts <paramref name="content"/> into the collection behind the store's back, as another client or a
    /// broken import would, under a resource name derived from <paramref name="name"/> (letters, digits and
    /// dashes; the subclass adds an extension if the store needs one). Returns the id the store lists it
    /// under. Only called when <see cref="CanPlantRawItems"/> is true.
    /// </summary>
    protected virtual Task<string> PlantRawAsync(TStore store, CollectionInfo collection, string name, byte[] content, CancellationToken cancellationToken) =>
        throw new NotSupportedException($"{GetType().Name} cannot plant raw items; set {nameof(CanPlantRawItems)} only when it overrides {nameof(PlantRawAsync)}.");

    /// <summary>
    /// Content the store's reader cannot map but the store (or server) accepts as an item of
    /// <paramref name="kind"/>. Override when the server validates what it stores.
    /// </summary>
    protected virtual byte[] UnreadableContent(ItemKind kind, string uid) => ConformanceItems.Unreadable(kind, uid);

    /// <summary>The item the suite writes; revision changes a visible field. Override only for a server that cannot hold a field.</summary>
    protected virtual ISyncItem SampleItem(ItemKind kind, string uid, int revision = 1) => ConformanceItems.Create(kind, uid, revision);

    /// <summary>
    /// Asserts that <paramref name="actual"/>, read back from the store, is the item that was written. By
    /// default the whole model must be equal: right for stores that keep bytes (vdir). A server that rewrites
    /// content overrides this to compare what it keeps, naming the server and what it changes.
    /// </summary>
    protected virtual void AssertSameItem(ISyncItem expected, ISyncItem actual) => Assert.Equal(expected, actual);

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
        if (disposing)
        {
            _timeout.Dispose();
        }
    }

    /// <summary>A UID no other test uses.</summary>
    protected static string NewUid(string label) => $"conformance-{label}-{Guid.NewGuid():N}";

    protected bool Runs(ItemKind kind) => (SuiteKinds & kind) == kind;

    /// <summary>Creates <paramref name="item"/>, asserts success, and returns its id and version (read back if the store did not say).</summary>
    protected async Task<StoredVersion> CreateItemAsync(TStore store, CollectionInfo collection, ISyncItem item)
    {
        var result = await store.CreateAsync(collection, item, Cancellation);
        Assert.True(result.IsSuccess, $"create {item.Uid} failed: {result.Status} {result.Reason}");
        Assert.False(string.IsNullOrEmpty(result.Id), "a successful create must return the new item's id");
        return new StoredVersion(result.Id!, result.Version ?? (await FetchFoundAsync(store, collection, result.Id!)).Version);
    }

    /// <summary>Updates, asserts success, and returns the new version (read back if the store did not say).</summary>
    protected async Task<StoredVersion> UpdateItemAsync(TStore store, CollectionInfo collection, StoredVersion current, ISyncItem item)
    {
        var result = await store.UpdateAsync(collection, current.Id, current.Version, item, Cancellation);
        Assert.True(result.IsSuccess, $"update {current.Id} failed: {result.Status} {result.Reason}");
        var id = result.Id ?? current.Id;
        return new StoredVersion(id, result.Version ?? (await FetchFoundAsync(store, collection, id)).Version);
    }

    protected async Task<FetchResult> FetchOneAsync(TStore store, CollectionInfo collection, string id)
    {
        var results = await store.FetchAsync(collection, [id], Cancellation);
        var result = Assert.Single(results);
        Assert.Equal(id, result.Id);
        return result;
    }

    protected async Task<StoreItem> FetchFoundAsync(TStore store, CollectionInfo collection, string id)
    {
        var result = await FetchOneAsync(store, collection, id);
        Assert.True(result.Status == FetchStatus.Found, $"fetch {id}: {result.Status} {result.Reason}");
        Assert.NotNull(result.Item);
        Assert.Equal(id, result.Item.Id);
        Assert.False(string.IsNullOrEmpty(result.Item.Version), "a fetched item must carry its version");
        return result.Item;
    }

    /// <summary>The whole feed from <paramref name="token"/>, following <see cref="ChangeFeed.MoreAvailable"/> pages.</summary>
    protected async Task<ChangeFeed> ReadFeedAsync(TStore store, CollectionInfo collection, string? token)
    {
        var first = await store.GetChangesAsync(collection, token, Cancellation);
        var changes = first.Changes.ToList();
        var last = first;
        for (var page = 1; last.MoreAvailable; page++)
        {
            Assert.True(page < 10_000, "the change feed never stops saying MoreAvailable");
            Assert.False(string.IsNullOrEmpty(last.NewToken), "MoreAvailable needs a token to continue with");
            last = await store.GetChangesAsync(collection, last.NewToken, Cancellation);
            Assert.NotEqual(ChangeFeedStatus.TokenInvalid, last.Status);
            changes.AddRange(last.Changes);
        }

        return first with { Changes = changes, NewToken = last.NewToken, MoreAvailable = false };
    }

    /// <summary>A full listing as id → version; asserts it is one.</summary>
    protected async Task<(Dictionary<string, string?> Items, string Token)> FullListingAsync(TStore store, CollectionInfo collection)
    {
        var feed = await ReadFeedAsync(store, collection, null);
        Assert.Equal(ChangeFeedStatus.FullListing, feed.Status);
        Assert.False(string.IsNullOrEmpty(feed.NewToken), "a full listing must hand out a token for the next call");
        Assert.All(feed.Changes, c => Assert.Equal(ChangeKind.Upserted, c.Kind));
        return (LastChangePerId(feed.Changes).ToDictionary(e => e.Key, e => e.Value.Version, StringComparer.Ordinal), feed.NewToken!);
    }

    /// <summary>The last entry per id: a feed may name an item twice (across pages, S04), the last one counts.</summary>
    protected static Dictionary<string, ItemChange> LastChangePerId(IEnumerable<ItemChange> changes)
    {
        var result = new Dictionary<string, ItemChange>(StringComparer.Ordinal);
        foreach (var change in changes)
        {
            result[change.Id] = change;
        }

        return result;
    }

    /// <summary>Asserts the versions are the same unless one side is unknown (a store may return none after a write).</summary>
    protected static void AssertSameVersion(string? expected, string? actual, string what)
    {
        Assert.False(string.IsNullOrEmpty(actual), $"{what}: no version");
        Assert.True(expected is null || expected == actual, $"{what}: version {actual}, expected {expected}");
    }

    /// <summary>An item's id and version as the store handed them out.</summary>
    protected sealed record StoredVersion(string Id, string Version);
}
