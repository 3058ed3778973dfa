using System.Net;
using Connector.Sync.Stores;
using Connector.Testing;
using Connector.Testing.Conformance;

namespace Connector.Stores.Dav.Tests;

/// <summary>Tokens the real servers refuse, and the fallback for a server without sync-collection (S05, S07).</summary>
public sealed class SyncTokenServerTests
{
    [ServerTheory(TestServer.Radicale, TestServer.Xandikos)]
    [InlineData(TestServer.Radicale)]
    [InlineData(TestServer.Xandikos)]
    public async Task S05_UnknownTokenOfTheServersForm_TokenInvalidThenFullListingRecovers(TestServer which)
    {
        var server = DavTestServers.Get(which);
        var store = DavTestServers.CreateStore(server);
        var collection = await DavTestServers.NewCollectionAsync(store, ItemKind.Event, "Tokens");
        try
        {
            var item = await store.CreateAsync(collection, ConformanceItems.Event("token-1"), CancellationToken.None);
            var real = (await store.GetChangesAsync(collection, null, CancellationToken.None)).NewToken!;
            var unknown = real[..^6] + "000000";

            var refused = await store.GetChangesAsync(collection, unknown, CancellationToken.None);
            var recovered = await store.GetChangesAsync(collection, null, CancellationToken.None);

            Assert.Equal(ChangeFeedStatus.TokenInvalid, refused.Status);
            Assert.Equal(ChangeFeedStatus.FullListing, recovered.Status);
            Assert.Equal([item.Id], recovered.Changes.Select(c => c.Id));
        }
        finally
        {
            await DavTestServers.DeleteCollectionAsync(server, collection.Id);
        }
    }

    [ServerTheory(TestServer.Radicale, TestServer.Xandikos)]
    [InlineData(TestServer.Radicale)]
    [InlineData(TestServer.Xandikos)]
    public async Task S05_TokenOfAnotherCollection_TokenInvalid(TestServer which)
    {
        var server = DavTestServers.Get(which);
        var store = DavTestServers.CreateStore(server);
        var first = await DavTestServers.NewCollectionAsync(store, ItemKind.Event, "Tokens A");
        var second = await DavTestServers.NewCollectionAsync(store, ItemKind.Event, "Tokens B");
        try
        {
            await store.CreateAsync(first, ConformanceItems.Event("token-a"), CancellationToken.None);
            await store.CreateAsync(second, ConformanceItems.Event("token-b1"), CancellationToken.None);
            await store.CreateAsync(second, ConformanceItems.Event("token-b2"), CancellationToken.None);
            var tokenOfFirst = (await store.GetChangesAsync(first, null, CancellationToken.None)).NewToken;

            var feed = await store.GetChangesAsync(second, tokenOfFirst, CancellationToken.None);

            Assert.Equal(ChangeFeedStatus.TokenInvalid, feed.Status);
        }
        finally
        {
            await DavTestServers.DeleteCollectionAsync(server, first.Id);
            await DavTestServers.DeleteCollectionAsync(server, second.Id);
        }
    }

    [ServerTheory(TestServer.Radicale, TestServer.Xandikos)]
    [InlineData(TestServer.Radicale)]
    [InlineData(TestServer.Xandikos)]
    public async Task S07_ServerWithoutSyncCollection_ListsByETagAndDetectsChangesByCTag(TestServer which)
    {
        var server = DavTestServers.Get(which);
        var counting = default(CountingHandler);
        var store = DavTestServers.CreateStore(server, inner => counting = new CountingHandler(new NoSyncCollectionHandler(inner)));
        var collection = await DavTestServers.NewCollectionAsync(store, ItemKind.Event, "Fallback");
        try
        {
            var a = await store.CreateAsync(collection, ConformanceItems.Event("fallback-a"), CancellationToken.None);
            var b = await store.CreateAsync(collection, ConformanceItems.Event("fallback-b"), CancellationToken.None);

            counting!.Reset();
            var full = await store.GetChangesAsync(collection, null, CancellationToken.None);
            var quiet = await store.GetChangesAsync(collection, full.NewToken, CancellationToken.None);
            Assert.True((await store.DeleteAsync(collection, b.Id!, b.Version!, CancellationToken.None)).IsSuccess);
            var changed = await store.GetChangesAsync(collection, quiet.NewToken, CancellationToken.None);

            Assert.Equal(ChangeFeedStatus.FullListing, full.Status);
            Assert.Equal(new[] { (a.Id, a.Version), (b.Id, b.Version) }.Order(), full.Changes.Select(c => ((string?)c.Id, c.Version)).Order());
            Assert.StartsWith("dav1:c:", full.NewToken, StringComparison.Ordinal);
            Assert.Equal(ChangeFeedStatus.Changes, quiet.Status);
            Assert.Empty(quiet.Changes);
            Assert.Equal(ChangeFeedStatus.FullListing, changed.Status);
            Assert.Equal([a.Id], changed.Changes.Select(c => c.Id));
            Assert.Equal(
                ["REPORT sync-collection", "PROPFIND", "PROPFIND", "DELETE", "PROPFIND", "PROPFIND"],
                counting.Requests);
        }
        finally
        {
            await DavTestServers.DeleteCollectionAsync(server, collection.Id);
        }
    }

    /// <summary>Plays a server without RFC 6578: answers every sync-collection REPORT with 501.</summary>
    private sealed class NoSyncCollectionHandler(HttpMessageHandler inner) : DelegatingHandler(inner)
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (request.Method.Method == "REPORT" && request.Content is not null
                && (await request.Content.ReadAsStringAsync(cancellationToken)).Contains("sync-collection", StringComparison.Ordinal))
            {
                return new HttpResponseMessage(HttpStatusCode.NotImplemented) { RequestMessage = request };
            }

            return await base.SendAsync(request, cancellationToken);
        }
    }
}
