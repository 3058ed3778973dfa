using System.Globalization;
using System.Xml;
using Connector.Stores.Ews.Http;

namespace Connector.Stores.Ews.Operations;

internal enum EwsChangeType
{
    Create,
    Update,
    Delete,
    ReadFlagChange,
}

/// <summary>One change of a SyncFolderItems page: the item id with its change key (for a delete: the last one Exchange knew).</summary>
internal sealed record EwsItemChange(EwsChangeType Type, EwsItemId ItemId, bool? IsRead = null);

internal enum SyncFolderItemsStatus
{
    /// <summary>A page of changes and the SyncState that follows it.</summary>
    Changes,

    /// <summary>
    /// ErrorInvalidSyncStateData: the state is unknown, expired or invalidated. The store maps this to
    /// ChangeFeedStatus.TokenInvalid and starts over without a state (S05), never to "no changes".
    /// </summary>
    InvalidSyncState,
}

/// <summary>One SyncFolderItems answer.</summary>
internal sealed record SyncFolderItemsResult
{
    public required SyncFolderItemsStatus Status { get; init; }

    public IReadOnlyList<EwsItemChange> Changes { get; init; } = [];

    /// <summary>The state to save once these changes are committed; opaque, often many KB (S22). Null with <see cref="SyncFolderItemsStatus.InvalidSyncState"/>.</summary>
    public string? SyncState { get; init; }

    /// <summary>False while more pages follow: call again with <see cref="SyncState"/>.</summary>
    public bool IncludesLastItemInRange { get; init; }

    public string? MessageText { get; init; }
}

/// <summary>
/// SyncFolderItems with ItemShape IdOnly: one page (≤ <see cref="MaxPageSize"/> changes) of what changed in a folder
/// since <c>syncState</c> (everything, as creates, without one).
/// </summary>
internal sealed class SyncFolderItemsOperation : IEwsOperation<SyncFolderItemsResult>
{
    /// <summary>The schema's upper bound for MaxChangesReturned.</summary>
    public const int MaxPageSize = 512;

    private readonly EwsFolderRef folder;
    private readonly string? syncState;
    private readonly int maxChangesReturned;

    public SyncFolderItemsOperation(EwsFolderRef folder, string? syncState, int maxChangesReturned = MaxPageSize)
    {
        ArgumentNullException.ThrowIfNull(folder);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxChangesReturned, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxChangesReturned, MaxPageSize);
        this.folder = folder;
        this.syncState = string.IsNullOrEmpty(syncState) ? null : syncState;
        this.maxChangesReturned = maxChangesReturned;
    }

    public string Name => "SyncFolderItems";

    public void Build(XmlWriter writer)
    {
        writer.WriteStartElement("m", "SyncFolderItems", EwsXml.Messages);
        writer.WriteStartElement("m", "ItemShape", EwsXml.Messages);
        EwsXml.WriteTypesElement(writer, "BaseShape", "IdOnly");
        writer.WriteEndElement();
        writer.WriteStartElement("m", "SyncFolderId", EwsXml.Messages);
        folder.Write(writer);
        writer.WriteEndElement();
        if (syncState is not null)
        {
            EwsXml.WriteMessagesElement(writer, "SyncState", syncState);
        }

        EwsXml.WriteMessagesElement(writer, "MaxChangesReturned", maxChangesReturned.ToString(CultureInfo.InvariantCulture));
        writer.WriteEndElement();
    }

    public SyncFolderItemsResult Parse(XmlReader reader)
    {
        SyncFolderItemsResult? result = null;
        var changes = new List<EwsItemChange>();
        string? newState = null;
        var last = false;
        EwsMessageStatus.ReadMessages(
            reader,
            (status, content) =>
            {
                if (!status.IsSuccess)
                {
                    content.Skip();
                }
                else if (EwsXml.Is(content, EwsXml.Messages, "SyncState"))
                {
                    newState = EwsXml.ReadText(content);
                }
                else if (EwsXml.Is(content, EwsXml.Messages, "IncludesLastItemInRange"))
                {
                    last = XmlConvert.ToBoolean(EwsXml.ReadText(content));
                }
                else if (EwsXml.Is(content, EwsXml.Messages, "Changes"))
                {
                    EwsXml.ForEachChild(content, change => changes.Add(ReadChange(change)));
                }
                else
                {
                    content.Skip();
                }
            },
            status =>
            {
                if (result is not null)
                {
                    throw EwsFailurePolicy.ForUnexpectedAnswer(Name, "more than one response message");
                }

                result = status.ResponseCode switch
                {
                    "NoError" => new SyncFolderItemsResult
                    {
                        Status = SyncFolderItemsStatus.Changes,
                        Changes = changes,
                        SyncState = newState ?? throw EwsFailurePolicy.ForUnexpectedAnswer(Name, "no SyncState"),
                        IncludesLastItemInRange = last,
                    },
                    "ErrorInvalidSyncStateData" => new SyncFolderItemsResult { Status = SyncFolderItemsStatus.InvalidSyncState, MessageText = status.MessageText },
                    _ => throw new Sync.Stores.StoreException($"EWS {Name} on {folder}: {status.ResponseCode}: {status.MessageText}"),
                };
            });

        return result ?? throw EwsFailurePolicy.ForUnexpectedAnswer(Name, "no response message");
    }

    // t:Create / t:Update hold an item element (t:CalendarItem, t:Contact, t:Task, t:Item…) with its t:ItemId;
    // t:Delete and t:ReadFlagChange hold t:ItemId directly.
    private static EwsItemChange ReadChange(XmlReader change)
    {
        var type = change.LocalName switch
        {
            "Create" => EwsChangeType.Create,
            "Update" => EwsChangeType.Update,
            "Delete" => EwsChangeType.Delete,
            "ReadFlagChange" => EwsChangeType.ReadFlagChange,
            _ => throw new XmlException($"unknown SyncFolderItems change {change.Name}"),
        };
        EwsItemId? id = null;
        bool? isRead = null;
        EwsXml.ForEachChild(change, child =>
        {
            if (EwsXml.Is(child, EwsXml.Types, "ItemId"))
            {
                id = EwsItemId.Read(child);
            }
            else if (EwsXml.Is(child, EwsXml.Types, "IsRead"))
            {
                isRead = XmlConvert.ToBoolean(EwsXml.ReadText(child));
            }
            else
            {
                EwsXml.ForEachChild(child, property =>
                {
                    if (EwsXml.Is(property, EwsXml.Types, "ItemId"))
                    {
                        id = EwsItemId.Read(property);
                    }
                    else
                    {
                        property.Skip();
                    }
                });
            }
        });

        return new EwsItemChange(type, id ?? throw new XmlException($"t:{change.LocalName} without an ItemId"), isRead);
    }
}
