using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Connector.Stores.Graph.Json;
using Connector.Sync.Stores;

namespace Connector.Stores.Graph.Http;

/// <summary>A Graph answer the caller decides about (2xx, 404, 412, 400, 409, 410 …): status, body and error code.</summary>
internal sealed record GraphAnswer(HttpStatusCode Status, byte[] Body, string? ErrorCode, string? ErrorMessage)
{
    public bool IsSuccess => (int)Status is >= 200 and < 300;

    public T Read<T>(JsonTypeInfo<T> type, string what)
    {
        try
        {
            return JsonSerializer.Deserialize(Body, type) ?? throw new StoreException($"Graph {what}: empty answer");
        }
        catch (JsonException ex)
        {
            throw new TransientStoreException($"Graph {what}: the answer is not the expected JSON ({ex.Message})", ex);
        }
    }

    public string Describe() => ErrorCode is null ? $"HTTP {(int)Status}" : $"HTTP {(int)Status} {ErrorCode}: {ErrorMessage}";
}

/// <summary>
/// The one place that talks HTTP to Graph for a mailbox: the headers every request carries, the per-mailbox
/// concurrency limit, the time limit, and one failure policy. 401/403 → <see cref="CredentialRejectedException"/>
/// (never retried, S16); 429/503 → <see cref="ThrottledException"/> with Retry-After (seconds, also fractional, or a
/// date); 5xx, timeouts and broken connections → <see cref="TransientStoreException"/>. Everything else is handed
/// back as a <see cref="GraphAnswer"/>. Links the server hands out (nextLink, deltaLink) are followed only on the
/// configured root, so a token never sends the bearer token elsewhere.
/// </summary>
internal sealed class GraphConnection
{
    /// <summary>
    /// Sent with every request: immutable ids (they survive moves between folders), times in UTC (the zone an event
    /// was made in comes from originalStartTimeZone), and bodies as text, which is what iCalendar DESCRIPTION and
    /// vCard NOTE hold (Graph converts HTML bodies; the HTML itself is not synced back).
    /// </summary>
    internal static readonly string[] PreferAlways = ["IdType=\"ImmutableId\"", "outlook.timezone=\"UTC\"", "outlook.body-content-type=\"text\""];

    private readonly HttpClient http;
    private readonly GraphStoreOptions options;
    private readonly GraphMailboxLimiter limiter;

    public GraphConnection(HttpClient http, GraphStoreOptions options)
    {
        this.http = http;
        this.options = options;
        limiter = GraphMailboxLimiter.For(options.Root, options.Mailbox, options.MaxConcurrentRequests);
        MailboxPath = "users/" + Uri.EscapeDataString(options.Mailbox);
    }

    /// <summary>Relative path of the mailbox, e.g. <c>users/alice%40contoso.com</c>.</summary>
    public string MailboxPath { get; }

    public Uri Root => options.Root;

    /// <summary>Requests sent (each <c>$batch</c> counts once), for the cost figures in the README.</summary>
    public int RequestCount => Volatile.Read(ref requestCount);

    private int requestCount;

    public Uri Resolve(string relative) => new(options.Root, relative);

    /// <summary>A link from the server (nextLink/deltaLink), accepted only on the configured root.</summary>
    public Uri? TrustedLink(string? link)
    {
        if (link is null || !Uri.TryCreate(link, UriKind.Absolute, out var uri))
        {
            return null;
        }

        return uri.Scheme == options.Root.Scheme && string.Equals(uri.Authority, options.Root.Authority, StringComparison.OrdinalIgnoreCase)
            && uri.AbsolutePath.StartsWith(options.Root.AbsolutePath, StringComparison.Ordinal)
            ? uri
            : null;
    }

    public Task<GraphAnswer> SendAsync(HttpMethod method, Uri uri, byte[]? body, CancellationToken cancellationToken, string? ifMatch = null, bool paged = false) =>
        SendCoreAsync(method, uri, body, ifMatch, paged, permits: 1, cancellationToken);

    public Task<GraphAnswer> SendJsonAsync<T>(HttpMethod method, Uri uri, T body, JsonTypeInfo<T> type, CancellationToken cancellationToken, string? ifMatch = null) =>
        SendCoreAsync(method, uri, JsonSerializer.SerializeToUtf8Bytes(body, type), ifMatch, paged: false, permits: 1, cancellationToken);

    /// <summary>Sends a <c>$batch</c>; <paramref name="parallel"/> is how many of its requests may run at once (the permits it holds).</summary>
    public Task<GraphAnswer> SendBatchAsync(GraphBatchRequest batch, int parallel, CancellationToken cancellationToken) =>
        SendCoreAsync(HttpMethod.Post, Resolve("$batch"), JsonSerializer.SerializeToUtf8Bytes(batch, GraphJsonContext.Default.GraphBatchRequest), null, paged: false, parallel, cancellationToken);

    private async Task<GraphAnswer> SendCoreAsync(HttpMethod method, Uri uri, byte[]? body, string? ifMatch, bool paged, int permits, CancellationToken cancellationToken)
    {
        using var lease = await limiter.AcquireAsync(permits, cancellationToken).ConfigureAwait(false);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.Timeout);
        using var request = new HttpRequestMessage(method, uri);
        var prefer = paged ? [.. PreferAlways, "odata.maxpagesize=" + options.PageSize.ToString(CultureInfo.InvariantCulture)] : PreferAlways;
        request.Headers.TryAddWithoutValidation("Prefer", prefer);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        if (ifMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        }

        if (body is not null)
        {
            request.Content = new ByteArrayContent(body);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        }

        Interlocked.Increment(ref requestCount);
        HttpResponseMessage response;
        byte[] bytes;
        try
        {
            response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, timeout.Token).ConfigureAwait(false);
            bytes = await response.Content.ReadAsByteArrayAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TransientStoreException($"Graph {method} {Describe(uri)}: no answer within {options.Timeout}", ex);
        }
        catch (HttpRequestException ex)
        {
            throw new TransientStoreException($"Graph {method} {Describe(uri)}: {ex.Message}", ex);
        }

        using (response)
        {
            var (code, message) = ReadError(bytes);
            var what = $"Graph {method} {Describe(uri)}";
            switch ((int)response.StatusCode)
            {
                case 401 or 403:
                    throw new CredentialRejectedException($"{what}: HTTP {(int)response.StatusCode} {code}: {message}");
                case 429 or 503:
                    throw new ThrottledException($"{what}: HTTP {(int)response.StatusCode} {code}", RetryAfter(response));
                case 500 or 502 or 504:
                    throw new TransientStoreException($"{what}: HTTP {(int)response.StatusCode} {code}: {message}");
                default:
                    return new GraphAnswer(response.StatusCode, bytes, code, message);
            }
        }
    }

    /// <summary>Retry-After as Graph sends it: delta seconds (also fractional, e.g. "1.5") or an HTTP date.</summary>
    internal static TimeSpan? RetryAfter(HttpResponseMessage response)
    {
        if (!response.Headers.TryGetValues("Retry-After", out var values))
        {
            return null;
        }

        return ParseRetryAfter(values.FirstOrDefault(), DateTimeOffset.UtcNow);
    }

    internal static TimeSpan? ParseRetryAfter(string? text, DateTimeOffset now)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        if (double.TryParse(text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds >= 0 && seconds < 86_400)
        {
            return TimeSpan.FromSeconds(seconds);
        }

        if (DateTimeOffset.TryParse(text.Trim(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
        {
            var wait = at - now;
            return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
        }

        return null;
    }

    internal static (string? Code, string? Message) ReadError(ReadOnlySpan<byte> body)
    {
        if (body.IsEmpty || body[0] != (byte)'{')
        {
            return (null, null);
        }

        try
        {
            var error = JsonSerializer.Deserialize(body, GraphJsonContext.Default.GraphErrorResponse)?.Error;
            return (error?.Code, error?.Message);
        }
        catch (JsonException)
        {
            return (null, null);
        }
    }

    /// <summary>The path of a request for messages, without the query (ids are not secret, but queries can be long).</summary>
    private static string Describe(Uri uri) => uri.AbsolutePath;

    public static string Utf8(byte[] body) => Encoding.UTF8.GetString(body);
}
