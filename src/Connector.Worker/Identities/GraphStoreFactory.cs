using System.Collections.Concurrent;
using System.Net;
using Connector.OAuth;
using Connector.Stores.Graph;
using Connector.Sync.Resilience;
using Connector.Sync.Stores;

namespace Connector.Worker.Identities;

/// <summary>
/// Microsoft 365 over Microsoft Graph, app-only: one <see cref="HttpClient"/> per identity carrying
/// its application's token (MSAL client credentials, one cached token per identity), one store per
/// mailbox. Graph reports throttling per call (429/503 with Retry-After), so the store is wrapped in
/// <see cref="ResilientItemStore"/> on the identity's and the mailbox's shared gates (S14); the store
/// itself keeps at most 4 requests in flight per mailbox.
/// </summary>
public sealed class GraphStoreFactory : IExchangeStoreFactory, IDisposable
{
    private readonly ConcurrentDictionary<string, HttpClient> clients = new(StringComparer.OrdinalIgnoreCase);
    private readonly AppTokenSources tokens;
    private readonly bool ownsTokens;

    /// <param name="tokens">Token sources shared with other factories (their owner disposes them); null: this factory's own.</param>
    public GraphStoreFactory(AppTokenSources? tokens = null)
    {
        ownsTokens = tokens is null;
        this.tokens = tokens ?? new AppTokenSources();
    }

    public ExchangeType ExchangeType => ExchangeType.Microsoft365;

    public IItemStore Create(AdminIdentity identity, ExchangeMailboxSettings mailbox)
    {
        ArgumentNullException.ThrowIfNull(identity);
        ArgumentNullException.ThrowIfNull(mailbox);
        var client = clients.GetOrAdd(identity.Name, _ => CreateClient(identity));
        var store = new GraphItemStore(client, new GraphStoreOptions
        {
            BaseUri = identity.GraphUrl ?? GraphStoreOptions.PublicCloud,
            Mailbox = mailbox.Mailbox,
            BatchLimit = Math.Clamp(mailbox.BatchLimit, 1, 20), // a $batch holds at most 20 requests
            MailboxTimeZone = mailbox.TimeZone,
        });
        return mailbox.Gates is { } gates
            ? new ResilientItemStore(store, [gates.ForIdentity(identity.Name), gates.ForMailbox(mailbox.Mailbox)], mailbox.Retry)
            : store;
    }

    private HttpClient CreateClient(AdminIdentity identity)
    {
        var sockets = new SocketsHttpHandler
        {
            AutomaticDecompression = DecompressionMethods.All,
            AllowAutoRedirect = false, // a bearer token must not follow a redirect to another host
            UseCookies = false,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            ConnectTimeout = TimeSpan.FromSeconds(15),
        };
        var bearer = new BearerTokenHandler(tokens.For(identity, OAuthClientOptions.GraphScope), sockets);
        return new HttpClient(bearer, disposeHandler: true) { Timeout = Timeout.InfiniteTimeSpan };
    }

    public void Dispose()
    {
        foreach (var client in clients.Values)
        {
            client.Dispose();
        }

        clients.Clear();
        if (ownsTokens)
        {
            tokens.Dispose();
        }
    }
}
