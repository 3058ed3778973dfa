using System.Xml.Linq;
using Connector.Emulator.Store;
using static Connector.Emulator.Ews.EwsNames;
using static Connector.Emulator.Ews.Operations.OperationSupport;

namespace Connector.Emulator.Ews.Operations;

/// <summary>CreateItem for calendar items, contacts and tasks; SendMeetingInvitations decides what the outbox gets.</summary>
internal static class CreateItemOperation
{
    public static XElement Execute(EwsRequestContext context, XElement request)
    {
        var sendInvitations = (string?)request.Attribute("SendMeetingInvitations");
        var savedFolder = request.Element(M + "SavedItemFolderId")?.Elements().FirstOrDefault();
        var messages = request.Element(M + "Items")!.Elements().Select(element => PerItem(context, "CreateItemResponseMessage", () =>
        {
            if (!ItemKinds.TryParseElement(element.Name.LocalName, out var kind))
            {
                throw new EwsException("ErrorInvalidOperation", $"The emulator creates calendar items, contacts and tasks, not {element.Name.LocalName}.");
            }

            var (mailbox, folder) = savedFolder is not null
                ? context.ResolveFolder(savedFolder)
                : (RequireMailbox(context), RequireMailbox(context).FolderByDistinguishedName(kind.HomeFolder().ToString().ToLowerInvariant())!);
            lock (mailbox.Gate)
            {
                var item = mailbox.CreateItem(folder, element, context.Time, sendInvitations);
                return [new XElement(M + "Items", ItemXmlWriter.IdOnly(mailbox, item, null))];
            }
        }, () => [new XElement(M + "Items")]));
        return Response("CreateItemResponse", messages);
    }
}
