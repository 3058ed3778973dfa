using System.Globalization;
using System.Net;
using Connector.Sync.Stores;

namespace Connector.Stores.Dav.Http;

/// <summary>
/// The one place that decides, for the DAV store, which failures stop the user and how long to wait before
/// trying again. The store itself never retries: it throws, and the scheduler waits (sharing the back-off with
/// everything else that talks to the same account).
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item>401 → <see cref="CredentialRejectedException"/>, never retried: Nextcloud's brute-force protection
/// would lock the worker's address out for every user (S16).</item>
/// <item>429, 503 → <see cref="ThrottledException"/> with the server's Retry-After (seconds, fractional seconds,
/// or an HTTP date) when it sent one (S14).</item>
/// <item>408, 500, 502, 504 and other 5xx except 501/507, timeouts, connection resets, I/O errors →
/// <see cref="TransientStoreException"/>.</item>
/// <item>Everything else (404, 412, 403, 507, …) is an answer the operation interprets.</item>
/// </list>
/// </remarks>
internal static class DavFailurePolicy
{
    /// <summary>Longest wait a Retry-After may ask for; a larger one is a broken header, not a plan.</summary>
    public static readonly TimeSpan MaxRetryAfter = TimeSpan.FromDays(1);

    /// <summary>The exception for a response status that stops the operation, or null when the operation reads the answer.</summary>
    public static StoreException? ForStatus(HttpResponseMessage response, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(response);
        var status = (int)response.StatusCode;
        var what = Describe(response);
        return status switch
        {
            401 => new CredentialRejectedException($"{what}: the server rejected the credentials (401); not retried."),
            407 => new CredentialRejectedException($"{what}: the proxy rejected the credentials (407); not retried."),
            429 or 503 => new ThrottledException($"{what}: the server asks to slow down ({status}).", RetryAfter(response, now)),
            408 => new TransientStoreException($"{what}: the server timed out waiting for the request (408)."),
            501 or 507 => null,
            >= 500 and < 600 => new TransientStoreException($"{what}: server error {status}."),
            _ => null,
        };
    }

    /// <summary>
    /// True when <paramref name="exception"/>, thrown while sending or reading, is a transport failure (reset
    /// connection, timeout, truncated body) rather than the caller cancelling.
    /// </summary>
    public static bool IsTransportFailure(Exception exception, CancellationToken callerToken) => exception switch
    {
        OperationCanceledException => !callerToken.IsCancellationRequested,
        HttpRequestException or IOException => true,
        _ => false,
    };

    /// <summary>The exception for a transport failure (see <see cref="IsTransportFailure"/>) or an exceeded time limit.</summary>
    public static TransientStoreException ForTransportFailure(Exception exception, bool timedOut, HttpMethod method, Uri uri)
    {
        ArgumentNullException.ThrowIfNull(exception);
        ArgumentNullException.ThrowIfNull(uri);
        var what = $"{method} {uri.AbsolutePath}";
        return timedOut
            ? new TransientStoreException($"{what}: no complete answer within the time limit.", exception)
            : new TransientStoreException($"{what}: {exception.Message}", exception);
    }

    /// <summary>An answer the operation did not expect: not transient, the request itself is wrong for this server.</summary>
    public static StoreException Unexpected(HttpResponseMessage response, string? detail = null)
    {
        ArgumentNullException.ThrowIfNull(response);
        var message = $"{Describe(response)}: unexpected answer {(int)response.StatusCode} {response.ReasonPhrase}";
        return new StoreException(detail is null ? message + "." : message + ": " + detail);
    }

    /// <summary>
    /// The wait a Retry-After header asks for: delta-seconds (also fractional, which .NET's own parser
    /// refuses) or an HTTP date relative to <paramref name="now"/>; null when absent or unreadable.
    /// </summary>
    public static TimeSpan? RetryAfter(HttpResponseMessage response, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(response);
        return response.Headers.TryGetValues("Retry-After", out var values)
            ? ParseRetryAfter(values.FirstOrDefault(), now)
            : null;
    }

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

        if (DateTimeOffset.TryParseExact(value, "r", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var date)
            || DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out date))
        {
            return Clamp(date - now);
        }

        return null;
    }

    private static TimeSpan Clamp(TimeSpan wait) =>
        wait < TimeSpan.Zero ? TimeSpan.Zero : wait > MaxRetryAfter ? MaxRetryAfter : wait;

    // The path only: a query string could carry a secret, and the host is the same for every request.
    private static string Describe(HttpResponseMessage response) =>
        response.RequestMessage is { RequestUri: { } uri } request ? $"{request.Method} {uri.AbsolutePath}" : "request";

    /// <summary>True for a status in the 2xx range.</summary>
    public static bool IsSuccess(HttpStatusCode status) => (int)status is >= 200 and < 300;
}
