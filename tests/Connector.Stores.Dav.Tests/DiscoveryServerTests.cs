using Connector.Sync.Stores;
using Connector.Testing;

namespace Connector.Stores.Dav.Tests;

/// <summary>Discovery against the real servers: well-known redirect, principal, home sets, collection kinds.</summary>
public sealed class DiscoveryServerTests
{
    [ServerFact(TestServer.Radicale)]
    public async Task Radicale_CreatedCollections_DiscoveredWithTheirKindsOnly()
    {
        var server = TestServerEnvironment.Radicale;
        var store = DavTestServers.CreateStore(server);
        var events = await DavTestServers.NewCollectionAsync(store, ItemKind.Event, "Discovery");
        var tasks = await DavTestServers.NewCollectionAsync(store, ItemKind.Task, "Discovery");
        var contacts = await DavTestServers.NewCollectionAsync(store, ItemKind.Contact, "Discovery");
        try
        {
            var all = await store.DiscoverCollectionsAsync(ItemKind.Event | ItemKind.Task | ItemKind.Contact, CancellationToken.None);
            var onlyTasks = await store.DiscoverCollectionsAsync(ItemKind.Task, CancellationToken.None);

            // Radicale keeps calendars and address books in the principal collection /test/.
            Assert.All([events, tasks, contacts], c => Assert.StartsWith(server.PrincipalPath, c.Id, StringComparison.Ordinal));
            Assert.Contains(all, c => c == events);
            Assert.Contains(all, c => c == tasks);
            Assert.Contains(all, c => c == contacts);

            // Radicale keeps the supported-calendar-component-set given at MKCALENDAR: each calendar lists once.
            Assert.Single(all, c => c.Id == events.Id);
            Assert.Single(all, c => c.Id == tasks.Id);
            Assert.Contains(onlyTasks, c => c == tasks);
            Assert.DoesNotContain(onlyTasks, c => c.Id == events.Id || c.Id == contacts.Id);
        }
        finally
        {
            foreach (var c in new[] { events, tasks, contacts })
            {
                await DavTestServers.DeleteCollectionAsync(server, c.Id);
            }
        }
    }

    [ServerFact(TestServer.Xandikos)]
    public async Task Xandikos_DefaultsAndCreatedCollections_Discovered()
    {
        var server = TestServerEnvironment.Xandikos;
        var counting = default(CountingHandler);
        var store = DavTestServers.CreateStore(server, inner => counting = new CountingHandler(inner));
        var tasks = await DavTestServers.NewCollectionAsync(store, ItemKind.Task, "Discovery");
        try
        {
            counting!.Reset();
            var all = await store.DiscoverCollectionsAsync(ItemKind.Event | ItemKind.Task | ItemKind.Contact, CancellationToken.None);

            // build.sh starts Xandikos with --defaults: calendars/calendar (every component) and contacts/addressbook.
            Assert.Contains(all, c => c.Id == "/test/calendars/calendar/" && c.Kind == ItemKind.Event);
            Assert.Contains(all, c => c.Id == "/test/calendars/calendar/" && c.Kind == ItemKind.Task);
            Assert.Contains(all, c => c.Id == "/test/contacts/addressbook/" && c.Kind == ItemKind.Contact);

            // Xandikos 0.2 ignores supported-calendar-component-set at MKCALENDAR: the task list also lists as events.
            Assert.StartsWith("/test/calendars/", tasks.Id, StringComparison.Ordinal);
            Assert.Contains(all, c => c == tasks);
            Assert.Contains(all, c => c.Id == tasks.Id && c.Kind == ItemKind.Event);

            // The account was discovered when the collection was created; listing is one PROPFIND per home.
            Assert.Equal(["PROPFIND", "PROPFIND"], counting.Requests);
        }
        finally
        {
            await DavTestServers.DeleteCollectionAsync(server, tasks.Id);
        }
    }

    [ServerTheory(TestServer.Radicale, TestServer.Xandikos)]
    [InlineData(TestServer.Radicale)]
    [InlineData(TestServer.Xandikos)]
    public async Task WellKnownRedirect_FollowedToThePrincipal(TestServer which)
    {
        var server = DavTestServers.Get(which);
        var counting = default(CountingHandler);
        var store = DavTestServers.CreateStore(server, inner => counting = new CountingHandler(inner));

        var found = await store.DiscoverCollectionsAsync(ItemKind.Contact, CancellationToken.None);

        Assert.NotNull(found);

        // /.well-known/caldav (301/302) → / (current-user-principal) → principal (home sets) → home listing.
        Assert.Equal(["PROPFIND", "PROPFIND", "PROPFIND", "PROPFIND"], counting!.Requests);
    }

    [ServerTheory(TestServer.Radicale, TestServer.Xandikos)]
    [InlineData(TestServer.Radicale)]
    [InlineData(TestServer.Xandikos)]
    public async Task ConfiguredPrincipal_SkipsWellKnown(TestServer which)
    {
        var server = DavTestServers.Get(which);
        var counting = default(CountingHandler);
        HttpMessageHandler handler = server.CreateHttpHandler();
        handler = counting = new CountingHandler(handler);
        var store = new DavItemStore(new HttpClient(handler), DavTestServers.Options(server) with { PrincipalPath = server.PrincipalPath });

        await store.DiscoverCollectionsAsync(ItemKind.Event, CancellationToken.None);

        Assert.Equal(2, counting.Count);
    }

    [ServerFact(TestServer.Radicale)]
    public async Task S16_Radicale_WrongPassword_CredentialRejectedAtTheFirst401()
    {
        var server = TestServerEnvironment.Radicale with { Password = "not-the-password" };
        var counting = default(CountingHandler);
        var store = DavTestServers.CreateStore(server, inner => counting = new CountingHandler(inner));

        await Assert.ThrowsAsync<CredentialRejectedException>(() => store.DiscoverCollectionsAsync(ItemKind.Event, CancellationToken.None));

        // Radicale answers the /.well-known redirect without checking credentials; the 401 for "/" ends it.
        Assert.Equal(["PROPFIND", "PROPFIND"], counting!.Requests);
    }
}
