using Connector.Domain;

namespace Connector.Sync.Stores;

/// <summary>What a store implementation can do; the conformance suite reads these flags.</summary>
public sealed record StoreCapabilities
{
    /// <summary>Kinds of collection the store holds.</summary>
    public required ItemKind Kinds { get; init; }

    /// <summary>True when <see cref="IItemStore.GetChangesAsync"/> with a token returns only changes (otherwise every call lists all).</summary>
    public bool IncrementalChanges { get; init; } = true;

    /// <summary>True when collections can be created.</summary>
    public bool CreatesCollections { get; init; } = true;
}

/// <summary>
/// One side of a sync (DAV, vdir, EWS, Graph), as the engine sees it. Ids and versions are opaque
/// strings the store hands out (DAV: href and ETag; EWS: ItemId and ChangeKey). Per-item problems
/// are results; failures that stop the user are <see cref="StoreException"/>s.
/// </summary>
public interface IItemStore
{
    StoreCapabilities Capabilities { get; }

    /// <summary>The collections of the given kinds.</summary>
    Task<IReadOnlyList<CollectionInfo>> DiscoverCollectionsAsync(ItemKind kinds, CancellationToken cancellationToken);

    /// <summary>Creates a collection for items of one kind.</summary>
    Task<CollectionInfo> CreateCollectionAsync(string displayName, ItemKind kind, CancellationToken cancellationToken);

    /// <summary>
    /// Changes since <paramref name="sinceToken"/>; a full listing when it is null; or
    /// <see cref="ChangeFeedStatus.TokenInvalid"/>, after which the caller asks for a full listing.
    /// </summary>
    Task<ChangeFeed> GetChangesAsync(CollectionInfo collection, string? sinceToken, CancellationToken cancellationToken);

    /// <summary>Reads items by id; the store batches them (its <c>BatchLimit</c>). One result per id, in order.</summary>
    Task<IReadOnlyList<FetchResult>> FetchAsync(CollectionInfo collection, IReadOnlyList<string> ids, CancellationToken cancellationToken);

    /// <summary>Creates an item; never overwrites an existing one.</summary>
    Task<WriteResult> CreateAsync(CollectionInfo collection, ISyncItem item, CancellationToken cancellationToken);

    /// <summary>Replaces an item if it is still at <paramref name="expectedVersion"/>.</summary>
    Task<WriteResult> UpdateAsync(CollectionInfo collection, string id, string expectedVersion, ISyncItem item, CancellationToken cancellationToken);

    /// <summary>Deletes an item if it is still at <paramref name="expectedVersion"/>.</summary>
    Task<WriteResult> DeleteAsync(CollectionInfo collection, string id, string expectedVersion, CancellationToken cancellationToken);
}
