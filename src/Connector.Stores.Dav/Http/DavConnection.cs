using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Xml;
using Connector.Stores.Dav.Xml;
using Connector.Sync.Stores;

namespace Connector.Stores.Dav.Http;

/// <summary>Reads one HTTP answer into a result; runs inside the request's time limit.</summary>
internal delegate Task<T> DavResponseReader<T>(HttpResponseMessage response, CancellationToken cancellationToken);

/// <summary>
/// Sends DAV requests for one account: adds Basic authentication, bounds each request (body included) by
/// <see cref="DavStoreOptions.Timeout"/>, and turns transport failures and stopping statuses into store
/// exceptions through <see cref="DavFailurePolicy"/>. Every operation goes through here.
/// </summary>
internal sealed class DavConnection
{
    public static readonly HttpMethod Propfind = new("PROPFIND");
    public static readonly HttpMethod Report = new("REPORT");
    public static readonly HttpMethod MkCalendar = new("MKCALENDAR");
    public static readonly HttpMethod MkCol = new("MKCOL");

    /// <summary>
    /// Sent unless the injected client sets its own: Nextcloud shows it in the user's "Devices &amp; sessions" list
    /// next to the app password, and server logs can tell the connector's requests apart.
    /// </summary>
    public static readonly ProductInfoHeaderValue UserAgent = new("ExchangeNextcloudConnector", "1.0");

    private readonly HttpClient http;
    private readonly AuthenticationHeaderValue? authorization;

    public DavConnection(HttpClient http, DavStoreOptions options, TimeProvider timeProvider)
    {
        this.http = http;
        Options = options;
        TimeProvider = timeProvider;
        if (options.UserName is not null)
        {
            var credentials = Convert.ToBase64String(Encoding.UTF8.GetBytes(options.UserName + ":" + options.Password));
            authorization = new AuthenticationHeaderValue("Basic", credentials);
        }
    }

    public DavStoreOptions Options { get; }

    public TimeProvider TimeProvider { get; }

    /// <summary>An href from the server or the engine (absolute path or URL) as a request URI.</summary>
    public Uri Resolve(string href) => new(Options.BaseUri, href);

    /// <summary>Sends <paramref name="request"/> (and disposes it); statuses that stop the operation throw.</summary>
    public Task<T> SendAsync<T>(HttpRequestMessage request, DavResponseReader<T> read, CancellationToken cancellationToken) =>
        SendAsync(request, read, static _ => false, cancellationToken);

    /// <summary>
    /// As <see cref="SendAsync{T}(HttpRequestMessage, DavResponseReader{T}, CancellationToken)"/>, but statuses
    /// for which <paramref name="readsStatus"/> is true reach <paramref name="read"/> even when the failure policy
    /// would throw (Xandikos' 500 for an unknown sync token).
    /// </summary>
    public async Task<T> SendAsync<T>(HttpRequestMessage request, DavResponseReader<T> read, Func<HttpStatusCode, bool> readsStatus, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        using var _ = request;
        request.Headers.Authorization = authorization;
        if (http.DefaultRequestHeaders.UserAgent.Count == 0)
        {
            request.Headers.UserAgent.Add(UserAgent);
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Options.Timeout);
        try
        {
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);

            // The body is read after SendAsync returned; reads of a response stream do not observe the token
            // given to SendAsync, so the time limit ends a slow body by disposing the response.
            using var abort = timeout.Token.Register(static r => ((HttpResponseMessage)r!).Dispose(), response);
            if (!readsStatus(response.StatusCode) && DavFailurePolicy.ForStatus(response, TimeProvider.GetUtcNow()) is { } failure)
            {
                throw failure;
            }

            return await read(response, timeout.Token);
        }
        catch (Exception ex) when (ex is not StoreException && (timeout.IsCancellationRequested || DavFailurePolicy.IsTransportFailure(ex, cancellationToken)))
        {
            cancellationToken.ThrowIfCancellationRequested();
            throw DavFailurePolicy.ForTransportFailure(ex, timeout.IsCancellationRequested, request.Method, request.RequestUri!);
        }
        catch (XmlException ex)
        {
            throw new StoreException($"{request.Method} {request.RequestUri!.AbsolutePath}: the server sent malformed XML ({ex.Message}).", ex);
        }
    }

    /// <summary>Reads a multistatus body as it streams in.</summary>
    public static async Task<Multistatus> ReadMultistatusAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        await using (stream)
        {
            return await MultistatusReader.ReadAsync(stream, cancellationToken);
        }
    }

    /// <summary>A request with a Depth header and an XML body, as PROPFIND, REPORT and MKCALENDAR want.</summary>
    public static HttpRequestMessage XmlRequest(HttpMethod method, Uri uri, string? depth, string? xmlBody)
    {
        var request = new HttpRequestMessage(method, uri);
        if (depth is not null)
        {
            request.Headers.Add("Depth", depth);
        }

        if (xmlBody is not null)
        {
            // Xandikos 0.2 refuses PROPFIND and REPORT without a Content-Type (415).
            request.Content = new StringContent(xmlBody, Encoding.UTF8, "application/xml");
        }

        return request;
    }
}
