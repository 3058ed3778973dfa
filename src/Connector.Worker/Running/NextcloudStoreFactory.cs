using System.Collections.Concurrent;
using Connector.Stores.Dav;
using Connector.Stores.Vdir;
using Connector.Sync.Stores;
using Connector.Worker.Users;

namespace Connector.Worker.Running;

/// <summary>
/// Creates a user's Nextcloud side: a DAV store (one shared handler per server, cookies off so no
/// user's session rides on another's request) or a vdir folder.
/// </summary>
public sealed class NextcloudStoreFactory : IDisposable
{
    private readonly ConcurrentDictionary<string, Lazy<Task<(HttpClient Client, DavServerQuirks Quirks)>>> clients = new(StringComparer.OrdinalIgnoreCase);
    private readonly int batchLimit;

    public NextcloudStoreFactory(int batchLimit)
    {
        this.batchLimit = batchLimit;
    }

    public async Task<IItemStore> CreateAsync(NextcloudAccount account, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(account);
        if (account.VdirPath is { } path)
        {
            return new VdirItemStore(path);
        }

        var url = account.DavUrl ?? throw new InvalidOperationException("the account has neither a DAV URL nor a vdir folder");
        var key = url.GetLeftPart(UriPartial.Authority);
        var entry = clients.GetOrAdd(key, _ => new Lazy<Task<(HttpClient, DavServerQuirks)>>(() => ConnectAsync(account, cancellationToken)));
        try
        {
            var (client, quirks) = await entry.Value;
            return new DavItemStore(client, Options(account, quirks));
        }
        catch (OperationCanceledException)
        {
            clients.TryRemove(new KeyValuePair<string, Lazy<Task<(HttpClient, DavServerQuirks)>>>(key, entry));
            throw;
        }
    }

    /// <summary>
    /// The server family decides how connections may be pooled (Radicale closes every one), so the
    /// first user of a server asks it once, over an unpooled connection.
    /// </summary>
    private async Task<(HttpClient, DavServerQuirks)> ConnectAsync(NextcloudAccount account, CancellationToken cancellationToken)
    {
        using var probeClient = new HttpClient(DavHttpMessageHandlers.Create(DavServerQuirks.Radicale));
        DavServerQuirks quirks;
        try
        {
            quirks = await new DavItemStore(probeClient, Options(account, null)).GetQuirksAsync(cancellationToken);
        }
        catch (StoreException)
        {
            // Unknown: an unpooled handler is always safe, only slower.
            quirks = DavServerQuirks.Radicale;
        }

        return (new HttpClient(DavHttpMessageHandlers.Create(quirks)), quirks);
    }

    private DavStoreOptions Options(NextcloudAccount account, DavServerQuirks? quirks) => new()
    {
        BaseUri = account.DavUrl!,
        UserName = account.UserName,
        Password = account.Password,
        BatchLimit = Math.Clamp(batchLimit, 1, DavStoreOptions.MaxBatchLimit),
        Quirks = quirks,
    };

    public void Dispose()
    {
        foreach (var entry in clients.Values.Where(l => l.IsValueCreated && l.Value.IsCompletedSuccessfully))
        {
            entry.Value.Result.Client.Dispose();
        }
    }
}
