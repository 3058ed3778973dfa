using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Connector.OAuth;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Connector.Stores.Ews.Http;

/// <summary>
/// Turns an identity into the HttpClient an <see cref="EwsItemStore"/> talks through. One client per identity and
/// EWS URL, shared by all of that identity's mailboxes for the life of the process:
/// <code>
/// var http = EwsHttp.CreateClient(new Uri("https://mail.contoso.com/EWS/Exchange.asmx"),
///     new EwsAuthentication { Type = EwsAuthType.Ntlm, Username = "svc-sync", Password = pw, Domain = "CONTOSO" }, logger);
/// var store = new EwsItemStore(http, new EwsStoreOptions { EwsUrl = url, Mailbox = "alice@contoso.com", Identity = "svc-sync" });
/// </code>
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item>Basic: the Authorization header is added only to requests for the EWS URL's scheme, host and port.</item>
/// <item>NTLM / Negotiate: <see cref="SocketsHttpHandler.Credentials"/> is a <see cref="CredentialCache"/> holding
/// the credential for that scheme and the EWS URL's origin only, so the password is never offered to another host,
/// nor to the same host under another scheme (a Basic challenge from a proxy or a spoofed server gets nothing).</item>
/// <item>OAuth: <see cref="BearerTokenHandler"/> with the identity's token source (renewed before expiry, once
/// more on a 401).</item>
/// <item>Redirects are not followed (an EWS POST is never legitimately redirected; following would carry
/// credentials elsewhere); connections are pooled and renewed every <c>pooledConnectionLifetime</c> (default
/// 5 minutes) so DNS changes and load-balancer moves are picked up. Request time limits are the store's
/// (<see cref="EwsStoreOptions.Timeout"/>), so the client itself has none.</item>
/// </list>
/// </remarks>
public static partial class EwsHttp
{
    /// <summary>Default lifetime of a pooled connection.</summary>
    public static readonly TimeSpan DefaultPooledConnectionLifetime = TimeSpan.FromMinutes(5);

    private static readonly ConcurrentDictionary<string, bool> WarnedOAuthIdentities = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>An HttpClient for <paramref name="ewsUrl"/> that logs on as <paramref name="authentication"/>.</summary>
    public static HttpClient CreateClient(Uri ewsUrl, EwsAuthentication authentication, ILogger? logger = null, TimeSpan? pooledConnectionLifetime = null) =>
        new(CreateHandler(ewsUrl, authentication, logger, pooledConnectionLifetime), disposeHandler: true)
        {
            Timeout = Timeout.InfiniteTimeSpan,
            DefaultRequestHeaders = { UserAgent = { EwsConnection.UserAgent } },
        };

    /// <summary>
    /// The handler chain <see cref="CreateClient"/> uses (for callers that add their own handlers, e.g. logging):
    /// for NTLM/Negotiate the <see cref="SocketsHttpHandler"/> itself, else an authentication handler over one.
    /// </summary>
    public static HttpMessageHandler CreateHandler(Uri ewsUrl, EwsAuthentication authentication, ILogger? logger = null, TimeSpan? pooledConnectionLifetime = null)
    {
        ArgumentNullException.ThrowIfNull(ewsUrl);
        ArgumentNullException.ThrowIfNull(authentication);
        if (!ewsUrl.IsAbsoluteUri || (ewsUrl.Scheme != Uri.UriSchemeHttps && ewsUrl.Scheme != Uri.UriSchemeHttp))
        {
            throw new ArgumentException($"EWS URL '{ewsUrl}' must be an absolute http(s) URL.", nameof(ewsUrl));
        }

        authentication.Validate();
        var sockets = new SocketsHttpHandler
        {
            PooledConnectionLifetime = pooledConnectionLifetime ?? DefaultPooledConnectionLifetime,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(1),
            AllowAutoRedirect = false,
            UseCookies = false,
            AutomaticDecompression = DecompressionMethods.GZip | DecompressionMethods.Deflate,
            ConnectTimeout = TimeSpan.FromSeconds(30),
        };

        switch (authentication.Type)
        {
            case EwsAuthType.Ntlm or EwsAuthType.Negotiate:
                sockets.Credentials = CredentialsFor(ewsUrl, authentication);
                sockets.PreAuthenticate = false;
                return sockets;
            case EwsAuthType.OAuth:
                WarnOAuthDeprecatedOnce(logger ?? NullLogger.Instance, authentication.DisplayName, ewsUrl);
                return new BearerTokenHandler(authentication.TokenSource!, sockets);
            default:
                return new BasicAuthenticationHandler(ewsUrl, authentication.Username, authentication.Password!, sockets);
        }
    }

    /// <summary>The credential for <paramref name="authentication"/>'s scheme at <paramref name="ewsUrl"/>'s origin, and nothing else.</summary>
    internal static CredentialCache CredentialsFor(Uri ewsUrl, EwsAuthentication authentication)
    {
        var scheme = authentication.Type == EwsAuthType.Ntlm ? "NTLM" : "Negotiate";
        var credential = new NetworkCredential(authentication.Username, authentication.Password, authentication.Domain ?? string.Empty);
        return new CredentialCache { { new Uri(ewsUrl.GetLeftPart(UriPartial.Authority)), scheme, credential } };
    }

    private static void WarnOAuthDeprecatedOnce(ILogger logger, string identity, Uri ewsUrl)
    {
        if (WarnedOAuthIdentities.TryAdd(identity + "|" + ewsUrl.Host, true))
        {
            LogOAuthDeprecated(logger, identity, ewsUrl.Host);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, EventId = 4101, Message = "EWS identity {Identity} uses OAuth against {Host}: EWS in Exchange Online is being retired by Microsoft (from October 2026, fully by April 2027). Move this identity to Microsoft Graph before then.")]
    private static partial void LogOAuthDeprecated(ILogger logger, string identity, string host);

    /// <summary>Adds HTTP Basic credentials to requests for the EWS origin only.</summary>
    private sealed class BasicAuthenticationHandler : DelegatingHandler
    {
        private readonly Uri origin;
        private readonly AuthenticationHeaderValue header;

        public BasicAuthenticationHandler(Uri ewsUrl, string username, string password, HttpMessageHandler inner)
            : base(inner)
        {
            origin = new Uri(ewsUrl.GetLeftPart(UriPartial.Authority));
            header = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(username + ":" + password)));
        }

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (request.RequestUri is { } uri && Uri.Compare(uri, origin, UriComponents.SchemeAndServer, UriFormat.Unescaped, StringComparison.OrdinalIgnoreCase) == 0)
            {
                request.Headers.Authorization ??= header;
            }

            return base.SendAsync(request, cancellationToken);
        }
    }
}
