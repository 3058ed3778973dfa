using System.Xml.Linq;
using static Connector.Emulator.Ews.EwsNames;
using static Connector.Emulator.Ews.Operations.OperationSupport;

namespace Connector.Emulator.Ews.Operations;

/// <summary>GetItem: one response message per id (item, occurrence, OccurrenceItemId, RecurringMasterItemId).</summary>
internal static class GetItemOperation
{
    public static XElement Execute(EwsRequestContext context, XElement request)
    {
        var shape = ItemShape.Parse(request.Element(M + "ItemShape"));
        var messages = request.Element(M + "ItemIds")!.Elements().Select(id => PerItem(context, "GetItemResponseMessage", () =>
        {
            var (mailbox, target) = context.ResolveItem(id);
            lock (mailbox.Gate)
            {
                return [new XElement(M + "Items", ItemXmlWriter.Write(mailbox, target.Item, target.Occurrence, shape, forFind: false))];
            }
        }, () => [new XElement(M + "Items")]));
        return Response("GetItemResponse", messages);
    }
}
