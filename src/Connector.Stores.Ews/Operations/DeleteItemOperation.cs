using System.Xml;
using Connector.Stores.Ews.Http;
using Connector.Sync.Stores;

namespace Connector.Stores.Ews.Operations;

/// <summary>
/// DeleteItem for a batch of ids: DeleteType MoveToDeletedItems (the user can still restore it),
/// SendMeetingCancellations SendToNone (the other side already told the attendees: S01) and
/// AffectedTaskOccurrences AllOccurrences (a deleted recurring task is deleted as a whole). One
/// <see cref="WriteResult"/> per id, in request order; ErrorItemNotFound is <see cref="WriteStatus.NotFound"/>.
/// </summary>
internal sealed class DeleteItemOperation(IReadOnlyList<EwsItemId> ids) : IEwsOperation<IReadOnlyList<WriteResult>>
{
    public string Name => "DeleteItem";

    public void Build(XmlWriter writer)
    {
        writer.WriteStartElement("m", "DeleteItem", EwsXml.Messages);
        writer.WriteAttributeString("DeleteType", "MoveToDeletedItems");
        writer.WriteAttributeString("SendMeetingCancellations", "SendToNone");
        writer.WriteAttributeString("AffectedTaskOccurrences", "AllOccurrences");
        writer.WriteStartElement("m", "ItemIds", EwsXml.Messages);
        foreach (var id in ids)
        {
            id.Write(writer);
        }

        writer.WriteEndElement();
        writer.WriteEndElement();
    }

    public IReadOnlyList<WriteResult> Parse(XmlReader reader)
    {
        var results = new List<WriteResult>(ids.Count);
        EwsMessageStatus.ReadMessages(
            reader,
            static (_, content) => content.Skip(),
            status =>
            {
                if (results.Count >= ids.Count)
                {
                    throw EwsFailurePolicy.ForUnexpectedAnswer(Name, "more response messages than ids asked for");
                }

                var id = ids[results.Count].Id;
                results.Add(status.ResponseCode switch
                {
                    "NoError" => WriteResult.Success(id, null),
                    "ErrorItemNotFound" => WriteResult.Failed(WriteStatus.NotFound, status.MessageText, id),
                    "ErrorIrresolvableConflict" or "ErrorStaleObject" => WriteResult.Failed(WriteStatus.PreconditionFailed, status.MessageText, id),
                    _ => WriteResult.Failed(WriteStatus.Rejected, $"{status.ResponseCode}: {status.MessageText}", id),
                });
            });

        return results.Count == ids.Count
            ? results
            : throw EwsFailurePolicy.ForUnexpectedAnswer(Name, $"{results.Count} response messages for {ids.Count} ids");
    }
}
