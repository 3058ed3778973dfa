using System.Xml.Linq;
using Connector.Emulator.Store;
using Connector.Emulator.Store.Calendar;

namespace Connector.Emulator;

/// <summary>An item the emulator holds, as a client would see its id.</summary>
public sealed record EmulatorItemRef(string ItemId, string ChangeKey, string? Uid);

/// <summary>
/// Seeding and inspection of one mailbox from C#. Items are given as EWS t: elements (the same
/// XML a CreateItem carries) and go through the same rules as CreateItem / UpdateItem / DeleteItem.
/// </summary>
public sealed class EmulatorMailboxHandle
{
    private readonly Mailbox mailbox;

    internal EmulatorMailboxHandle(Mailbox mailbox)
    {
        this.mailbox = mailbox;
    }

    public string SmtpAddress => mailbox.SmtpAddress;

    /// <summary>
    /// Creates an item (t:CalendarItem, t:Contact, t:Task in the types namespace) in a distinguished
    /// folder. Optionally with a fixed ItemId/ChangeKey (e.g. the shortened ids of Microsoft's
    /// examples) or a foreign organizer (a meeting this mailbox was invited to: no messages are sent).
    /// </summary>
    public EmulatorItemRef CreateItem(
        string distinguishedFolder,
        XElement item,
        string sendMeetingInvitations = "SendToNone",
        string? itemId = null,
        string? changeKey = null,
        string? organizerEmail = null,
        string? organizerName = null,
        string? myResponseType = null,
        string? timeZoneContext = null)
    {
        ArgumentNullException.ThrowIfNull(item);
        lock (mailbox.Gate)
        {
            var folder = Folder(distinguishedFolder);
            var organizer = organizerEmail is null ? null : new MailboxAddress(organizerName, organizerEmail);
            var created = mailbox.CreateItem(
                folder,
                item,
                new RequestTimeContext(WindowsTimeZones.FindById(timeZoneContext), false),
                sendMeetingInvitations,
                new CreateOptions(itemId, changeKey, organizer, myResponseType));
            return Ref(created);
        }
    }

    /// <summary>Sets properties of one occurrence (1-based index) of a series, making it an exception.</summary>
    public EmulatorItemRef ModifyOccurrence(string masterItemId, int instanceIndex, params XElement[] properties)
    {
        ArgumentNullException.ThrowIfNull(properties);
        lock (mailbox.Gate)
        {
            var master = Item(masterItemId);
            var occurrence = Mailbox.OccurrenceAt(master, instanceIndex);
            var updates = properties.Select(p => new PropertyUpdate(
                UpdateAction.Set,
                new PropertyPath(p.Name.LocalName, null, null, null, null),
                new XElement(Ews.EwsNames.T + "CalendarItem", new XElement(p)))).ToList();
            mailbox.UpdateItem(new ItemTarget(master, occurrence), null, "AlwaysOverwrite", updates, RequestTimeContext.Utc, "SendToNone");
            return Ref(master);
        }
    }

    /// <summary>Deletes one occurrence (1-based index) of a series without sending anything.</summary>
    public EmulatorItemRef DeleteOccurrence(string masterItemId, int instanceIndex)
    {
        lock (mailbox.Gate)
        {
            var master = Item(masterItemId);
            var occurrence = Mailbox.OccurrenceAt(master, instanceIndex);
            mailbox.DeleteItem(new ItemTarget(master, occurrence), "HardDelete", "SendToNone", null);
            return Ref(master);
        }
    }

    /// <summary>The current id, change key and UID of an item.</summary>
    public EmulatorItemRef? Find(string itemId)
    {
        lock (mailbox.Gate)
        {
            return mailbox.Items.Values.FirstOrDefault(i => i.Id == itemId) is { } item ? Ref(item) : null;
        }
    }

    /// <summary>The items of a distinguished folder (calendar, contacts, tasks, deleteditems, …).</summary>
    public IReadOnlyList<EmulatorItemRef> Items(string distinguishedFolder)
    {
        lock (mailbox.Gate)
        {
            return Folder(distinguishedFolder).Items.Values.Select(Ref).ToList();
        }
    }

    /// <summary>Makes every SyncState issued for the folder invalid (ErrorInvalidSyncStateData), as an expired state.</summary>
    public void InvalidateSyncStates(string distinguishedFolder)
    {
        lock (mailbox.Gate)
        {
            Folder(distinguishedFolder).SyncGeneration++;
        }
    }

    /// <summary>Lets a folder also be addressed by another id (to replay documentation examples verbatim).</summary>
    public void AliasFolderId(string distinguishedFolder, string folderId)
    {
        lock (mailbox.Gate)
        {
            mailbox.AliasFolder(Folder(distinguishedFolder), folderId);
        }
    }

    /// <summary>The FolderId of a distinguished folder.</summary>
    public string FolderId(string distinguishedFolder)
    {
        lock (mailbox.Gate)
        {
            return Folder(distinguishedFolder).Id;
        }
    }

    private MailFolder Folder(string name) =>
        mailbox.FolderByDistinguishedName(name) ?? throw new ArgumentException($"no distinguished folder {name}", nameof(name));

    private StoredItem Item(string itemId) =>
        mailbox.Items.Values.FirstOrDefault(i => i.Id == itemId) ?? throw new ArgumentException($"no item {itemId} in {mailbox.SmtpAddress}", nameof(itemId));

    private static EmulatorItemRef Ref(StoredItem item) => new(item.Id, item.ChangeKey, item.Text("UID"));
}
