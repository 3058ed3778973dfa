using System.Net;
using Connector.Testing;

namespace Connector.TestServers.Tests;

public sealed class RadicaleTests
{
    [ServerFact(TestServer.Radicale)]
    public async Task Radicale_PropfindPrincipal_Returns207()
    {
        var server = TestServerEnvironment.Radicale;

        var response = await DavHttp.PropfindAsync(server, server.PrincipalPath, "0", "current-user-principal", "resourcetype");

        Assert.Equal(HttpStatusCode.MultiStatus, response.Status);
        Assert.Contains(server.PrincipalPath, DavHttp.ResponseHrefs(response.Body));
        Assert.Equal(server.PrincipalPath, DavHttp.PropertyHref(response.Body, "current-user-principal"));
    }

    [ServerFact(TestServer.Radicale)]
    public async Task Radicale_WrongPassword_Returns401()
    {
        var server = TestServerEnvironment.Radicale with { Password = "not-the-password" };

        var response = await DavHttp.PropfindAsync(server, server.PrincipalPath, "0", "resourcetype");

        Assert.Equal(HttpStatusCode.Unauthorized, response.Status);
    }

    [ServerFact(TestServer.Radicale)]
    public async Task Radicale_NoCredentials_Returns401()
    {
        var server = TestServerEnvironment.Radicale with { UserName = null, Password = null };

        var response = await DavHttp.PropfindAsync(server, server.PrincipalPath, "0", "resourcetype");

        Assert.Equal(HttpStatusCode.Unauthorized, response.Status);
    }

    [ServerFact(TestServer.Radicale)]
    public async Task Radicale_MkcalendarPutSyncCollection_ReturnsEventsIncrementally()
    {
        var server = TestServerEnvironment.Radicale;
        var calendar = server.PrincipalPath + DavHttp.NewName("calendar") + "/";
        Assert.Equal(HttpStatusCode.Created, (await DavHttp.SendAsync(server, DavHttp.MkCalendar, calendar)).Status);
        try
        {
            var first = calendar + "first.ics";
            var put = await DavHttp.PutEventAsync(server, first, DavHttp.Event("first", "First"));
            Assert.Equal(HttpStatusCode.Created, put.Status);

            // If-None-Match: * on an existing resource must not overwrite it.
            var again = await DavHttp.PutEventAsync(server, first, DavHttp.Event("first", "Overwritten"));
            Assert.Equal(HttpStatusCode.PreconditionFailed, again.Status);

            var initial = await DavHttp.SyncCollectionAsync(server, calendar, string.Empty);
            Assert.Equal(HttpStatusCode.MultiStatus, initial.Status);
            Assert.Equal([first], DavHttp.ResponseHrefs(initial.Body));
            var token = DavHttp.SyncToken(initial.Body);

            var second = calendar + "second.ics";
            Assert.Equal(HttpStatusCode.Created, (await DavHttp.PutEventAsync(server, second, DavHttp.Event("second", "Second"))).Status);

            var delta = await DavHttp.SyncCollectionAsync(server, calendar, token);
            Assert.Equal(HttpStatusCode.MultiStatus, delta.Status);
            Assert.Equal([second], DavHttp.ResponseHrefs(delta.Body));
            Assert.NotEqual(token, DavHttp.SyncToken(delta.Body));
        }
        finally
        {
            await DavHttp.SendAsync(server, HttpMethod.Delete, calendar);
        }
    }
}
