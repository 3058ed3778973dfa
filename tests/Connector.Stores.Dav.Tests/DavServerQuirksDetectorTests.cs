using System.Net.Http.Headers;

namespace Connector.Stores.Dav.Tests;

public sealed class DavServerQuirksDetectorTests
{
    [Theory]
    [InlineData("1, 3, extended-mkcol, access-control, calendar-access, calendar-auto-schedule, addressbook, nextcloud-checksum-update, nc-calendar-search, nc-enable-birthday-calendar", "Apache", DavServerQuirks.Nextcloud)]
    [InlineData("1, 2, 3, calendar-access, calendar-auto-scheduling, addressbook, extended-mkcol, add-member, sync-collection, quota", "Python/3.11 aiohttp/3.8.4", DavServerQuirks.Xandikos)]
    [InlineData("1, 2, 3, calendar-access, addressbook, extended-mkcol", "Radicale/3.2", DavServerQuirks.Radicale)]
    [InlineData("1, 2, 3, calendar-access, addressbook, extended-mkcol", "WSGIServer/0.2 CPython/3.11.2", DavServerQuirks.None)]
    [InlineData("", "", DavServerQuirks.None)]
    public void FromHeaders_KnownServers(string dav, string server, DavServerQuirks expected)
    {
        using var response = new HttpResponseMessage();
        if (dav.Length > 0)
        {
            response.Headers.TryAddWithoutValidation("DAV", dav);
        }

        if (server.Length > 0)
        {
            response.Headers.TryAddWithoutValidation("Server", server);
        }

        Assert.Equal(expected, DavServerQuirksDetector.FromHeaders(response.Headers));
    }
}
