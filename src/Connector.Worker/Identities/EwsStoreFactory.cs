using System.Collections.Concurrent;
using Connector.OAuth;
using Connector.Stores.Ews;
using Connector.Stores.Ews.Http;
using Connector.Sync.Resilience;
using Connector.Sync.Stores;
using Microsoft.Extensions.Logging;

namespace Connector.Worker.Identities;

/// <summary>
/// Exchange Server over EWS with impersonation. One <see cref="HttpClient"/> per identity (connections
/// are pooled per identity, and NTLM/Negotiate credentials live on the handler); one store per mailbox.
/// The store honours throttling itself, per request, sharing the worker's gates (S14): a throttled
/// page of a long listing repeats that page, not the listing.
/// </summary>
public class EwsStoreFactory : IExchangeStoreFactory, IDisposable
{
    private readonly ConcurrentDictionary<string, HttpClient> clients = new(StringComparer.OrdinalIgnoreCase);
    private readonly AppTokenSources tokens;
    private readonly bool ownsTokens;
    private readonly ILogger? logger;

    /// <param name="tokens">Token sources shared with other factories (their owner disposes them); null: this factory's own.</param>
    public EwsStoreFactory(AppTokenSources? tokens = null, ILogger? logger = null)
    {
        ownsTokens = tokens is null;
        this.tokens = tokens ?? new AppTokenSources(logger);
        this.logger = logger;
    }

    public ExchangeType ExchangeType => ExchangeType.ExchangeServer;

    public IItemStore Create(AdminIdentity identity, ExchangeMailboxSettings mailbox)
    {
        ArgumentNullException.ThrowIfNull(identity);
        ArgumentNullException.ThrowIfNull(mailbox);
        var url = identity.EwsUrl ?? throw new InvalidOperationException($"identity {identity.Name} has no EwsUrl");
        var client = clients.GetOrAdd(identity.Name, _ => new HttpClient(CreateHandler(identity), disposeHandler: true) { Timeout = Timeout.InfiniteTimeSpan });
        return new EwsItemStore(client, new EwsStoreOptions
        {
            EwsUrl = url,
            Identity = identity.Name,
            Mailbox = mailbox.Mailbox,
            BatchLimit = Math.Clamp(mailbox.BatchLimit, 1, 500),
            MailboxTimeZone = mailbox.TimeZone,
            ThrottleGates = mailbox.Gates,
            Retry = mailbox.Retry ?? new RetryOptions(),
        });
    }

    /// <summary>
    /// Authentication on the wire (<see cref="EwsHttp"/>): Basic as a header only to the EWS origin,
    /// NTLM and Negotiate answered by the handler for that origin only, OAuth as a bearer token of the
    /// identity's application (legacy Exchange Online EWS).
    /// </summary>
    protected virtual HttpMessageHandler CreateHandler(AdminIdentity identity)
    {
        ArgumentNullException.ThrowIfNull(identity);
        var authentication = new EwsAuthentication
        {
            Type = identity.AuthType switch
            {
                EwsAuthType.Ntlm => Stores.Ews.Http.EwsAuthType.Ntlm,
                EwsAuthType.Negotiate => Stores.Ews.Http.EwsAuthType.Negotiate,
                EwsAuthType.OAuth => Stores.Ews.Http.EwsAuthType.OAuth,
                _ => Stores.Ews.Http.EwsAuthType.Basic,
            },
            Username = identity.AuthType switch
            {
                EwsAuthType.OAuth => identity.Name,
                EwsAuthType.Basic => BasicUserName(identity),
                _ => identity.Username ?? string.Empty,
            },
            Password = identity.Password,
            Domain = identity.AuthType is EwsAuthType.Ntlm or EwsAuthType.Negotiate ? identity.Domain : null,
            TokenSource = identity.AuthType == EwsAuthType.OAuth ? tokens.For(identity, OAuthClientOptions.ExchangeOnlineEwsScope) : null,
        };
        return EwsHttp.CreateHandler(identity.EwsUrl!, authentication, logger);
    }

    /// <summary>Basic with a <c>Domain</c> logs on as DOMAIN\user, as Exchange's Basic auth expects.</summary>
    private static string BasicUserName(AdminIdentity identity) =>
        identity.Domain is { Length: > 0 } domain && identity.Username is { } user && !user.Contains('\\', StringComparison.Ordinal) && !user.Contains('@', StringComparison.Ordinal)
            ? domain + "\\" + user
            : identity.Username ?? string.Empty;

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
            if (ownsTokens)
            {
                tokens.Dispose();
            }
        }
    }
}
