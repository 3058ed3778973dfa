using System.Xml;
using Connector.Stores.Dav.Xml;

namespace Connector.Stores.Dav.Tests;

public sealed class MultistatusReaderTests
{
    [Fact]
    public async Task Read_SyncTokenAfterResponses_XandikosPrefixes()
    {
        const string Body = """
            <ns0:multistatus xmlns:ns0="DAV:"><ns0:response><ns0:href>/c/a.ics</ns0:href><ns0:propstat><ns0:status>HTTP/1.1 200 OK</ns0:status><ns0:prop><ns0:getetag>"e1"</ns0:getetag></ns0:prop></ns0:propstat></ns0:response><ns0:response><ns0:href>/c/b.ics</ns0:href><ns0:status>HTTP/1.1 404 Not Found</ns0:status></ns0:response><ns0:sync-token>t2</ns0:sync-token></ns0:multistatus>
            """;

        var result = await MultistatusReader.ReadAsync(Body, CancellationToken.None);

        Assert.Equal("t2", result.SyncToken);
        Assert.Equal(["/c/a.ics", "/c/b.ics"], result.Responses.Select(r => r.Href));
        Assert.Equal([200, 404], result.Responses.Select(r => r.EffectiveStatus));
        Assert.Equal("\"e1\"", result.Responses[0].PropertyText(DavXml.GetETag));
    }

    [Fact]
    public async Task Read_FoundAndMissingPropStats_OnlyFoundPropertiesAreVisible()
    {
        const string Body = """
            <?xml version="1.0"?>
            <d:multistatus xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav">
             <d:response>
              <d:href>/cal/</d:href>
              <d:propstat><d:prop><c:supported-calendar-component-set/></d:prop><d:status>HTTP/1.1 404 Not Found</d:status></d:propstat>
              <d:propstat><d:prop><d:displayname> Work </d:displayname></d:prop><d:status>HTTP/1.1 200 OK</d:status></d:propstat>
             </d:response>
             <d:unknown>ignored</d:unknown>
            </d:multistatus>
            """;

        var entry = Assert.Single((await MultistatusReader.ReadAsync(Body, CancellationToken.None)).Responses);

        Assert.Equal(200, entry.EffectiveStatus);
        Assert.Equal("Work", entry.PropertyText(DavXml.DisplayName));
        Assert.Null(entry.Property(DavXml.SupportedCalendarComponentSet));
    }

    [Fact]
    public async Task Read_Dtd_IsRefused()
    {
        const string Body = """
            <?xml version="1.0"?>
            <!DOCTYPE d:multistatus [<!ENTITY e "boom">]>
            <d:multistatus xmlns:d="DAV:"><d:response><d:href>&e;</d:href></d:response></d:multistatus>
            """;

        await Assert.ThrowsAsync<XmlException>(() => MultistatusReader.ReadAsync(Body, CancellationToken.None));
    }

    [Fact]
    public async Task Read_NotAMultistatus_Throws()
    {
        await Assert.ThrowsAsync<XmlException>(() => MultistatusReader.ReadAsync("<d:error xmlns:d=\"DAV:\"/>", CancellationToken.None));
    }

    [Fact]
    public async Task Read_EmptyMultistatus_NoResponses()
    {
        var result = await MultistatusReader.ReadAsync("<multistatus xmlns=\"DAV:\"/>", CancellationToken.None);

        Assert.Empty(result.Responses);
        Assert.Null(result.SyncToken);
    }
}
