using System.Net;
using System.Xml.Linq;
using Connector.Stores.Dav.Http;
using Connector.Stores.Dav.Xml;
using Connector.Sync.Stores;

namespace Connector.Stores.Dav.Operations;

/// <summary>One resource of a multiget answer: status, ETag and text (null unless found).</summary>
internal sealed record MultigetItem(int Status, string? ETag, string? Data);

/// <summary>
/// calendar-multiget (RFC 4791 7.9) or addressbook-multiget (RFC 6352 8.7) for one batch of hrefs: getetag and
/// the object's text. The answer is keyed by canonical href; an href the server left out is missing.
/// </summary>
internal static class MultigetOperation
{
    public static async Task<IReadOnlyDictionary<string, MultigetItem>> RunAsync(
        DavConnection connection,
        string collection,
        ItemKind kind,
        IReadOnlyList<string> hrefs,
        CancellationToken cancellationToken)
    {
        var (report, data) = kind == ItemKind.Contact
            ? (DavXml.CardDav + "addressbook-multiget", DavXml.AddressData)
            : (DavXml.CalDav + "calendar-multiget", DavXml.CalendarData);
        var body = DavXml.Body(new XElement(
            report,
            DavXml.NamespaceDeclarations(),
            new XElement(DavXml.Prop, new XElement(DavXml.GetETag), new XElement(data)),
            hrefs.Select(h => new XElement(DavXml.Href, h))));
        var collectionUri = connection.Resolve(collection);

        // RFC 4791 7.9: the Depth header is ignored for multiget and should not be sent.
        var answer = await connection.SendAsync(
            DavConnection.XmlRequest(DavConnection.Report, collectionUri, null, body),
            async (response, ct) => response.StatusCode switch
            {
                HttpStatusCode.MultiStatus => await DavConnection.ReadMultistatusAsync(response, ct),
                HttpStatusCode.NotFound => throw new StoreException($"The collection {collection} does not exist (404)."),
                _ => throw DavFailurePolicy.Unexpected(response, $"{report.LocalName} on {collection}: {await DavErrorBody.ReadAsync(response, ct)}"),
            },
            cancellationToken);

        var items = new Dictionary<string, MultigetItem>(StringComparer.Ordinal);
        foreach (var entry in answer.Responses)
        {
            var status = entry.EffectiveStatus;
            var text = status is >= 200 and < 300 ? entry.Property(data)?.Value : null;
            items[DavHref.Normalize(entry.Href, collectionUri)] = new MultigetItem(status, entry.PropertyText(DavXml.GetETag), text);
        }

        return items;
    }
}
