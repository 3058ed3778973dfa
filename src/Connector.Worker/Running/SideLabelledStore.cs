using Connector.Domain;
using Connector.Sync.Engine;
using Connector.Sync.Stores;

namespace Connector.Worker.Running;

/// <summary>
/// A rejected credential from one side, named: the engine sees two stores and cannot say whose 401 it
/// was, and the worker must tell Nextcloud's (stop the user) from the identity's (quarantine it).
/// </summary>
public sealed class SideCredentialRejectedException : StoreException
{
    public SideCredentialRejectedException()
    {
    }

    public SideCredentialRejectedException(string message)
        : base(message)
    {
    }

    public SideCredentialRejectedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public SideCredentialRejectedException(Side side, CredentialRejectedException inner)
        : base(inner?.Message ?? "credentials rejected", inner!) => Side = side;

    public Side Side { get; }
}

/// <summary>Passes every call through and names the side of a <see cref="CredentialRejectedException"/>.</summary>
internal sealed class SideLabelledStore(IItemStore inner, Side side) : IItemStore
{
    public StoreCapabilities Capabilities => inner.Capabilities;

    public Task<IReadOnlyList<CollectionInfo>> DiscoverCollectionsAsync(ItemKind kinds, CancellationToken cancellationToken) =>
        Run(() => inner.DiscoverCollectionsAsync(kinds, cancellationToken));

    public Task<CollectionInfo> CreateCollectionAsync(string displayName, ItemKind kind, CancellationToken cancellationToken) =>
        Run(() => inner.CreateCollectionAsync(displayName, kind, cancellationToken));

    public Task<ChangeFeed> GetChangesAsync(CollectionInfo collection, string? sinceToken, CancellationToken cancellationToken) =>
        Run(() => inner.GetChangesAsync(collection, sinceToken, cancellationToken));

    public Task<IReadOnlyList<FetchResult>> FetchAsync(CollectionInfo collection, IReadOnlyList<string> ids, CancellationToken cancellationToken) =>
        Run(() => inner.FetchAsync(collection, ids, cancellationToken));

    public Task<WriteResult> CreateAsync(CollectionInfo collection, ISyncItem item, CancellationToken cancellationToken) =>
        Run(() => inner.CreateAsync(collection, item, cancellationToken));

    public Task<WriteResult> UpdateAsync(CollectionInfo collection, string id, string expectedVersion, ISyncItem item, CancellationToken cancellationToken) =>
        Run(() => inner.UpdateAsync(collection, id, expectedVersion, item, cancellationToken));

    public Task<WriteResult> DeleteAsync(CollectionInfo collection, string id, string expectedVersion, CancellationToken cancellationToken) =>
        Run(() => inner.DeleteAsync(collection, id, expectedVersion, cancellationToken));

    private async Task<T> Run<T>(Func<Task<T>> call)
    {
        try
        {
            return await call();
        }
        catch (CredentialRejectedException ex)
        {
            throw new SideCredentialRejectedException(side, ex);
        }
    }
}
