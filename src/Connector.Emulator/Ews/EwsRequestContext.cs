using System.Xml.Linq;
using Connector.Emulator.Store;
using Connector.Emulator.Store.Calendar;
using static Connector.Emulator.Ews.EwsNames;

namespace Connector.Emulator.Ews;

/// <summary>
/// One EWS request as the operations see it: who is calling, on whose mailbox (impersonated or
/// their own), in which schema version and time zone; resolves folder and item ids with access checks.
/// </summary>
internal sealed class EwsRequestContext
{
    public EwsRequestContext(EmulatorStore store, EmulatorIdentity identity, Mailbox? mailbox, bool impersonating, string requestVersion, RequestTimeContext time)
    {
        Store = store;
        Identity = identity;
        Mailbox = mailbox;
        Impersonating = impersonating;
        RequestVersion = requestVersion;
        Time = time;
    }

    public EmulatorStore Store { get; }

    public EmulatorIdentity Identity { get; }

    /// <summary>The impersonated mailbox, else the identity's own; null for a service account without one.</summary>
    public Mailbox? Mailbox { get; }

    public bool Impersonating { get; }

    public string RequestVersion { get; }

    public RequestTimeContext Time { get; }

    /// <summary>Response codes of the per-item messages, for the request log.</summary>
    public List<string> ResponseCodes { get; } = [];

    /// <summary>Resolves t:FolderId / t:DistinguishedFolderId (with an optional t:Mailbox).</summary>
    public (Mailbox Mailbox, MailFolder Folder) ResolveFolder(XElement folderId)
    {
        if (folderId.Name.LocalName == "DistinguishedFolderId")
        {
            var name = (string)folderId.Attribute("Id")!;
            var explicitMailbox = folderId.Element(T + "Mailbox")?.Element(T + "EmailAddress")?.Value;
            Mailbox mailbox;
            if (explicitMailbox is not null)
            {
                mailbox = Store.Find(explicitMailbox)
                    ?? throw new EwsException("ErrorNonExistentMailbox", $"The SMTP address has no mailbox associated with it.");
            }
            else
            {
                mailbox = Mailbox
                    ?? throw new EwsException("ErrorMissingEmailAddress", "When making a request as an account that does not have a mailbox, you must specify the mailbox primary SMTP address for any distinguished folders.");
            }

            CheckAccess(mailbox);
            var folder = mailbox.FolderByDistinguishedName(name)
                ?? throw EwsException.FolderNotFound();
            return (mailbox, folder);
        }

        var id = (string)folderId.Attribute("Id")!;
        if (Store.FolderAliases.TryGetValue(id, out var alias))
        {
            CheckAccess(alias.Mailbox);
            return (alias.Mailbox, alias.Mailbox.FolderBySerial(alias.Serial) ?? throw EwsException.FolderNotFound());
        }

        if (!OpaqueIds.TryDecode(id, out var decoded))
        {
            throw EwsException.IdMalformed();
        }

        if (decoded.Kind != IdKind.Folder)
        {
            throw new EwsException("ErrorCannotUseItemIdForFolderId", "Item ids can't be used as folder ids.");
        }

        var owner = Store.FindByKey(decoded.MailboxKey) ?? throw EwsException.FolderNotFound();
        CheckAccess(owner);
        return (owner, owner.FolderBySerial(decoded.Serial) ?? throw EwsException.FolderNotFound());
    }

    /// <summary>Resolves a t:ItemId (item or occurrence), t:OccurrenceItemId or t:RecurringMasterItemId.</summary>
    public (Mailbox Mailbox, ItemTarget Target) ResolveItem(XElement idElement)
    {
        switch (idElement.Name.LocalName)
        {
            case "OccurrenceItemId":
                var (masterMailbox, master) = ResolveItem((string)idElement.Attribute("RecurringMasterId")!);
                if (master.Occurrence is not null)
                {
                    throw new EwsException("ErrorCalendarCannotUseIdForOccurrenceId", "The id of an occurrence cannot be used as a recurring master id.");
                }

                var index = (int)idElement.Attribute("InstanceIndex")!;
                lock (masterMailbox.Gate)
                {
                    return (masterMailbox, new ItemTarget(master.Item, Mailbox.OccurrenceAt(master.Item, index)));
                }

            case "RecurringMasterItemId":
                var (occurrenceMailbox, occurrence) = ResolveItem((string)idElement.Attribute("OccurrenceId")!);
                if (occurrence.Occurrence is null && occurrence.Item.Prop("Recurrence") is null)
                {
                    throw new EwsException("ErrorCalendarCannotUseIdForRecurringMasterId", "The id of a single item cannot be used as an occurrence id.");
                }

                return (occurrenceMailbox, new ItemTarget(occurrence.Item, null));
            default:
                return ResolveItem((string)idElement.Attribute("Id")!);
        }
    }

    /// <summary>Resolves an item id string: seeded alias, or an emulator id (item or occurrence).</summary>
    public (Mailbox Mailbox, ItemTarget Target) ResolveItem(string id)
    {
        if (Store.ItemAliases.TryGetValue(id, out var alias))
        {
            CheckAccess(alias.Mailbox);
            lock (alias.Mailbox.Gate)
            {
                var aliased = alias.Mailbox.Items.GetValueOrDefault(alias.Serial) ?? throw EwsException.ItemNotFound();
                return (alias.Mailbox, new ItemTarget(aliased, null));
            }
        }

        if (!OpaqueIds.TryDecode(id, out var decoded))
        {
            throw EwsException.IdMalformed();
        }

        if (decoded.Kind == IdKind.Folder)
        {
            throw new EwsException("ErrorCannotUseFolderIdForItemId", "Folder ids can't be used as item ids.");
        }

        var mailbox = Store.FindByKey(decoded.MailboxKey) ?? throw EwsException.ItemNotFound();
        CheckAccess(mailbox);
        lock (mailbox.Gate)
        {
            var item = mailbox.Items.GetValueOrDefault(decoded.Serial) ?? throw EwsException.ItemNotFound();
            if (decoded.Kind != IdKind.Occurrence)
            {
                return (mailbox, new ItemTarget(item, null));
            }

            var originalStart = new DateTime(decoded.OccurrenceTicks, DateTimeKind.Utc);
            Mailbox.CheckOccurrence(item, originalStart);
            return (mailbox, new ItemTarget(item, originalStart));
        }
    }

    public void CheckAccess(Mailbox mailbox)
    {
        if (mailbox == Mailbox)
        {
            return;
        }

        throw new EwsException("ErrorAccessDenied", "Access is denied. Check credentials and try again.");
    }
}
