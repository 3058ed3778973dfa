using System.Xml;
using System.Xml.Linq;
using Connector.Stores.Ews.Http;
using Connector.Stores.Ews.Mapping;
using Connector.Sync.Stores;

namespace Connector.Stores.Ews.Operations;

/// <summary>
/// UpdateItem of one item to the content of a mapped item element (written by the mapping writers in
/// <see cref="EwsWriteMode.Create"/> mode): ConflictResolution NeverOverwrite with the ChangeKey the caller read
/// (a stale one is ErrorIrresolvableConflict → <see cref="WriteStatus.PreconditionFailed"/>),
/// SendMeetingInvitationsOrCancellations SendToNone (S01). The changes come from <see cref="EwsItemChanges"/>: every
/// mapped field is set or, when now empty, deleted (S18: clearing clears); unmapped fields are never touched.
/// </summary>
/// <remarks>
/// The primary constructor takes ready changes: the store updates a series' master without its pattern fields when
/// they did not change (see <c>EwsSeriesWriter</c> for why).
/// </remarks>
internal sealed class UpdateItemOperation(EwsItemId id, IReadOnlyList<XElement> changes) : IEwsOperation<WriteResult>
{
    public UpdateItemOperation(EwsItemId id, XElement item)
        : this(id, EwsItemChanges.Build(item))
    {
    }

    public string Name => "UpdateItem";

    public void Build(XmlWriter writer) => Write(writer, "NeverOverwrite", [(id, changes)]);

    public WriteResult Parse(XmlReader reader)
    {
        WriteResult? result = null;
        EwsItemId? updated = null;
        EwsMessageStatus.ReadMessages(
            reader,
            (status, content) => updated = CreateItemOperation.ReadItemId(status, content) ?? updated,
            status =>
            {
                if (result is not null)
                {
                    throw EwsFailurePolicy.ForUnexpectedAnswer(Name, "more than one response message");
                }

                result = status.ResponseCode switch
                {
                    "NoError" when updated is { } u => WriteResult.Success(u.Id, u.ChangeKey),
                    "NoError" => throw EwsFailurePolicy.ForUnexpectedAnswer(Name, "a successful response message without an ItemId"),
                    "ErrorItemNotFound" => WriteResult.Failed(WriteStatus.NotFound, status.MessageText, id.Id),
                    "ErrorIrresolvableConflict" or "ErrorStaleObject" => WriteResult.Failed(WriteStatus.PreconditionFailed, status.MessageText, id.Id),
                    _ => WriteResult.Failed(WriteStatus.Rejected, $"{status.ResponseCode}: {status.MessageText}", id.Id),
                };
            });

        return result ?? throw EwsFailurePolicy.ForUnexpectedAnswer(Name, "no response message");
    }

    /// <summary>
    /// Writes m:UpdateItem with one t:ItemChange per item (its ItemId and changes), never sending invitations or
    /// cancellations (S01); <see cref="UpdateOccurrencesOperation"/> writes its batch through here too.
    /// </summary>
    internal static void Write(XmlWriter writer, string conflictResolution, IEnumerable<(EwsItemId Id, IReadOnlyList<XElement> Changes)> items)
    {
        writer.WriteStartElement("m", "UpdateItem", EwsXml.Messages);
        writer.WriteAttributeString("ConflictResolution", conflictResolution);
        writer.WriteAttributeString("SendMeetingInvitationsOrCancellations", "SendToNone");
        writer.WriteStartElement("m", "ItemChanges", EwsXml.Messages);
        foreach (var (itemId, itemChanges) in items)
        {
            writer.WriteStartElement("t", "ItemChange", EwsXml.Types);
            itemId.Write(writer);
            writer.WriteStartElement("t", "Updates", EwsXml.Types);
            foreach (var change in itemChanges)
            {
                change.WriteTo(writer);
            }

            writer.WriteEndElement();
            writer.WriteEndElement();
        }

        writer.WriteEndElement();
        writer.WriteEndElement();
    }
}

/// <summary>
/// Turns a mapped item element into UpdateItem changes: a t:SetItemField for every field the writer produced (one
/// per dictionary entry, per address part and per extended property, as EWS requires) and a t:DeleteItemField for
/// every field the mapping owns but did not produce. Fields the mapping does not own (e.g. a contact's Initials or
/// Subject, every ContactItemType field it ignores, extended properties of other programs) are never named, so they
/// survive an update (S18).
/// </summary>
internal static class EwsItemChanges
{
    private static readonly XNamespace T = EwsXml.Types;

    // Fields a writer never writes for that item type though the field table lists them; they belong to others.
    private static readonly Dictionary<string, HashSet<string>> NotMapped = new(StringComparer.Ordinal)
    {
        ["Contact"] = new(["Subject", "Initials"], StringComparer.Ordinal),
    };

    // Fields that cannot be deleted (Exchange: ErrorInvalidPropertyDelete); the writers always write them anyway.
    private static readonly HashSet<string> NeverDeleted = new(["Start", "End", "UID", "ItemId"], StringComparer.Ordinal);

    private static readonly string[] EmailKeys = ["EmailAddress1", "EmailAddress2", "EmailAddress3"];

    private static readonly string[] AddressKeys = ["Business", "Home", "Other"];

    private static readonly string[] AddressParts = ["Street", "City", "State", "CountryOrRegion", "PostalCode"];

    public static IReadOnlyList<XElement> Build(XElement item)
    {
        ArgumentNullException.ThrowIfNull(item);
        var type = item.Name.LocalName;
        var fields = type switch
        {
            "CalendarItem" => EwsFields.CalendarItem,
            "Contact" => EwsFields.Contact,
            "Task" => EwsFields.Task,
            _ => throw new ArgumentException($"t:{type} is not an item type the store writes", nameof(item)),
        };
        var notMapped = NotMapped.GetValueOrDefault(type) ?? [];
        var changes = new List<XElement>();
        var written = new HashSet<string>(StringComparer.Ordinal);
        var writtenKeys = new HashSet<string>(StringComparer.Ordinal);
        foreach (var element in item.Elements())
        {
            var name = element.Name.LocalName;
            written.Add(name);
            switch (name)
            {
                case "ItemId":
                    break;
                case "ExtendedProperty":
                    var uri = element.Element(T + "ExtendedFieldURI")!;
                    writtenKeys.Add(ExtendedKey(uri));
                    changes.Add(Set(new XElement(uri), type, element));
                    break;
                case "EmailAddresses" or "PhoneNumbers":
                    foreach (var entry in element.Elements(T + "Entry"))
                    {
                        var key = (string)entry.Attribute("Key")!;
                        writtenKeys.Add(name + ":" + key);
                        changes.Add(Set(Indexed(IndexedUri(name), key), type, new XElement(T + name, entry)));
                    }

                    break;
                case "PhysicalAddresses":
                    foreach (var entry in element.Elements(T + "Entry"))
                    {
                        var key = (string)entry.Attribute("Key")!;
                        foreach (var part in entry.Elements())
                        {
                            writtenKeys.Add($"{name}:{key}:{part.Name.LocalName}");
                            var single = new XElement(T + "Entry", new XAttribute("Key", key), part);
                            changes.Add(Set(Indexed("contacts:PhysicalAddress:" + part.Name.LocalName, key), type, new XElement(T + name, single)));
                        }
                    }

                    break;
                default:
                    var field = fields.First(f => f.Element == name);
                    changes.Add(Set(Unindexed(field.FieldUri), type, element));
                    break;
            }
        }

        foreach (var field in fields)
        {
            if (field.ReadOnly || written.Contains(field.Element) || notMapped.Contains(field.Element) || NeverDeleted.Contains(field.Element)
                || field.Element is "ExtendedProperty" or "EmailAddresses" or "PhoneNumbers" or "PhysicalAddresses")
            {
                continue;
            }

            changes.Add(Delete(Unindexed(field.FieldUri)));
        }

        AddDeletes(type, changes, writtenKeys);
        return changes;
    }

    /// <summary>The changes minus those naming one of <paramref name="fieldUris"/> (unindexed FieldURIs such as calendar:Recurrence).</summary>
    public static IReadOnlyList<XElement> Without(IReadOnlyList<XElement> changes, IReadOnlySet<string> fieldUris) =>
        [.. changes.Where(c => c.Elements().FirstOrDefault() is not { } path || path.Name != T + "FieldURI" || !fieldUris.Contains((string?)path.Attribute("FieldURI") ?? string.Empty))];

    private static void AddDeletes(string type, List<XElement> changes, HashSet<string> writtenKeys)
    {
        IEnumerable<EwsExtendedProperty> extended = type switch
        {
            "Contact" => [EwsExtendedProperty.Uid, EwsExtendedProperty.NamePrefix],
            "Task" => [EwsExtendedProperty.Uid],
            _ => [],
        };
        foreach (var property in extended)
        {
            var uri = ExtendedUri(property);
            if (!writtenKeys.Contains(ExtendedKey(uri)))
            {
                changes.Add(Delete(uri));
            }
        }

        if (type != "Contact")
        {
            return;
        }

        foreach (var key in EmailKeys.Where(k => !writtenKeys.Contains("EmailAddresses:" + k)))
        {
            changes.Add(Delete(Indexed("contacts:EmailAddress", key)));
        }

        foreach (var key in EwsContactMapping.PhoneKeys.Select(p => p.Key).Where(k => !writtenKeys.Contains("PhoneNumbers:" + k)))
        {
            changes.Add(Delete(Indexed("contacts:PhoneNumber", key)));
        }

        foreach (var key in AddressKeys)
        {
            foreach (var part in AddressParts.Where(p => !writtenKeys.Contains($"PhysicalAddresses:{key}:{p}")))
            {
                changes.Add(Delete(Indexed("contacts:PhysicalAddress:" + part, key)));
            }
        }
    }

    private static string IndexedUri(string container) => container == "EmailAddresses" ? "contacts:EmailAddress" : "contacts:PhoneNumber";

    private static XElement Set(XElement path, string type, XElement property) =>
        new(T + "SetItemField", path, new XElement(T + type, new XElement(property)));

    private static XElement Delete(XElement path) => new(T + "DeleteItemField", path);

    private static XElement Unindexed(string fieldUri) => new(T + "FieldURI", new XAttribute("FieldURI", fieldUri));

    private static XElement Indexed(string fieldUri, string index) =>
        new(T + "IndexedFieldURI", new XAttribute("FieldURI", fieldUri), new XAttribute("FieldIndex", index));

    internal static XElement ExtendedUri(EwsExtendedProperty property)
    {
        var uri = new XElement(T + "ExtendedFieldURI");
        if (property.DistinguishedPropertySetId is { } set)
        {
            uri.Add(new XAttribute("DistinguishedPropertySetId", set));
        }

        if (property.PropertyTag is { } tag)
        {
            uri.Add(new XAttribute("PropertyTag", tag));
        }

        if (property.PropertyName is { } name)
        {
            uri.Add(new XAttribute("PropertyName", name));
        }

        uri.Add(new XAttribute("PropertyType", "String"));
        return uri;
    }

    private static string ExtendedKey(XElement uri) =>
        string.Join(';', uri.Attributes().Where(a => a.Name.LocalName != "PropertyType").OrderBy(a => a.Name.LocalName, StringComparer.Ordinal).Select(a => $"{a.Name.LocalName}={a.Value}"));
}
