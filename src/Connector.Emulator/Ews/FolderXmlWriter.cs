using System.Globalization;
using System.Xml.Linq;
using Connector.Emulator.Ews.Schema;
using Connector.Emulator.Store;
using static Connector.Emulator.Ews.EwsNames;

namespace Connector.Emulator.Ews;

/// <summary>Writes a folder as t:Folder / t:CalendarFolder / t:ContactsFolder / t:TasksFolder for a folder shape.</summary>
internal static class FolderXmlWriter
{
    public static XElement Write(MailFolder folder, string baseShape)
    {
        var (elementName, schemaType) = folder.Kind switch
        {
            FolderKind.Calendar => ("CalendarFolder", "CalendarFolderType"),
            FolderKind.Contacts => ("ContactsFolder", "ContactsFolderType"),
            FolderKind.Tasks => ("TasksFolder", "TasksFolderType"),
            _ => ("Folder", "FolderType"),
        };
        var props = new Dictionary<string, XElement>(StringComparer.Ordinal)
        {
            ["FolderId"] = IdOf(folder),
        };
        if (baseShape != "IdOnly")
        {
            props["DisplayName"] = new XElement(T + "DisplayName", folder.DisplayName);
            props["TotalCount"] = new XElement(T + "TotalCount", Int(folder.Items.Count));
            props["ChildFolderCount"] = new XElement(T + "ChildFolderCount", Int(folder.Children.Count));
            props["UnreadCount"] = new XElement(T + "UnreadCount", "0");
        }

        if (baseShape == "AllProperties")
        {
            if (folder.Parent is { } parent)
            {
                props["ParentFolderId"] = new XElement(T + "ParentFolderId", new XAttribute("Id", parent.Id), new XAttribute("ChangeKey", parent.ChangeKey));
            }

            if (folder.FolderClass is { } folderClass)
            {
                props["FolderClass"] = new XElement(T + "FolderClass", folderClass);
            }
        }

        var element = new XElement(T + elementName);
        foreach (var name in EwsSchema.ElementOrder(schemaType))
        {
            if (props.TryGetValue(name, out var value))
            {
                element.Add(value);
            }
        }

        return element;
    }

    public static XElement IdOf(MailFolder folder) =>
        new(T + "FolderId", new XAttribute("Id", folder.Id), new XAttribute("ChangeKey", folder.ChangeKey));

    private static string Int(int value) => value.ToString(CultureInfo.InvariantCulture);
}
