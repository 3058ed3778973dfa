using System.Xml;
using Connector.Stores.Ews.Http;

namespace Connector.Stores.Ews.Operations;

internal enum EwsItemStatus
{
    Found,

    /// <summary>ErrorItemNotFound: deleted (or moved) since it was listed.</summary>
    NotFound,

    /// <summary>Any other per-item code (ErrorInvalidIdMalformed, ErrorAccessDenied…): see <see cref="EwsItemResult{T}.ResponseCode"/>.</summary>
    Failed,

    /// <summary>The item callback threw: the item is skipped and reported (S21); <see cref="EwsItemResult{T}.MessageText"/> says why.</summary>
    Unreadable,
}

/// <summary>One requested item of a GetItem batch: what the item callback made of it, or why there is none.</summary>
internal sealed record EwsItemResult<T>(EwsItemId Requested, EwsItemStatus Status, T? Item, string ResponseCode, string? MessageText);

/// <summary>
/// GetItem for a batch of ids with BaseShape AllProperties (or the <c>baseShape</c> given, e.g. IdOnly to learn a
/// ChangeKey) (plus whatever <c>additionalProperties</c> writes into
/// t:AdditionalProperties: extended properties, indexed fields). Each item element (t:CalendarItem, t:Contact,
/// t:Task…) is handed to <c>readItem</c> on a reader limited to that element: the mapping layer plugs in there
/// and should turn an item it cannot represent into a value of <typeparamref name="T"/>; should it throw anyway,
/// that item becomes <see cref="EwsItemStatus.Unreadable"/> and the batch goes on (S21).
/// One result per requested id, in request order.
/// </summary>
internal sealed class GetItemOperation<T>(
    IReadOnlyList<EwsItemId> ids,
    Func<XmlReader, T> readItem,
    Action<XmlWriter>? additionalProperties = null,
    string? bodyType = null,
    string baseShape = "AllProperties") : IEwsOperation<IReadOnlyList<EwsItemResult<T>>>
{
    public string Name => "GetItem";

    public void Build(XmlWriter writer)
    {
        writer.WriteStartElement("m", "GetItem", EwsXml.Messages);
        writer.WriteStartElement("m", "ItemShape", EwsXml.Messages);
        EwsXml.WriteTypesElement(writer, "BaseShape", baseShape);
        if (bodyType is not null)
        {
            EwsXml.WriteTypesElement(writer, "BodyType", bodyType);
        }

        if (additionalProperties is not null)
        {
            writer.WriteStartElement("t", "AdditionalProperties", EwsXml.Types);
            additionalProperties(writer);
            writer.WriteEndElement();
        }

        writer.WriteEndElement();
        writer.WriteStartElement("m", "ItemIds", EwsXml.Messages);
        foreach (var id in ids)
        {
            // The change key is left out: GetItem should return the current version, not refuse a stale key.
            new EwsItemId(id.Id).Write(writer);
        }

        writer.WriteEndElement();
        writer.WriteEndElement();
    }

    public IReadOnlyList<EwsItemResult<T>> Parse(XmlReader reader)
    {
        var results = new List<EwsItemResult<T>>(ids.Count);
        var found = false;
        T? item = default;
        string? unreadable = null;
        EwsMessageStatus.ReadMessages(
            reader,
            (status, content) =>
            {
                if (!status.IsSuccess || !EwsXml.Is(content, EwsXml.Messages, "Items"))
                {
                    content.Skip();
                    return;
                }

                EwsXml.ForEachChild(content, element =>
                {
                    if (found)
                    {
                        return;
                    }

                    found = true;
                    try
                    {
                        item = readItem(element);
                    }
                    catch (Exception ex) when (ex is not OperationCanceledException and not Sync.Stores.StoreException)
                    {
                        // A truncated answer also lands here; the envelope reader then fails on it and the
                        // whole request becomes transient, as it should.
                        unreadable = $"{element.LocalName}: {ex.GetType().Name}: {ex.Message}";
                    }
                });
            },
            status =>
            {
                if (results.Count >= ids.Count)
                {
                    throw EwsFailurePolicy.ForUnexpectedAnswer(Name, "more response messages than ids asked for");
                }

                var itemStatus = status.ResponseCode switch
                {
                    "NoError" when unreadable is not null => EwsItemStatus.Unreadable,
                    "NoError" when found => EwsItemStatus.Found,
                    "NoError" => throw EwsFailurePolicy.ForUnexpectedAnswer(Name, "a successful response message without an item"),
                    "ErrorItemNotFound" => EwsItemStatus.NotFound,
                    _ => EwsItemStatus.Failed,
                };
                results.Add(new EwsItemResult<T>(ids[results.Count], itemStatus, itemStatus == EwsItemStatus.Found ? item : default, status.ResponseCode, unreadable ?? status.MessageText));
                found = false;
                item = default;
                unreadable = null;
            });

        return results.Count == ids.Count
            ? results
            : throw EwsFailurePolicy.ForUnexpectedAnswer(Name, $"{results.Count} response messages for {ids.Count} ids");
    }
}
