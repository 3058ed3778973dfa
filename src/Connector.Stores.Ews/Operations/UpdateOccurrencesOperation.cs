using System.Xml;
using System.Xml.Linq;
using Connector.Stores.Ews.Http;
using Connector.Sync.Stores;

namespace Connector.Stores.Ews.Operations;

/// <summary>
/// One UpdateItem with an ItemChange per occurrence of a series (its ItemId and the changes to set on it):
/// ConflictResolution AlwaysOverwrite (an occurrence shares the master's ChangeKey, which each write in the batch
/// changes; the store checked the master's key before), SendMeetingInvitationsOrCancellations SendToNone (S01).
/// One <see cref="WriteResult"/> per occurrence, in request order: the exception's ItemId and its own ChangeKey, or
/// the per-item refusal (ErrorOccurrenceCrossingBoundary…) as <see cref="WriteStatus.Rejected"/>.
/// </summary>
internal sealed class UpdateOccurrencesOperation(IReadOnlyList<(EwsItemId Id, IReadOnlyList<XElement> Changes)> occurrences) : IEwsOperation<IReadOnlyList<WriteResult>>
{
    public string Name => "UpdateItem";

    public void Build(XmlWriter writer) => UpdateItemOperation.Write(writer, "AlwaysOverwrite", occurrences);

    public IReadOnlyList<WriteResult> Parse(XmlReader reader)
    {
        var results = new List<WriteResult>(occurrences.Count);
        EwsItemId? updated = null;
        EwsMessageStatus.ReadMessages(
            reader,
            (status, content) => updated = CreateItemOperation.ReadItemId(status, content) ?? updated,
            status =>
            {
                if (results.Count >= occurrences.Count)
                {
                    throw EwsFailurePolicy.ForUnexpectedAnswer(Name, "more response messages than occurrences sent");
                }

                var id = occurrences[results.Count].Id.Id;
                results.Add(status.ResponseCode switch
                {
                    "NoError" when updated is { } u => WriteResult.Success(u.Id, u.ChangeKey),
                    "NoError" => throw EwsFailurePolicy.ForUnexpectedAnswer(Name, "a successful response message without an ItemId"),
                    "ErrorItemNotFound" or "ErrorCalendarOccurrenceIsDeletedFromRecurrence" => WriteResult.Failed(WriteStatus.NotFound, status.MessageText, id),
                    _ => WriteResult.Failed(WriteStatus.Rejected, $"{status.ResponseCode}: {status.MessageText}", id),
                });
                updated = null;
            });

        return results.Count == occurrences.Count
            ? results
            : throw EwsFailurePolicy.ForUnexpectedAnswer(Name, $"{results.Count} response messages for {occurrences.Count} occurrences");
    }
}
