namespace Connector.Stores.Ews;

/// <summary>Where and as whom an <see cref="EwsItemStore"/> talks EWS, and for which mailbox.</summary>
public sealed class EwsStoreOptions
{
    /// <summary>Items per GetItem request (Exchange's own limits allow far more; 50 keeps answers small).</summary>
    public const int DefaultBatchLimit = 50;

    /// <summary>The EWS endpoint, e.g. https://mail.contoso.com/EWS/Exchange.asmx.</summary>
    public required Uri EwsUrl { get; init; }

    /// <summary>User name for HTTP Basic; null sends none (NTLM/Negotiate are then the HttpClient handler's business).</summary>
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

    /// <summary>Time limit of one request, answer included.</summary>
    public TimeSpan Timeout { get; init; } = Http.EwsConnectionOptions.DefaultTimeout;

    internal void Validate()
    {
        ArgumentNullException.ThrowIfNull(EwsUrl);
        ArgumentOutOfRangeException.ThrowIfLessThan(BatchLimit, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(BatchLimit, 500);
    }
}
