using System.Globalization;
using Connector.Sync.Stores;

namespace Connector.Stores.Ews.Http;

/// <summary>
/// The one place that decides, for EWS, what a failure means and how long to wait. The EWS layer never retries:
/// it throws, and the scheduler waits (sharing the back-off with everything that talks as the same identity).
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item>HTTP 401 / 403 / 407 → <see cref="CredentialRejectedException"/>, never retried (S16). 403 is what
/// Exchange answers when EWS is disabled for the account: no retry helps either.</item>
/// <item>HTTP 503 and 429, and ErrorServerBusy (as a SOAP fault or a response code) → <see cref="ThrottledException"/>
/// with Retry-After, or BackOffMilliseconds from MessageXml, when given (S14).</item>
/// <item>ErrorImpersonateUserDenied, ErrorNonExistentMailbox, ErrorMissingEmailAddress →
/// <see cref="EwsMailboxAccessException"/> naming the mailbox: this user, not this identity.</item>
/// <item>ErrorSchemaValidation, ErrorInvalidRequest, ErrorInvalidServerVersion → a non-transient
/// <see cref="StoreException"/> with the violation: our request is wrong, waiting does not fix it.</item>
/// <item>Exchange's passing failures (ErrorInternalServerTransientError, ErrorMailboxStoreUnavailable,
/// ErrorMailboxMoveInProgress, ErrorTimeoutExpired, ErrorConnectionFailed, ErrorInternalServerError), HTTP 500
/// without a SOAP fault, other 5xx, connection resets, truncated or malformed XML, timeouts →
/// <see cref="TransientStoreException"/>.</item>
/// <item>A SOAP fault with any other code → a non-transient <see cref="StoreException"/> naming the code.</item>
/// <item>Any other response code inside a response message (ErrorItemNotFound, ErrorInvalidSyncStateData…) is a
/// per-item answer for the operation to turn into a result.</item>
/// </list>
/// </remarks>
internal static class EwsFailurePolicy
{
    /// <summary>Longest wait a server hint may ask for; a larger one is a broken value, not a plan.</summary>
    public static readonly TimeSpan MaxRetryAfter = TimeSpan.FromDays(1);

    private static readonly HashSet<string> MailboxCodes = new(StringComparer.Ordinal)
    {
        "ErrorImpersonateUserDenied",
        "ErrorNonExistentMailbox",
        "ErrorMissingEmailAddress",
        "ErrorImpersonationDenied",
    };

    private static readonly HashSet<string> RequestBugCodes = new(StringComparer.Ordinal)
    {
        "ErrorSchemaValidation",
        "ErrorInvalidRequest",
        "ErrorInvalidServerVersion",
    };

    private static readonly HashSet<string> TransientCodes = new(StringComparer.Ordinal)
    {
        "ErrorInternalServerTransientError",
        "ErrorInternalServerError",
        "ErrorMailboxStoreUnavailable",
        "ErrorMailboxMoveInProgress",
        "ErrorTimeoutExpired",
        "ErrorConnectionFailed",
    };

    /// <summary>True for a response code that stops the whole request rather than describing one item.</summary>
    public static bool StopsRequest(string responseCode) =>
        responseCode == "ErrorServerBusy"
        || MailboxCodes.Contains(responseCode)
        || RequestBugCodes.Contains(responseCode)
        || TransientCodes.Contains(responseCode);

    /// <summary>
    /// The exception for an HTTP status that ends the request before any SOAP is read, or null when the body is
    /// to be read (200, and 500 with an XML body: Exchange sends SOAP faults as 500).
    /// </summary>
    public static StoreException? ForStatus(HttpResponseMessage response, string operation, string? userName, DateTimeOffset now)
    {
        var status = (int)response.StatusCode;
        return status switch
        {
            200 => null,
            401 => new CredentialRejectedException($"EWS {operation}: credentials rejected: the server refused '{userName}' (401{Offered(response)}); not retried."),
            403 => new CredentialRejectedException($"EWS {operation}: access forbidden for '{userName}' (403; EWS disabled for the account?); not retried."),
            407 => new CredentialRejectedException($"EWS {operation}: the proxy rejected the credentials (407); not retried."),
            429 or 503 => new ThrottledException($"EWS {operation}: the server asks to slow down (HTTP {status}).", RetryAfter(response, now)),
            500 when IsXml(response) => null,
            >= 500 and < 600 => new TransientStoreException($"EWS {operation}: server error {status} without a SOAP fault."),
            408 => new TransientStoreException($"EWS {operation}: the server timed out waiting for the request (408)."),
            _ => new StoreException($"EWS {operation}: unexpected HTTP {status} {response.ReasonPhrase}."),
        };
    }

    /// <summary>
    /// The exception for a request-level error code, from a SOAP fault or a response message. Null only for a
    /// response-message code that is a per-item answer (see <see cref="StopsRequest"/>); a fault always stops.
    /// </summary>
    public static StoreException? ForResponseCode(string responseCode, string? messageText, IReadOnlyDictionary<string, string> values, string? mailbox, string operation, bool isFault)
    {
        var who = mailbox is null ? string.Empty : $" for {mailbox}";
        if (responseCode == "ErrorServerBusy")
        {
            return new ThrottledException($"EWS {operation}{who}: ErrorServerBusy, the server asks to slow down.", BackOff(values));
        }

        if (MailboxCodes.Contains(responseCode))
        {
            var why = responseCode switch
            {
                "ErrorImpersonateUserDenied" or "ErrorImpersonationDenied" => "the identity may not impersonate this mailbox (ApplicationImpersonation role missing or scoped out)",
                "ErrorNonExistentMailbox" => "no such mailbox on this server",
                _ => "the request names no mailbox (the identity has none of its own and impersonates nobody)",
            };
            return new EwsMailboxAccessException($"EWS {operation}: mailbox {mailbox ?? "(own)"}: {responseCode}: {why}. {messageText}".TrimEnd(), mailbox, responseCode);
        }

        if (RequestBugCodes.Contains(responseCode))
        {
            var detail = values.TryGetValue("Violation", out var violation) ? violation : messageText;
            var at = values.TryGetValue("LineNumber", out var line) && values.TryGetValue("LinePosition", out var position) ? $" (line {line}, position {position})" : string.Empty;
            return new StoreException($"EWS {operation}{who}: the server refused the request as invalid, a bug in the connector: {responseCode}{at}: {detail}");
        }

        if (TransientCodes.Contains(responseCode))
        {
            return new TransientStoreException($"EWS {operation}{who}: {responseCode}: {messageText}");
        }

        return isFault ? new StoreException($"EWS {operation}{who}: SOAP fault {responseCode}: {messageText}") : null;
    }

    /// <summary>True when <paramref name="exception"/>, thrown while sending or reading, is a transport failure rather than the caller cancelling.</summary>
    public static bool IsTransportFailure(Exception exception, CancellationToken callerToken) => exception switch
    {
        OperationCanceledException => !callerToken.IsCancellationRequested,
        HttpRequestException or IOException => true,
        _ => false,
    };

    /// <summary>The exception for a transport failure, a time limit or a truncated answer.</summary>
    public static TransientStoreException ForTransportFailure(Exception exception, bool timedOut, string operation) =>
        timedOut
            ? new TransientStoreException($"EWS {operation}: no complete answer within the time limit.", exception)
            : new TransientStoreException($"EWS {operation}: {exception.Message}", exception);

    /// <summary>Truncated or malformed XML: with EWS, a cut connection (proxies, load balancers) far more often than a server bug.</summary>
    public static TransientStoreException ForMalformedAnswer(Exception exception, string operation) =>
        new($"EWS {operation}: the answer is not complete, well-formed XML ({exception.Message}).", exception);

    /// <summary>An answer that is XML but not the SOAP an EWS server sends.</summary>
    public static StoreException ForUnexpectedAnswer(string operation, string detail) =>
        new($"EWS {operation}: unexpected answer: {detail}.");

    /// <summary>BackOffMilliseconds from an ErrorServerBusy MessageXml; null when absent.</summary>
    public static TimeSpan? BackOff(IReadOnlyDictionary<string, string> values) =>
        values.TryGetValue("BackOffMilliseconds", out var text)
        && long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var milliseconds)
            ? Clamp(TimeSpan.FromMilliseconds(milliseconds))
            : null;

    /// <summary>Retry-After: delta-seconds (also fractional) or an HTTP date relative to <paramref name="now"/>; null when absent or unreadable.</summary>
    public static TimeSpan? RetryAfter(HttpResponseMessage response, DateTimeOffset now) =>
        response.Headers.TryGetValues("Retry-After", out var values) ? ParseRetryAfter(values.FirstOrDefault(), now) : null;

    /// <summary>See <see cref="RetryAfter"/>.</summary>
    public static TimeSpan? ParseRetryAfter(string? value, DateTimeOffset now)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        value = value.Trim();
        if (double.TryParse(value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var seconds))
        {
            return Clamp(TimeSpan.FromSeconds(seconds));
        }

        return DateTimeOffset.TryParseExact(value, "r", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var date)
            ? Clamp(date - now)
            : null;
    }

    /// <summary>", it offers NTLM, Negotiate": the schemes of the 401's challenges, so a wrong AuthType is visible in the message.</summary>
    private static string Offered(HttpResponseMessage response)
    {
        var schemes = response.Headers.WwwAuthenticate.Select(c => c.Scheme).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        return schemes.Count == 0 ? string.Empty : ", it offers " + string.Join(", ", schemes);
    }

    private static bool IsXml(HttpResponseMessage response) =>
        response.Content.Headers.ContentType?.MediaType is { } type && type.Contains("xml", StringComparison.OrdinalIgnoreCase);

    private static TimeSpan Clamp(TimeSpan wait) =>
        wait < TimeSpan.Zero ? TimeSpan.Zero : wait > MaxRetryAfter ? MaxRetryAfter : wait;
}
