using System.Xml.Linq;

namespace Connector.Emulator.Store;

/// <summary>
/// One mailbox: its folders, items, change logs, tombstones and outbox. Every read or write of a
/// mailbox happens under <see cref="Gate"/>; operations are short and in memory.
/// </summary>
internal sealed partial class Mailbox
{
    private readonly Dictionary<long, MailFolder> foldersBySerial = [];
    private readonly Dictionary<string, MailFolder> foldersByName = new(StringComparer.OrdinalIgnoreCase);
    private long nextSerial = 1;
    private long nextChangeNumber = 1;

    public Mailbox(EmulatorStore store, string smtpAddress, string displayName)
    {
        Store = store;
        SmtpAddress = smtpAddress;
        DisplayName = displayName;
        Key = OpaqueIds.MailboxKey(smtpAddress);
        Address = new MailboxAddress(displayName, smtpAddress);
        CreateFolders();
    }

    public EmulatorStore Store { get; }

    public Lock Gate { get; } = new();

    public Guid Key { get; }

    public string SmtpAddress { get; }

    public string DisplayName { get; }

    public MailboxAddress Address { get; }

    /// <summary>A stable Windows-style SID for ConnectingSID/SID impersonation.</summary>
    public string Sid => string.Create(
        System.Globalization.CultureInfo.InvariantCulture,
        $"S-1-5-21-{BitConverter.ToUInt32(Key.ToByteArray(), 0)}-{BitConverter.ToUInt32(Key.ToByteArray(), 4)}-{BitConverter.ToUInt32(Key.ToByteArray(), 8)}-{1000 + (BitConverter.ToUInt32(Key.ToByteArray(), 12) % 100000)}");

    public Dictionary<long, StoredItem> Items { get; } = [];

    /// <summary>Deleted items' last id and change key, for the Delete changes of SyncFolderItems.</summary>
    public Dictionary<long, (string Id, string ChangeKey)> Tombstones { get; } = [];

    public List<OutboxMessage> Outbox { get; } = [];

    public IEnumerable<MailFolder> Folders => foldersBySerial.Values;

    public MailFolder Root => foldersByName["root"];

    public MailFolder MessageRoot => foldersByName["msgfolderroot"];

    public MailFolder? FolderByDistinguishedName(string name) => foldersByName.GetValueOrDefault(name);

    public MailFolder? FolderBySerial(long serial) => foldersBySerial.GetValueOrDefault(serial);

    public long NextSerial() => nextSerial++;

    /// <summary>A new change number and the change key for it.</summary>
    public (string ChangeKey, long Number) NextChangeKey(int typeMarker)
    {
        var number = nextChangeNumber++;
        return (ChangeKeys.Create(typeMarker, Key, number, Store.Options.ChangeKeyPaddingBytes), number);
    }

    public bool IsOwner(MailboxAddress? address) =>
        address is not null && string.Equals(address.EmailAddress, SmtpAddress, StringComparison.OrdinalIgnoreCase);

    private void CreateFolders()
    {
        var root = AddFolder("root", "Root", FolderKind.Root, null);
        var top = AddFolder("msgfolderroot", "Top of Information Store", FolderKind.Root, root);
        AddFolder("inbox", "Inbox", FolderKind.Mail, top);
        AddFolder("drafts", "Drafts", FolderKind.Mail, top);
        AddFolder("sentitems", "Sent Items", FolderKind.Mail, top);
        AddFolder("outbox", "Outbox", FolderKind.Mail, top);
        AddFolder("deleteditems", "Deleted Items", FolderKind.Mail, top);
        AddFolder("junkemail", "Junk Email", FolderKind.Mail, top);
        AddFolder("calendar", "Calendar", FolderKind.Calendar, top);
        AddFolder("contacts", "Contacts", FolderKind.Contacts, top);
        AddFolder("tasks", "Tasks", FolderKind.Tasks, top);
        AddFolder("notes", "Notes", FolderKind.Notes, top);
        AddFolder("journal", "Journal", FolderKind.Journal, top);
        var recoverable = AddFolder("recoverableitemsroot", "Recoverable Items", FolderKind.Hidden, root);
        AddFolder("recoverableitemsdeletions", "Deletions", FolderKind.Hidden, recoverable);
    }

    private MailFolder AddFolder(string name, string displayName, FolderKind kind, MailFolder? parent)
    {
        var folder = new MailFolder(NextSerial(), name, displayName, kind, parent);
        folder.Id = OpaqueIds.Encode(IdKind.Folder, Key, folder.Serial);
        folder.ChangeKey = NextChangeKey(0x01).ChangeKey;
        foldersBySerial[folder.Serial] = folder;
        foldersByName[name] = folder;
        return folder;
    }

    /// <summary>Records a scheduling message in this mailbox's outbox.</summary>
    public void Send(ScheduleMessageKind kind, IEnumerable<MailboxAddress> recipients, StoredItem item, DateTime? occurrenceStartUtc, string operation, string sendMode)
    {
        var savedCopy = sendMode.EndsWith("AndSaveCopy", StringComparison.Ordinal);
        foreach (var recipient in recipients.DistinctBy(r => r.EmailAddress, StringComparer.OrdinalIgnoreCase))
        {
            Outbox.Add(new OutboxMessage(
                Store.NextOutboxSequence(),
                Store.Now,
                SmtpAddress,
                kind,
                recipient.EmailAddress,
                item.Text("Subject"),
                item.Text("UID"),
                item.Id,
                occurrenceStartUtc is { } s ? new DateTimeOffset(s, TimeSpan.Zero) : null,
                operation,
                sendMode,
                savedCopy));
        }
    }

    /// <summary>Registers an alternative id for a folder (to replay documentation examples with their ids).</summary>
    public void AliasFolder(MailFolder folder, string id) => Store.FolderAliases[id] = (this, folder.Serial);

    /// <summary>Fails when the item was deleted after its id was resolved.</summary>
    public void EnsureLive(ItemTarget target)
    {
        if (!Items.ContainsKey(target.Item.Serial))
        {
            throw EwsException.ItemNotFound();
        }
    }
}
