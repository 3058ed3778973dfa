using System.Globalization;
using System.Xml.Linq;
using Connector.Emulator.Store;
using static Connector.Emulator.Ews.EwsNames;
using static Connector.Emulator.Ews.Operations.OperationSupport;

namespace Connector.Emulator.Ews.Operations;

/// <summary>
/// SyncFolderItems: the net changes of a folder since a SyncState, oldest first, at most
/// MaxChangesReturned per call. The state is a position in the folder's change log. An item
/// created and changed since the state is one Create; created and deleted, nothing; an item the
/// client has seen that changed, one Update; deleted, one Delete (with its last id and change key).
/// Paging cuts after the last change of the page's last item, so an item created before the cut
/// and changed after it comes as an Update on the next page (as on Exchange: clients must treat an
/// Update of an unknown item as a create).
/// </summary>
internal static class SyncFolderItemsOperation
{
    public static XElement Execute(EwsRequestContext context, XElement request)
    {
        var message = PerItem(context, "SyncFolderItemsResponseMessage", () =>
        {
            var (mailbox, folder) = context.ResolveFolder(request.Element(M + "SyncFolderId")!.Elements().First());
            var shape = ItemShape.Parse(request.Element(M + "ItemShape"));
            var max = int.Parse(request.Element(M + "MaxChangesReturned")!.Value, CultureInfo.InvariantCulture);
            var ignore = request.Element(M + "Ignore")?.Elements(T + "ItemId").Select(i => (string)i.Attribute("Id")!).ToHashSet(StringComparer.Ordinal) ?? [];
            var state = request.Element(M + "SyncState")?.Value;
            lock (mailbox.Gate)
            {
                long position = 0;
                if (!string.IsNullOrWhiteSpace(state))
                {
                    position = context.Store.SyncStates.TryDecode(state, mailbox.Key, folder.Serial, folder.SyncGeneration) is { } decoded && decoded <= folder.Log.Count
                        ? decoded
                        : throw new EwsException("ErrorInvalidSyncStateData", "Synchronization state data is corrupt or otherwise invalid.");
                }

                var (changes, newPosition, complete) = NetChanges(mailbox, folder, position, max, ignore, shape);
                return
                [
                    new XElement(M + "SyncState", context.Store.SyncStates.Encode(mailbox.Key, folder.Serial, folder.SyncGeneration, newPosition)),
                    new XElement(M + "IncludesLastItemInRange", complete ? "true" : "false"),
                    new XElement(M + "Changes", changes),
                ];
            }
        });
        return Response("SyncFolderItemsResponse", [message]);
    }

    private static (List<XElement> Changes, long Position, bool Complete) NetChanges(Mailbox mailbox, MailFolder folder, long position, int max, HashSet<string> ignore, ItemShape shape)
    {
        // Last log position and "created since the state" per item, in order of last change.
        var last = new Dictionary<long, (long Position, bool Created)>();
        for (var i = (int)position; i < folder.Log.Count; i++)
        {
            var record = folder.Log[i];
            var created = record.Kind == ChangeKind.Create || (last.TryGetValue(record.ItemSerial, out var seen) && seen.Created);
            last[record.ItemSerial] = (i + 1, created);
        }

        var ordered = last.OrderBy(kv => kv.Value.Position).ToList();
        var changes = new List<XElement>();
        long cut = folder.Log.Count;
        var taken = 0;
        for (var i = 0; i < ordered.Count; i++)
        {
            var (serial, (_, created)) = ordered[i];
            var change = Change(mailbox, folder, serial, created, ignore, shape);
            if (change is null)
            {
                continue;
            }

            if (taken == max)
            {
                cut = ordered[i - 1].Value.Position;
                return (changes, cut, false);
            }

            changes.Add(change);
            taken++;
        }

        return (changes, cut, true);
    }

    private static XElement? Change(Mailbox mailbox, MailFolder folder, long serial, bool created, HashSet<string> ignore, ItemShape shape)
    {
        if (folder.Items.TryGetValue(serial, out var item))
        {
            if (ignore.Contains(item.Id))
            {
                return null;
            }

            return new XElement(T + (created ? "Create" : "Update"), ItemXmlWriter.Write(mailbox, item, null, shape, forFind: true));
        }

        if (created || !mailbox.Tombstones.TryGetValue(serial, out var tombstone) || ignore.Contains(tombstone.Id))
        {
            return null;
        }

        return new XElement(T + "Delete", new XElement(T + "ItemId", new XAttribute("Id", tombstone.Id), new XAttribute("ChangeKey", tombstone.ChangeKey)));
    }
}
