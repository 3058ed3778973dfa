using Connector.Sync.Resilience;

namespace Connector.Stores.Ews.Http;

/// <summary>Where and as whom an <see cref="EwsConnection"/> talks EWS, and for which mailbox.</summary>
internal sealed class EwsConnectionOptions
{
    /// <summary>RequestServerVersion sent with every request: the oldest server we support (Exchange 2016 on-premises).</summary>
    public const string DefaultServerVersion = "Exchange2016";

    /// <summary>Time limit of one request, answer body included.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(100);

    /// <summary>The EWS endpoint, e.g. https://mail.contoso.com/EWS/Exchange.asmx.</summary>
    public required Uri EwsUrl { get; init; }

    /// <summary>
    /// User name for HTTP Basic ("svc-sync", "CONTOSO\svc-sync" or a UPN). Null sends no Authorization header:
    /// then NTLM or Negotiate is the caller's choice, made on the HttpClient's handler
    /// (<c>SocketsHttpHandler.Credentials = new NetworkCredential(user, password, domain)</c>), which answers the
    /// server's challenge itself.
    /// </summary>
    public string? UserName { get; init; }

    public string? Password { get; init; }

    /// <summary>The identity's name in messages (defaults to <see cref="UserName"/>); set when the HttpClient authenticates (<see cref="EwsHttp"/>).</summary>
    public string? Identity { get; init; }

    /// <summary>
    /// Retries of single requests with back-off shared by the identity and mailbox (S14); null: the connection never
    /// retries and throttling surfaces as <see cref="Sync.Stores.ThrottledException"/>.
    /// </summary>
    public RetryRunner? Retry { get; init; }

    /// <summary>
    /// SMTP address of the mailbox to act on through ExchangeImpersonation (also sent as X-AnchorMailbox, which
    /// Exchange 2013+ uses to route the request to the mailbox's server). Null: the identity's own mailbox.
    /// </summary>
    public string? ImpersonatedMailbox { get; init; }

    public string ServerVersion { get; init; } = DefaultServerVersion;

    public TimeSpan Timeout { get; init; } = DefaultTimeout;
}
