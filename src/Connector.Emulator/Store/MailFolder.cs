namespace Connector.Emulator.Store;

/// <summary>What a folder holds (its FolderClass family).</summary>
internal enum FolderKind
{
    Root,
    Mail,
    Calendar,
    Contacts,
    Tasks,
    Notes,
    Journal,
    Hidden,
}

/// <summary>One kind of change in a folder's change log.</summary>
internal enum ChangeKind
{
    Create,
    Update,
    Delete,
}

/// <summary>One entry of a folder's change log; the position is its 1-based index.</summary>
internal readonly record struct ChangeRecord(long ItemSerial, ChangeKind Kind);

/// <summary>
/// A folder of a mailbox with its items and its change log. SyncFolderItems states are
/// positions in <see cref="Log"/>; bumping <see cref="SyncGeneration"/> invalidates every state
/// issued so far (ErrorInvalidSyncStateData), as when Exchange's sync state expires.
/// </summary>
internal sealed class MailFolder
{
    public MailFolder(long serial, string? distinguishedName, string displayName, FolderKind kind, MailFolder? parent)
    {
        Serial = serial;
        DistinguishedName = distinguishedName;
        DisplayName = displayName;
        Kind = kind;
        Parent = parent;
        parent?.Children.Add(this);
    }

    public long Serial { get; }

    public string? DistinguishedName { get; }

    public string DisplayName { get; }

    public FolderKind Kind { get; }

    public MailFolder? Parent { get; }

    public List<MailFolder> Children { get; } = [];

    /// <summary>Item serial → item, for items currently in this folder.</summary>
    public SortedDictionary<long, StoredItem> Items { get; } = [];

    public List<ChangeRecord> Log { get; } = [];

    public int SyncGeneration { get; set; } = 1;

    public string Id { get; set; } = string.Empty;

    public string ChangeKey { get; set; } = string.Empty;

    public string? FolderClass => Kind switch
    {
        FolderKind.Mail => "IPF.Note",
        FolderKind.Calendar => "IPF.Appointment",
        FolderKind.Contacts => "IPF.Contact",
        FolderKind.Tasks => "IPF.Task",
        FolderKind.Notes => "IPF.StickyNote",
        FolderKind.Journal => "IPF.Journal",
        _ => null,
    };

    /// <summary>Whether an item of the kind may be created in (not only moved to) this folder.</summary>
    public bool Accepts(ItemKind kind) => Kind == kind.HomeFolder();

    public void Record(long itemSerial, ChangeKind kind) => Log.Add(new ChangeRecord(itemSerial, kind));
}
