namespace Connector.Emulator.Store;

/// <summary>The item types the emulator stores.</summary>
internal enum ItemKind
{
    CalendarItem,
    Contact,
    Task,
}

/// <summary>Schema and store facts per item kind.</summary>
internal static class ItemKinds
{
    /// <summary>The element name in t: (CalendarItem, Contact, Task).</summary>
    public static string ElementName(this ItemKind kind) => kind switch
    {
        ItemKind.CalendarItem => "CalendarItem",
        ItemKind.Contact => "Contact",
        _ => "Task",
    };

    /// <summary>The schema complex type (for element order).</summary>
    public static string SchemaType(this ItemKind kind) => kind switch
    {
        ItemKind.CalendarItem => "CalendarItemType",
        ItemKind.Contact => "ContactItemType",
        _ => "TaskType",
    };

    public static string DefaultItemClass(this ItemKind kind) => kind switch
    {
        ItemKind.CalendarItem => "IPM.Appointment",
        ItemKind.Contact => "IPM.Contact",
        _ => "IPM.Task",
    };

    /// <summary>The first 4 bytes of Exchange change keys for this kind.</summary>
    public static int ChangeKeyMarker(this ItemKind kind) => kind switch
    {
        ItemKind.CalendarItem => 0x0F,
        ItemKind.Contact => 0x11,
        _ => 0x13,
    };

    /// <summary>The folder class an item of this kind is created in.</summary>
    public static FolderKind HomeFolder(this ItemKind kind) => kind switch
    {
        ItemKind.CalendarItem => FolderKind.Calendar,
        ItemKind.Contact => FolderKind.Contacts,
        _ => FolderKind.Tasks,
    };

    public static bool TryParseElement(string localName, out ItemKind kind)
    {
        switch (localName)
        {
            case "CalendarItem":
                kind = ItemKind.CalendarItem;
                return true;
            case "Contact":
                kind = ItemKind.Contact;
                return true;
            case "Task":
                kind = ItemKind.Task;
                return true;
            default:
                kind = default;
                return false;
        }
    }
}
