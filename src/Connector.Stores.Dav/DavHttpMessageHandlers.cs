using System.Net;

namespace Connector.Stores.Dav;

/// <summary>
/// The primary handler a DAV store's <see cref="HttpClient"/> should use, for code that builds its own client or
/// configures <c>IHttpClientFactory</c> (<c>ConfigurePrimaryHttpMessageHandler(() =&gt; DavHttpMessageHandlers.Create(quirks))</c>).
/// </summary>
public static class DavHttpMessageHandlers
{
    /// <summary>How long a pooled connection lives, so that DNS changes (a moved Nextcloud) are picked up.</summary>
    public static readonly TimeSpan PooledConnectionLifetime = TimeSpan.FromMinutes(5);

    /// <summary>
    /// A handler with keep-alive, gzip/deflate/brotli decompression (multistatus answers compress about tenfold)
    /// and no automatic redirects (discovery follows them itself, and a redirect must never carry the Basic
    /// credentials to another host). For <see cref="DavServerQuirks.Radicale"/> it does not pool connections.
    /// </summary>
    public static SocketsHttpHandler Create(DavServerQuirks quirks = DavServerQuirks.None) => new()
    {
        AutomaticDecompression = DecompressionMethods.All,
        AllowAutoRedirect = false,
        // One handler serves many users: a session cookie of one user must never ride on another's request.
        UseCookies = false,

        // Radicale 3.1 closes every connection after its response (see DavServerQuirks.Radicale); a zero
        // lifetime makes SocketsHttpHandler never reuse one.
        PooledConnectionLifetime = quirks.HasFlag(DavServerQuirks.Radicale) ? TimeSpan.Zero : PooledConnectionLifetime,
        PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30),
        ConnectTimeout = TimeSpan.FromSeconds(15),
    };
}
