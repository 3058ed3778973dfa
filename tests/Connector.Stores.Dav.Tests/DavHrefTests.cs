namespace Connector.Stores.Dav.Tests;

public sealed class DavHrefTests
{
    private static readonly Uri Base = new("https://cloud.example.org/remote.php/dav/");

    [Theory]
    [InlineData("/remote.php/dav/calendars/alice/personal/a%20b.ics", "/remote.php/dav/calendars/alice/personal/a%20b.ics")]
    [InlineData("/remote.php/dav/calendars/alice/personal/a b.ics", "/remote.php/dav/calendars/alice/personal/a%20b.ics")]
    [InlineData("https://cloud.example.org/remote.php/dav/calendars/alice/x.ics", "/remote.php/dav/calendars/alice/x.ics")]
    [InlineData("/cal/x%40y.ics", "/cal/x%40y.ics")]
    [InlineData("/cal/x@y.ics", "/cal/x%40y.ics")]
    [InlineData("/cal/%C3%BC.ics", "/cal/%C3%BC.ics")]
    [InlineData("/cal/ü.ics", "/cal/%C3%BC.ics")]
    [InlineData("/cal/a%2Fb.ics", "/cal/a%2Fb.ics")]
    [InlineData("/cal/", "/cal/")]
    [InlineData("calendars/alice/", "/remote.php/dav/calendars/alice/")]
    public void Normalize_AnySpelling_OneCanonicalForm(string href, string expected)
    {
        Assert.Equal(expected, DavHref.Normalize(href, Base));
    }

    [Theory]
    [InlineData("/cal/", "/cal/a.ics", true)]
    [InlineData("/cal/", "/cal/", false)]
    [InlineData("/cal/", "/cal/sub/", false)]
    [InlineData("/cal/", "/other/a.ics", false)]
    public void IsMemberResource(string collection, string href, bool expected)
    {
        Assert.Equal(expected, DavHref.IsMemberResource(collection, href));
    }
}
