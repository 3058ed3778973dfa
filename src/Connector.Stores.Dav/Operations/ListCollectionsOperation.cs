using System.Net;
using Connector.Stores.Dav.Http;
using Connector.Stores.Dav.Xml;
using Connector.Sync.Stores;

namespace Connector.Stores.Dav.Operations;

/// <summary>
/// Lists the calendars and address books in a home collection: PROPFIND Depth 1 for resourcetype,
/// displayname and supported-calendar-component-set. A calendar becomes one <see cref="CollectionInfo"/> per
/// requested kind it accepts (VEVENT → events, VTODO → tasks); one without the property accepts every
/// component (RFC 4791 5.2.3), so Nextcloud's default calendar and every Xandikos calendar list under both.
/// Inboxes, outboxes, trash bins and subscriptions are not calendars and do not appear.
/// </summary>
internal static class ListCollectionsOperation
{
    public static async Task<IReadOnlyList<CollectionInfo>> RunAsync(DavConnection connection, string home, ItemKind kinds, CancellationToken cancellationToken)
    {
        var homeUri = connection.Resolve(home);
        var body = DavXml.Propfind(DavXml.ResourceType, DavXml.DisplayName, DavXml.SupportedCalendarComponentSet);
        var listing = await connection.SendAsync(
            DavConnection.XmlRequest(DavConnection.Propfind, homeUri, "1", body),
            async (response, ct) => response.StatusCode == HttpStatusCode.MultiStatus
                ? await DavConnection.ReadMultistatusAsync(response, ct)
                : throw DavFailurePolicy.Unexpected(response, $"the home collection {home} cannot be listed"),
            cancellationToken);

        var collections = new List<CollectionInfo>();
        foreach (var entry in listing.Responses)
        {
            var href = DavHref.AsCollection(DavHref.Normalize(entry.Href, homeUri));
            if (href == home || entry.Property(DavXml.ResourceType) is not { } resourceType)
            {
                continue;
            }

            var name = entry.PropertyText(DavXml.DisplayName) ?? DavHref.LastSegment(href);
            if (resourceType.Element(DavXml.AddressBook) is not null && kinds.HasFlag(ItemKind.Contact))
            {
                collections.Add(new CollectionInfo(href, name, ItemKind.Contact));
            }
            else if (resourceType.Element(DavXml.Calendar) is not null)
            {
                var accepted = AcceptedKinds(entry);
                foreach (var kind in new[] { ItemKind.Event, ItemKind.Task })
                {
                    if (accepted.HasFlag(kind) && kinds.HasFlag(kind))
                    {
                        collections.Add(new CollectionInfo(href, name, kind));
                    }
                }
            }
        }

        return collections;
    }

    private static ItemKind AcceptedKinds(DavResponseEntry calendar)
    {
        if (calendar.Property(DavXml.SupportedCalendarComponentSet) is not { } set)
        {
            return ItemKind.Event | ItemKind.Task;
        }

        var kinds = ItemKind.None;
        foreach (var comp in set.Elements(DavXml.Comp))
        {
            kinds |= ((string?)comp.Attribute("name"))?.ToUpperInvariant() switch
            {
                "VEVENT" => ItemKind.Event,
                "VTODO" => ItemKind.Task,
                _ => ItemKind.None,
            };
        }

        return kinds;
    }
}
