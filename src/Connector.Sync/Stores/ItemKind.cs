namespace Connector.Sync.Stores;

/// <summary>What a collection holds. The values are the bits of <c>Service__SyncMode</c>.</summary>
[Flags]
public enum ItemKind
{
    None = 0,

    /// <summary>Calendar events (Exchange calendar ⇄ CalDAV VEVENT).</summary>
    Event = 1,

    /// <summary>Contacts (Exchange contacts ⇄ CardDAV).</summary>
    Contact = 2,

    /// <summary>Tasks (Exchange tasks / To Do ⇄ CalDAV VTODO).</summary>
    Task = 4,
}
