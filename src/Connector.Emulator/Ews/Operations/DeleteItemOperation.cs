using System.Xml.Linq;
using static Connector.Emulator.Ews.EwsNames;
using static Connector.Emulator.Ews.Operations.OperationSupport;

namespace Connector.Emulator.Ews.Operations;

/// <summary>DeleteItem: HardDelete, SoftDelete (to Recoverable Items) or MoveToDeletedItems; occurrences become deleted occurrences.</summary>
internal static class DeleteItemOperation
{
    public static XElement Execute(EwsRequestContext context, XElement request)
    {
        var deleteType = (string?)request.Attribute("DeleteType") ?? "HardDelete";
        var cancellations = (string?)request.Attribute("SendMeetingCancellations");
        var affectedTasks = (string?)request.Attribute("AffectedTaskOccurrences");
        var messages = request.Element(M + "ItemIds")!.Elements().Select(id => PerItem(context, "DeleteItemResponseMessage", () =>
        {
            var (mailbox, target) = context.ResolveItem(id);
            lock (mailbox.Gate)
            {
                mailbox.DeleteItem(target, deleteType, cancellations, affectedTasks);
                return [];
            }
        }));
        return Response("DeleteItemResponse", messages);
    }
}
