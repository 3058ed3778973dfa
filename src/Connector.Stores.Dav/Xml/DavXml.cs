using System.Xml;
using System.Xml.Linq;

namespace Connector.Stores.Dav.Xml;

/// <summary>Namespaces, names and safe reader settings for WebDAV XML.</summary>
internal static class DavXml
{
    public static readonly XNamespace Dav = "DAV:";
    public static readonly XNamespace CalDav = "urn:ietf:params:xml:ns:caldav";
    public static readonly XNamespace CardDav = "urn:ietf:params:xml:ns:carddav";
    public static readonly XNamespace CalendarServer = "http://calendarserver.org/ns/";
    public static readonly XNamespace Sabre = "http://sabredav.org/ns";

    public static readonly XName Multistatus = Dav + "multistatus";
    public static readonly XName Response = Dav + "response";
    public static readonly XName Href = Dav + "href";
    public static readonly XName Status = Dav + "status";
    public static readonly XName PropStat = Dav + "propstat";
    public static readonly XName Prop = Dav + "prop";
    public static readonly XName Error = Dav + "error";
    public static readonly XName ResponseDescription = Dav + "responsedescription";
    public static readonly XName SyncToken = Dav + "sync-token";
    public static readonly XName SyncLevel = Dav + "sync-level";
    public static readonly XName GetETag = Dav + "getetag";
    public static readonly XName ResourceType = Dav + "resourcetype";
    public static readonly XName DisplayName = Dav + "displayname";
    public static readonly XName Collection = Dav + "collection";
    public static readonly XName CurrentUserPrincipal = Dav + "current-user-principal";
    public static readonly XName GetCTag = CalendarServer + "getctag";
    public static readonly XName CalendarHomeSet = CalDav + "calendar-home-set";
    public static readonly XName Calendar = CalDav + "calendar";
    public static readonly XName CalendarData = CalDav + "calendar-data";
    public static readonly XName SupportedCalendarComponentSet = CalDav + "supported-calendar-component-set";
    public static readonly XName Comp = CalDav + "comp";
    public static readonly XName AddressBookHomeSet = CardDav + "addressbook-home-set";
    public static readonly XName AddressBook = CardDav + "addressbook";
    public static readonly XName AddressData = CardDav + "address-data";

    /// <summary>
    /// Reader settings for answers from the network: no DTDs (entity expansion), no external resolution,
    /// asynchronous so a large answer streams.
    /// </summary>
    public static XmlReaderSettings ReaderSettings() => new()
    {
        Async = true,
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
        IgnoreComments = true,
        IgnoreProcessingInstructions = true,
        CloseInput = false,
    };

    /// <summary>A request body: the declaration plus the element, unindented.</summary>
    public static string Body(XElement root) =>
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>" + root.ToString(SaveOptions.DisableFormatting);

    /// <summary>A <c>DAV:propfind</c> asking for the named properties.</summary>
    public static string Propfind(params XName[] properties) =>
        Body(new XElement(
            Dav + "propfind",
            NamespaceDeclarations(),
            new XElement(Prop, properties.Select(p => new XElement(p)))));

    /// <summary>Short prefixes, so that request bodies stay readable in recorded conversations.</summary>
    public static IEnumerable<XAttribute> NamespaceDeclarations() =>
    [
        new(XNamespace.Xmlns + "d", Dav.NamespaceName),
        new(XNamespace.Xmlns + "c", CalDav.NamespaceName),
        new(XNamespace.Xmlns + "card", CardDav.NamespaceName),
        new(XNamespace.Xmlns + "cs", CalendarServer.NamespaceName),
    ];

    /// <summary>The numeric code of a WebDAV status line (<c>HTTP/1.1 404 Not Found</c>), or null when unreadable.</summary>
    public static int? ParseStatusLine(string? line)
    {
        if (line is null)
        {
            return null;
        }

        var parts = line.Trim().Split(' ', 3, StringSplitOptions.RemoveEmptyEntries);
        return parts.Length >= 2 && int.TryParse(parts[1], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var code)
            ? code
            : null;
    }
}
