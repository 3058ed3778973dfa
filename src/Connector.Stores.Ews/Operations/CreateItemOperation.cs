using System.Xml;
using System.Xml.Linq;
using Connector.Stores.Ews.Http;
using Connector.Sync.Stores;

namespace Connector.Stores.Ews.Operations;

/// <summary>
/// CreateItem of already mapped items (t:CalendarItem, t:Contact, t:Task elements written by the mapping writers in
/// <see cref="Mapping.EwsWriteMode.Create"/> mode) into one folder: MessageDisposition SaveOnly (only messages send;
/// these are not messages) and SendMeetingInvitations SendToNone (the other side already invited the attendees: S01).
/// One <see cref="WriteResult"/> per item, in request order: the new ItemId and ChangeKey, or the per-item refusal
/// as <see cref="WriteStatus.Rejected"/>.
/// </summary>
internal sealed class CreateItemOperation(EwsFolderRef folder, IReadOnlyList<XElement> items) : IEwsOperation<IReadOnlyList<WriteResult>>
{
    public string Name => "CreateItem";

    public void Build(XmlWriter writer)
    {
        writer.WriteStartElement("m", "CreateItem", EwsXml.Messages);
        writer.WriteAttributeString("MessageDisposition", "SaveOnly");
        writer.WriteAttributeString("SendMeetingInvitations", "SendToNone");
        writer.WriteStartElement("m", "SavedItemFolderId", EwsXml.Messages);
        folder.Write(writer);
        writer.WriteEndElement();
        writer.WriteStartElement("m", "Items", EwsXml.Messages);
        foreach (var item in items)
        {
            item.WriteTo(writer);
        }

        writer.WriteEndElement();
        writer.WriteEndElement();
    }

    public IReadOnlyList<WriteResult> Parse(XmlReader reader)
    {
        var results = new List<WriteResult>(items.Count);
        EwsItemId? created = null;
        EwsMessageStatus.ReadMessages(
            reader,
            (status, content) => created = ReadItemId(status, content) ?? created,
            status =>
            {
                if (results.Count >= items.Count)
                {
                    throw EwsFailurePolicy.ForUnexpectedAnswer(Name, "more response messages than items sent");
                }

                results.Add(status.IsSuccess
                    ? created is { } id ? WriteResult.Success(id.Id, id.ChangeKey) : throw EwsFailurePolicy.ForUnexpectedAnswer(Name, "a successful response message without an ItemId")
                    : WriteResult.Failed(WriteStatus.Rejected, $"{status.ResponseCode}: {status.MessageText}"));
                created = null;
            });

        return results.Count == items.Count
            ? results
            : throw EwsFailurePolicy.ForUnexpectedAnswer(Name, $"{results.Count} response messages for {items.Count} items");
    }

    /// <summary>m:Items/t:*/t:ItemId of a response message (CreateItem and UpdateItem answer alike).</summary>
    internal static EwsItemId? ReadItemId(EwsMessageStatus status, XmlReader content)
    {
        if (!status.IsSuccess || !EwsXml.Is(content, EwsXml.Messages, "Items"))
        {
            content.Skip();
            return null;
        }

        EwsItemId? id = null;
        EwsXml.ForEachChild(content, item => EwsXml.ForEachChild(item, property =>
        {
            if (id is null && EwsXml.Is(property, EwsXml.Types, "ItemId"))
            {
                id = EwsItemId.Read(property);
            }
            else
            {
                property.Skip();
            }
        }));
        return id;
    }
}
