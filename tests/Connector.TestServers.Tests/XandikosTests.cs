using System.Net;
using Connector.Testing;

namespace Connector.TestServers.Tests;

public sealed class XandikosTests
{
    [ServerFact(TestServer.Xandikos)]
    public async Task Xandikos_PropfindCurrentUserPrincipal_Returns207()
    {
        var server = TestServerEnvironment.Xandikos;

        var response = await DavHttp.PropfindAsync(server, "/", "0", "current-user-principal");

        Assert.Equal(HttpStatusCode.MultiStatus, response.Status);
        Assert.Equal(server.PrincipalPath, DavHttp.PropertyHref(response.Body, "current-user-principal"));
    }

    [ServerFact(TestServer.Xandikos)]
    public async Task Xandikos_DefaultCollections_Exist()
    {
        var server = TestServerEnvironment.Xandikos;

        var calendars = await DavHttp.PropfindAsync(server, server.PrincipalPath + "calendars/calendar/", "0", "resourcetype");
        var contacts = await DavHttp.PropfindAsync(server, server.PrincipalPath + "contacts/addressbook/", "0", "resourcetype");

        Assert.Equal(HttpStatusCode.MultiStatus, calendars.Status);
        Assert.Equal(HttpStatusCode.MultiStatus, contacts.Status);
    }

    [ServerFact(TestServer.Xandikos)]
    public async Task Xandikos_MkcalendarPutGet_RoundTripsEvent()
    {
        var server = TestServerEnvironment.Xandikos;
        var calendar = server.PrincipalPath + "calendars/" + DavHttp.NewName("calendar") + "/";
        Assert.Equal(HttpStatusCode.Created, (await DavHttp.SendAsync(server, DavHttp.MkCalendar, calendar)).Status);
        try
        {
            var item = calendar + "event.ics";
            var put = await DavHttp.PutEventAsync(server, item, DavHttp.Event("xandikos-event", "Round trip"));
            Assert.Equal(HttpStatusCode.Created, put.Status);

            var get = await DavHttp.SendAsync(server, HttpMethod.Get, item);

            Assert.Equal(HttpStatusCode.OK, get.Status);
            // Xandikos re-serialises the object (property order changes), so compare properties, not bytes.
            Assert.Contains("UID:xandikos-event", get.Body, StringComparison.Ordinal);
            Assert.Contains("SUMMARY:Round trip", get.Body, StringComparison.Ordinal);
            Assert.Equal(put.ETag, get.ETag);
        }
        finally
        {
            await DavHttp.SendAsync(server, HttpMethod.Delete, calendar);
        }
    }

    [ServerFact(TestServer.Xandikos)]
    public async Task Xandikos_SyncCollection_ReturnsEventsIncrementally()
    {
        var server = TestServerEnvironment.Xandikos;
        var calendar = server.PrincipalPath + "calendars/" + DavHttp.NewName("calendar") + "/";
        Assert.Equal(HttpStatusCode.Created, (await DavHttp.SendAsync(server, DavHttp.MkCalendar, calendar)).Status);
        try
        {
            var first = calendar + "first.ics";
            Assert.Equal(HttpStatusCode.Created, (await DavHttp.PutEventAsync(server, first, DavHttp.Event("first", "First"))).Status);

            var initial = await DavHttp.SyncCollectionAsync(server, calendar, string.Empty);
            Assert.Equal(HttpStatusCode.MultiStatus, initial.Status);
            Assert.Equal([first], DavHttp.ResponseHrefs(initial.Body));
            var token = DavHttp.SyncToken(initial.Body);

            var second = calendar + "second.ics";
            Assert.Equal(HttpStatusCode.Created, (await DavHttp.PutEventAsync(server, second, DavHttp.Event("second", "Second"))).Status);

            var delta = await DavHttp.SyncCollectionAsync(server, calendar, token);
            Assert.Equal(HttpStatusCode.MultiStatus, delta.Status);
            Assert.Equal([second], DavHttp.ResponseHrefs(delta.Body));
        }
        finally
        {
            await DavHttp.SendAsync(server, HttpMethod.Delete, calendar);
        }
    }
}
