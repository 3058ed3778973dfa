using Connector.Sync.Resilience;

namespace Connector.Stores.Ews;

/// <summary>Where and as whom an <see cref="EwsItemStore"/> talks EWS, and for which mailbox.</summary>
public sealed class EwsStoreOptions
{
    /// <summary>Items per GetItem request (Exchange's own limits allow far more; 50 keeps answers small).</summary>
    public const int DefaultBatchLimit = 50;

    /// <summary>The EWS endpoint, e.g. https://mail.contoso.com/EWS/Exchange.asmx.</summary>
    public required Uri EwsUrl { get; init; }

    /// <summary>
    /// User name for HTTP Basic added by the store itself; null sends none. Prefer <see cref="Http.EwsHttp.CreateClient"/>,
    /// which authenticates the HttpClient (Basic, NTLM, Negotiate, OAuth), and leave this null.
    /// </summary>
    public string? UserName { get; init; }

    public string? Password { get; init; }

    /// <summary>SMTP address of the mailbox to act on through ExchangeImpersonation; null: the identity's own mailbox.</summary>
    public string? Mailbox { get; init; }

    /// <summary>Items per GetItem request, 1–500.</summary>
    public int BatchLimit { get; init; } = DefaultBatchLimit;

    /// <summary>
    /// The mailbox's time zone (IANA): all-day events and task dates are placed in it, floating times written in it
    /// (see <see cref="Mapping.EwsMappingOptions.MailboxTimeZone"/>). Null means UTC; the host's zone is never used (S11).
    /// </summary>
    public string? MailboxTimeZone { get; init; }

    /// <summary>
    /// The identity's name (e.g. the admin account, "CONTOSO\svc-sync"): in messages, and the key of its throttle
    /// gate. Defaults to <see cref="UserName"/>, else the EWS host.
    /// </summary>
    public string? Identity { get; init; }

    /// <summary>
    /// The worker's throttle gates (one per process). Given: throttled requests wait and are repeated, sharing the
    /// back-off with every store of the same identity and of the same mailbox (S14); requests that fail for a passing
    /// reason are repeated too when they change nothing. Null: the store never retries (a caller such as
    /// <see cref="ResilientItemStore"/> does).
    /// </summary>
    public ThrottleGates? ThrottleGates { get; init; }

    /// <summary>When to give up retrying (a total time, not a count) and how to back off without a server hint.</summary>
    public RetryOptions Retry { get; init; } = new();

    /// <summary>Called once per throttle (gates closed, delay, whether the server named it): the worker's metrics hook.</summary>
    public Action<ThrottleEvent>? Throttled { get; init; }

    /// <summary>The name used for messages and the identity's throttle gate.</summary>
    public string IdentityName => Identity ?? UserName ?? EwsUrl.Host;

    /// <summary>Time limit of one request, answer included.</summary>
    public TimeSpan Timeout { get; init; } = Http.EwsConnectionOptions.DefaultTimeout;

    internal void Validate()
    {
        ArgumentNullException.ThrowIfNull(EwsUrl);
        ArgumentOutOfRangeException.ThrowIfLessThan(BatchLimit, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(BatchLimit, 500);
        ArgumentNullException.ThrowIfNull(Retry);
        Retry.Validate();
    }
}
