using System.Collections.Concurrent;
using System.Net;
using Connector.Stores.Ews;
using Connector.Sync.Stores;

namespace Connector.Worker.Identities;

/// <summary>
/// Exchange Server over EWS with impersonation. One <see cref="HttpClient"/> per identity (connections
/// are pooled per identity, and NTLM/Negotiate credentials live on the handler); one store per mailbox.
/// </summary>
public class EwsStoreFactory : IExchangeStoreFactory, IDisposable
{
    private readonly ConcurrentDictionary<string, HttpClient> clients = new(StringComparer.OrdinalIgnoreCase);

    public ExchangeType ExchangeType => ExchangeType.ExchangeServer;

    public IItemStore Create(AdminIdentity identity, ExchangeMailboxSettings mailbox)
    {
        ArgumentNullException.ThrowIfNull(identity);
        ArgumentNullException.ThrowIfNull(mailbox);
        var basic = identity.AuthType == EwsAuthType.Basic;
        var client = clients.GetOrAdd(identity.Name, _ => new HttpClient(CreateHandler(identity), disposeHandler: true) { Timeout = Timeout.InfiniteTimeSpan });
        return new EwsItemStore(client, new EwsStoreOptions
        {
            EwsUrl = identity.EwsUrl ?? throw new InvalidOperationException($"identity {identity.Name} has no EwsUrl"),
            UserName = basic ? BasicUserName(identity) : null,
            Password = basic ? identity.Password : null,
            Mailbox = mailbox.Mailbox,
            BatchLimit = Math.Clamp(mailbox.BatchLimit, 1, 500),
            MailboxTimeZone = mailbox.TimeZone,
        });
    }

    /// <summary>
    /// The seam for authentication on the wire: Basic goes as a header (set by the store), NTLM and
    /// Negotiate are answered by the handler from these credentials. OAuth handlers plug in here.
    /// </summary>
    protected virtual HttpMessageHandler CreateHandler(AdminIdentity identity)
    {
        ArgumentNullException.ThrowIfNull(identity);
        var handler = new SocketsHttpHandler
        {
            AutomaticDecompression = DecompressionMethods.All,
            AllowAutoRedirect = false,
            UseCookies = false,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            ConnectTimeout = TimeSpan.FromSeconds(15),
        };
        if (identity.AuthType is EwsAuthType.Ntlm or EwsAuthType.Negotiate)
        {
            var credential = new NetworkCredential(identity.Username, identity.Password, identity.Domain);
            var cache = new CredentialCache { { identity.EwsUrl!, identity.AuthType == EwsAuthType.Ntlm ? "NTLM" : "Negotiate", credential } };
            handler.Credentials = cache;
            handler.PreAuthenticate = true;
        }

        return handler;
    }

    private static string? BasicUserName(AdminIdentity identity) =>
        identity.Domain is { Length: > 0 } domain && identity.Username is { } user && !user.Contains('\\', StringComparison.Ordinal) && !user.Contains('@', StringComparison.Ordinal)
            ? domain + "\\" + user
            : identity.Username;

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
        if (disposing)
        {
            foreach (var client in clients.Values)
            {
                client.Dispose();
            }

            clients.Clear();
        }
    }
}
