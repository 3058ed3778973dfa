using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Connector.Sync.Stores;
using Connector.Testing;

namespace Connector.Stores.Dav.Tests;

/// <summary>Builds stores against the real test servers, and talks to them behind the store's back.</summary>
internal static class DavTestServers
{
    public static DavServer Get(TestServer server) => server switch
    {
        TestServer.Radicale => TestServerEnvironment.Radicale,
        TestServer.Xandikos => TestServerEnvironment.Xandikos,
        _ => throw new ArgumentOutOfRangeException(nameof(server), server, "not a DAV server"),
    };

    public static DavServerQuirks QuirksOf(TestServer server) =>
        server == TestServer.Radicale ? DavServerQuirks.Radicale : DavServerQuirks.Xandikos;

    public static DavStoreOptions Options(DavServer server, int batchLimit = DavStoreOptions.DefaultBatchLimit, DavServerQuirks? quirks = null) => new()
    {
        BaseUri = server.BaseUri,
        UserName = server.UserName,
        Password = server.Password,
        BatchLimit = batchLimit,
        Timeout = TimeSpan.FromSeconds(60),
        Quirks = quirks,
    };

    /// <summary>
    /// A store on <paramref name="server"/>; <paramref name="wrap"/> may put handlers (counting, recording) in front of
    /// the server's own handler (no pooling for Radicale, see <see cref="DavServer.ClosesConnectionAfterEachResponse"/>).
    /// </summary>
    public static DavItemStore CreateStore(
        DavServer server,
        Func<HttpMessageHandler, HttpMessageHandler>? wrap = null,
        int batchLimit = DavStoreOptions.DefaultBatchLimit,
        DavServerQuirks? quirks = null)
    {
        HttpMessageHandler handler = server.CreateHttpHandler();
        if (wrap is not null)
        {
            handler = wrap(handler);
        }

        return new DavItemStore(new HttpClient(handler), Options(server, batchLimit, quirks));
    }

    /// <summary>A fresh collection of <paramref name="kind"/> with a name no other test uses.</summary>
    public static Task<CollectionInfo> NewCollectionAsync(DavItemStore store, ItemKind kind, string label) =>
        store.CreateCollectionAsync($"{label} {kind} {Guid.NewGuid():N}", kind, CancellationToken.None);

    /// <summary>PUTs raw bytes behind the store's back (as another client would); returns the status.</summary>
    public static async Task<HttpStatusCode> PutRawAsync(DavServer server, string href, byte[] content, string mediaType)
    {
        using var client = new HttpClient(server.CreateHttpHandler());
        using var request = new HttpRequestMessage(HttpMethod.Put, server.Resolve(href)) { Content = new ByteArrayContent(content) };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(mediaType);
        Authorize(server, request);
        using var response = await client.SendAsync(request);
        return response.StatusCode;
    }

    /// <summary>Deletes a collection (test clean-up; the store has no such operation).</summary>
    public static async Task DeleteCollectionAsync(DavServer server, string href)
    {
        using var client = new HttpClient(server.CreateHttpHandler());
        using var request = new HttpRequestMessage(HttpMethod.Delete, server.Resolve(href));
        Authorize(server, request);
        using var response = await client.SendAsync(request);
    }

    private static void Authorize(DavServer server, HttpRequestMessage request)
    {
        if (server.UserName is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue(
                "Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{server.UserName}:{server.Password}")));
        }
    }
}
