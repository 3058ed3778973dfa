using System.Net;
using Connector.Stores.Dav.Http;
using Connector.Stores.Dav.Xml;
using Connector.Sync.Stores;

namespace Connector.Stores.Dav.Operations;

/// <summary>Every member with its ETag, and the collection's change tag (CTag, else its sync-token property).</summary>
internal sealed record EtagListing(IReadOnlyList<ItemChange> Items, string? CollectionTag);

/// <summary>
/// The fallback listing for servers without sync-collection: PROPFIND Depth 1 asking for getetag and
/// resourcetype of the members and getctag / sync-token of the collection, in one request.
/// </summary>
internal static class EtagListingOperation
{
    public static async Task<EtagListing> RunAsync(DavConnection connection, string collection, CancellationToken cancellationToken)
    {
        var collectionUri = connection.Resolve(collection);
        var body = DavXml.Propfind(DavXml.GetETag, DavXml.ResourceType, DavXml.GetCTag, DavXml.SyncToken);
        var listing = await connection.SendAsync(
            DavConnection.XmlRequest(DavConnection.Propfind, collectionUri, "1", body),
            async (response, ct) => response.StatusCode switch
            {
                HttpStatusCode.MultiStatus => await DavConnection.ReadMultistatusAsync(response, ct),
                HttpStatusCode.NotFound => throw new StoreException($"The collection {collection} does not exist (404)."),
                _ => throw DavFailurePolicy.Unexpected(response, $"the collection {collection} cannot be listed"),
            },
            cancellationToken);

        var items = new List<ItemChange>(listing.Responses.Count);
        string? tag = null;
        foreach (var entry in listing.Responses)
        {
            var href = DavHref.Normalize(entry.Href, collectionUri);
            if (DavHref.AsCollection(href) == collection)
            {
                tag = CollectionTag(entry);
            }
            else if (DavHref.IsMemberResource(collection, href)
                && entry.EffectiveStatus is >= 200 and < 300
                && entry.Property(DavXml.ResourceType)?.Element(DavXml.Collection) is null)
            {
                items.Add(new ItemChange(ChangeKind.Upserted, href, entry.PropertyText(DavXml.GetETag)));
            }
        }

        return new EtagListing(items, tag);
    }

    /// <summary>PROPFIND Depth 0 for the collection's change tag alone: one small request per poll.</summary>
    public static Task<string?> CollectionTagAsync(DavConnection connection, string collection, CancellationToken cancellationToken) =>
        connection.SendAsync(
            DavConnection.XmlRequest(DavConnection.Propfind, connection.Resolve(collection), "0", DavXml.Propfind(DavXml.GetCTag, DavXml.SyncToken)),
            async (response, ct) => response.StatusCode switch
            {
                HttpStatusCode.MultiStatus => (await DavConnection.ReadMultistatusAsync(response, ct)).Responses.Select(CollectionTag).FirstOrDefault(t => t is not null),
                HttpStatusCode.NotFound => throw new StoreException($"The collection {collection} does not exist (404)."),
                _ => throw DavFailurePolicy.Unexpected(response, $"the collection {collection} cannot be read"),
            },
            cancellationToken);

    private static string? CollectionTag(DavResponseEntry entry) =>
        entry.PropertyText(DavXml.GetCTag) ?? entry.PropertyText(DavXml.SyncToken);
}
