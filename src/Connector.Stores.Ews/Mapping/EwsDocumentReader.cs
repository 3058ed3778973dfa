using System.Xml;
using Connector.Domain;

namespace Connector.Stores.Ews.Mapping;

/// <summary>
/// Reads every t:CalendarItem, t:Contact and t:Task in an EWS SOAP document (GetItem/CreateItem/SyncFolderItems,
/// requests or responses), streaming. A TimeZoneContext header supplies the zone for zone-less values.
/// </summary>
public static class EwsDocumentReader
{
    public static IReadOnlyList<EwsItem<ISyncItem>> ReadAll(Stream xml, EwsMappingOptions? options = null)
    {
        options ??= EwsMappingOptions.Default;
        var items = new List<EwsItem<ISyncItem>>();
        using var reader = XmlReader.Create(xml, EwsItemXml.ReaderSettings);
        while (!reader.EOF)
        {
            if (reader.NodeType != XmlNodeType.Element || reader.NamespaceURI != EwsFields.TypesNamespace)
            {
                reader.Read();
                continue;
            }

            switch (reader.LocalName)
            {
                case "TimeZoneDefinition" when EwsTime.ResolveZone(reader.GetAttribute("Id")) is { } zone:
                    options = options with { MailboxTimeZone = zone };
                    reader.Read();
                    break;
                case "CalendarItem":
                    var ev = EwsCalendarItemReader.Read(reader, options);
                    items.Add(new(ev.ItemId, ev.ChangeKey, ev.Item));
                    break;
                case "Contact":
                    var c = EwsContactMapping.Read(reader);
                    items.Add(new(c.ItemId, c.ChangeKey, c.Item));
                    break;
                case "Task":
                    var t = EwsTaskMapping.Read(reader, options);
                    items.Add(new(t.ItemId, t.ChangeKey, t.Item));
                    break;
                default:
                    reader.Read();
                    break;
            }
        }

        return items;
    }
}
