using System.Globalization;
using System.Xml.Linq;
using Connector.Emulator.Store;
using static Connector.Emulator.Ews.EwsNames;
using static Connector.Emulator.Ews.Operations.OperationSupport;

namespace Connector.Emulator.Ews.Operations;

/// <summary>GetFolder, FindFolder and SyncFolderHierarchy over the mailbox's fixed folder tree.</summary>
internal static class FolderOperations
{
    public static XElement GetFolder(EwsRequestContext context, XElement request)
    {
        var shape = request.Element(M + "FolderShape")?.Element(T + "BaseShape")?.Value ?? "IdOnly";
        var messages = FolderIdElements(request.Element(M + "FolderIds")).Select(id => PerItem(context, "GetFolderResponseMessage", () =>
        {
            var (mailbox, folder) = context.ResolveFolder(id);
            lock (mailbox.Gate)
            {
                return [new XElement(M + "Folders", FolderXmlWriter.Write(folder, shape))];
            }
        }, () => [new XElement(M + "Folders")]));
        return Response("GetFolderResponse", messages);
    }

    public static XElement FindFolder(EwsRequestContext context, XElement request)
    {
        var shape = request.Element(M + "FolderShape")?.Element(T + "BaseShape")?.Value ?? "IdOnly";
        var deep = (string?)request.Attribute("Traversal") == "Deep";
        var view = request.Element(M + "IndexedPageFolderView");
        var messages = FolderIdElements(request.Element(M + "ParentFolderIds")).Select(id => PerItem(context, "FindFolderResponseMessage", () =>
        {
            var (mailbox, parent) = context.ResolveFolder(id);
            lock (mailbox.Gate)
            {
                var all = Descendants(parent, deep).Where(f => f.Kind != FolderKind.Hidden).ToList();
                var offset = (int?)view?.Attribute("Offset") ?? 0;
                var max = (int?)view?.Attribute("MaxEntriesReturned") ?? int.MaxValue;
                var page = all.Skip(offset).Take(max).ToList();
                return
                [
                    new XElement(
                        M + "RootFolder",
                        new XAttribute("IndexedPagingOffset", (offset + page.Count).ToString(CultureInfo.InvariantCulture)),
                        new XAttribute("TotalItemsInView", all.Count.ToString(CultureInfo.InvariantCulture)),
                        new XAttribute("IncludesLastItemInRange", offset + page.Count >= all.Count ? "true" : "false"),
                        new XElement(T + "Folders", page.Select(f => FolderXmlWriter.Write(f, shape)))),
                ];
            }
        }));
        return Response("FindFolderResponse", messages);
    }

    /// <summary>
    /// The folder tree never changes in the emulator: the first call (no SyncState) creates every
    /// folder below the sync root, later calls with a valid state return no change.
    /// </summary>
    public static XElement SyncFolderHierarchy(EwsRequestContext context, XElement request)
    {
        var shape = request.Element(M + "FolderShape")?.Element(T + "BaseShape")?.Value ?? "IdOnly";
        var message = PerItem(context, "SyncFolderHierarchyResponseMessage", () =>
        {
            var (mailbox, root) = request.Element(M + "SyncFolderId")?.Elements().FirstOrDefault() is { } id
                ? context.ResolveFolder(id)
                : (RequireMailbox(context), RequireMailbox(context).MessageRoot);
            lock (mailbox.Gate)
            {
                var state = request.Element(M + "SyncState")?.Value;
                var codec = context.Store.SyncStates;
                var folders = new List<MailFolder>();
                if (string.IsNullOrWhiteSpace(state))
                {
                    folders.AddRange(Descendants(root, deep: true).Where(f => f.Kind != FolderKind.Hidden));
                }
                else if (codec.TryDecode(state, mailbox.Key, -root.Serial, 1) is null)
                {
                    throw new EwsException("ErrorInvalidSyncStateData", "Synchronization state data is corrupt or otherwise invalid.");
                }

                return
                [
                    new XElement(M + "SyncState", codec.Encode(mailbox.Key, -root.Serial, 1, 1)),
                    new XElement(M + "IncludesLastFolderInRange", "true"),
                    new XElement(M + "Changes", folders.Select(f => new XElement(T + "Create", FolderXmlWriter.Write(f, shape == "IdOnly" ? "IdOnly" : "AllProperties")))),
                ];
            }
        });
        return Response("SyncFolderHierarchyResponse", [message]);
    }

    private static IEnumerable<MailFolder> Descendants(MailFolder parent, bool deep)
    {
        foreach (var child in parent.Children)
        {
            yield return child;
            if (deep)
            {
                foreach (var grandChild in Descendants(child, deep))
                {
                    yield return grandChild;
                }
            }
        }
    }
}
