using System.Xml.Linq;
using Connector.Emulator.Store;
using static Connector.Emulator.Ews.EwsNames;
using static Connector.Emulator.Ews.Operations.OperationSupport;

namespace Connector.Emulator.Ews.Operations;

/// <summary>
/// UpdateItem: per ItemChange, a ChangeKey check by ConflictResolution, then SetItemField /
/// AppendToItemField / DeleteItemField applied atomically; an occurrence target becomes an exception.
/// </summary>
internal static class UpdateItemOperation
{
    public static XElement Execute(EwsRequestContext context, XElement request)
    {
        var conflictResolution = (string?)request.Attribute("ConflictResolution") ?? "AutoResolve";
        var sendMode = (string?)request.Attribute("SendMeetingInvitationsOrCancellations");
        var messages = request.Element(M + "ItemChanges")!.Elements(T + "ItemChange").Select(change => PerItem(context, "UpdateItemResponseMessage", () =>
        {
            var idElement = change.Elements().First();
            var (mailbox, target) = context.ResolveItem(idElement);
            var updates = change.Element(T + "Updates")!.Elements().Select(Parse).ToList();
            lock (mailbox.Gate)
            {
                var item = mailbox.UpdateItem(target, (string?)idElement.Attribute("ChangeKey"), conflictResolution, updates, context.Time, sendMode);
                return
                [
                    new XElement(M + "Items", ItemXmlWriter.IdOnly(mailbox, item, target.Occurrence)),
                    new XElement(M + "ConflictResults", new XElement(T + "Count", "0")),
                ];
            }
        }, () => [new XElement(M + "Items")]));
        return Response("UpdateItemResponse", messages);
    }

    private static PropertyUpdate Parse(XElement update)
    {
        var action = update.Name.LocalName switch
        {
            "SetItemField" => UpdateAction.Set,
            "AppendToItemField" => UpdateAction.Append,
            _ => UpdateAction.Delete,
        };
        var elements = update.Elements().ToList();
        return new PropertyUpdate(action, PropertyPath.FromXml(elements[0]), elements.Count > 1 ? elements[1] : null);
    }
}
