using System.Globalization;
using System.Xml;
using Connector.Stores.Ews.Http;

namespace Connector.Stores.Ews.Operations;

/// <summary>
/// One entry of a calendar view: an occurrence, exception or single item with what the store needs to tell which
/// series it belongs to and which occurrence it is. Times are UTC.
/// </summary>
internal sealed record EwsCalendarViewEntry(EwsItemId ItemId, string? Uid, string? CalendarItemType, DateTime? StartUtc, DateTime? OriginalStartUtc);

/// <summary>A calendar view's entries; <see cref="IsComplete"/> is false when Exchange cut the view short (IncludesLastItemInRange).</summary>
internal sealed record EwsCalendarView(IReadOnlyList<EwsCalendarViewEntry> Entries, bool IsComplete);

/// <summary>
/// FindItem with a CalendarView on one calendar folder: Exchange expands recurring series into their occurrences and
/// exceptions overlapping [start, end). BaseShape IdOnly plus calendar:UID, calendar:Start, calendar:OriginalStart and
/// calendar:CalendarItemType, which is all the store needs to find the occurrence of a series that started at a given
/// original start. Exchange may cut a view short (IncludesLastItemInRange false, e.g. past its find count
/// limit): the result says so, and the store then asks again for each original start on its own.
/// </summary>
internal sealed class FindCalendarViewOperation(EwsFolderRef folder, DateTime startUtc, DateTime endUtc) : IEwsOperation<EwsCalendarView>
{
    private static readonly string[] Fields = ["calendar:UID", "calendar:Start", "calendar:OriginalStart", "calendar:CalendarItemType"];

    public string Name => "FindItem";

    public void Build(XmlWriter writer)
    {
        writer.WriteStartElement("m", "FindItem", EwsXml.Messages);
        writer.WriteAttributeString("Traversal", "Shallow");
        writer.WriteStartElement("m", "ItemShape", EwsXml.Messages);
        EwsXml.WriteTypesElement(writer, "BaseShape", "IdOnly");
        writer.WriteStartElement("t", "AdditionalProperties", EwsXml.Types);
        foreach (var field in Fields)
        {
            writer.WriteStartElement("t", "FieldURI", EwsXml.Types);
            writer.WriteAttributeString("FieldURI", field);
            writer.WriteEndElement();
        }

        writer.WriteEndElement();
        writer.WriteEndElement();
        writer.WriteStartElement("m", "CalendarView", EwsXml.Messages);
        writer.WriteAttributeString("StartDate", Format(startUtc));
        writer.WriteAttributeString("EndDate", Format(endUtc));
        writer.WriteEndElement();
        writer.WriteStartElement("m", "ParentFolderIds", EwsXml.Messages);
        folder.Write(writer);
        writer.WriteEndElement();
        writer.WriteEndElement();
    }

    public EwsCalendarView Parse(XmlReader reader)
    {
        var entries = new List<EwsCalendarViewEntry>();
        var complete = true;
        EwsMessageStatus? failed = null;
        var messages = 0;
        EwsMessageStatus.ReadMessages(
            reader,
            (status, content) =>
            {
                if (!status.IsSuccess || !EwsXml.Is(content, EwsXml.Messages, "RootFolder"))
                {
                    content.Skip();
                    return;
                }

                complete = content.GetAttribute("IncludesLastItemInRange") is not "false";
                EwsXml.ForEachChild(content, items =>
                {
                    if (!EwsXml.Is(items, EwsXml.Types, "Items"))
                    {
                        items.Skip();
                        return;
                    }

                    EwsXml.ForEachChild(items, item => entries.Add(ReadEntry(item)));
                });
            },
            status =>
            {
                messages++;
                if (!status.IsSuccess)
                {
                    failed = status;
                }
            });

        if (messages != 1)
        {
            throw EwsFailurePolicy.ForUnexpectedAnswer(Name, $"{messages} response messages for one folder");
        }

        return failed is null
            ? new EwsCalendarView(entries, complete)
            : throw new Sync.Stores.StoreException($"EWS FindItem CalendarView on {folder}: {failed.ResponseCode}: {failed.MessageText}");
    }

    private static EwsCalendarViewEntry ReadEntry(XmlReader item)
    {
        EwsItemId? id = null;
        string? uid = null, type = null;
        DateTime? start = null, originalStart = null;
        EwsXml.ForEachChild(item, property =>
        {
            switch (property.LocalName)
            {
                case "ItemId": id = EwsItemId.Read(property); break;
                case "UID": uid = EwsXml.ReadText(property); break;
                case "CalendarItemType": type = EwsXml.ReadText(property); break;
                case "Start": start = ParseUtc(EwsXml.ReadText(property)); break;
                case "OriginalStart": originalStart = ParseUtc(EwsXml.ReadText(property)); break;
                default: property.Skip(); break;
            }
        });
        return new EwsCalendarViewEntry(id ?? throw EwsFailurePolicy.ForUnexpectedAnswer("FindItem", "a calendar view entry without an ItemId"), uid, type, start, originalStart);
    }

    private static string Format(DateTime utc) => utc.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static DateTime ParseUtc(string text) =>
        DateTime.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);
}
