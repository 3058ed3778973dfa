using System.Xml.Linq;

namespace Connector.Emulator.Store;

/// <summary>
/// One item as the emulated server stores it: EWS-shaped. Client-settable properties are kept as
/// the t: elements the client sent (normalised: Start/End in UTC, zone ids resolved), keyed by
/// element name; server-computed properties (ItemId, CalendarItemType, CompleteName, …) are
/// derived when the item is written out. Recurring masters carry their exceptions and deleted
/// occurrences, keyed by the occurrence's original start (UTC).
/// </summary>
internal sealed class StoredItem
{
    public StoredItem(long serial, ItemKind kind, MailFolder folder, string id)
    {
        Serial = serial;
        Kind = kind;
        Folder = folder;
        Id = id;
    }

    public long Serial { get; }

    public ItemKind Kind { get; }

    public MailFolder Folder { get; set; }

    public string Id { get; }

    public string ChangeKey { get; set; } = string.Empty;

    public long ChangeNumber { get; set; }

    /// <summary>Change keys this item had (change key → change number), for ConflictResolution=AutoResolve.</summary>
    public Dictionary<string, long> KnownChangeKeys { get; } = new(StringComparer.Ordinal);

    /// <summary>Element name → change number of the last write of that property.</summary>
    public Dictionary<string, long> FieldChangeNumbers { get; } = new(StringComparer.Ordinal);

    /// <summary>Stored properties: element local name → the t: element.</summary>
    public Dictionary<string, XElement> Props { get; } = new(StringComparer.Ordinal);

    /// <summary>Extended MAPI properties: canonical ExtendedFieldURI → the t:ExtendedProperty element.</summary>
    public Dictionary<string, XElement> ExtendedProperties { get; } = new(StringComparer.Ordinal);

    public DateTimeOffset Created { get; set; }

    public DateTimeOffset Modified { get; set; }

    public int ChangeCount { get; set; } = 1;

    // Calendar items -------------------------------------------------------------------------

    /// <summary>The organizer (the mailbox owner for items created here).</summary>
    public MailboxAddress? Organizer { get; set; }

    public bool MeetingRequestWasSent { get; set; }

    public bool IsCancelled { get; set; }

    public int AppointmentSequenceNumber { get; set; }

    /// <summary>Exceptions of a recurring master by original start (UTC).</summary>
    public SortedDictionary<DateTime, OccurrenceException> Exceptions { get; } = [];

    /// <summary>Deleted occurrences of a recurring master by original start (UTC).</summary>
    public SortedSet<DateTime> DeletedOccurrences { get; } = [];

    public XElement? Prop(string name) => Props.GetValueOrDefault(name);

    public string? Text(string name) => Props.TryGetValue(name, out var element) ? element.Value : null;
}

/// <summary>A modified occurrence of a recurring series: the properties it overrides.</summary>
internal sealed class OccurrenceException
{
    public OccurrenceException(DateTime originalStartUtc)
    {
        OriginalStartUtc = originalStartUtc;
    }

    public DateTime OriginalStartUtc { get; }

    public Dictionary<string, XElement> Props { get; } = new(StringComparer.Ordinal);

    public string ChangeKey { get; set; } = string.Empty;

    public long ChangeNumber { get; set; }

    public DateTimeOffset Modified { get; set; }
}

/// <summary>An e-mail address with an optional display name (EWS EmailAddressType).</summary>
internal sealed record MailboxAddress(string? Name, string EmailAddress)
{
    public XElement ToMailboxElement()
    {
        var mailbox = new XElement(Ews.EwsNames.T + "Mailbox");
        if (!string.IsNullOrEmpty(Name))
        {
            mailbox.Add(new XElement(Ews.EwsNames.T + "Name", Name));
        }

        mailbox.Add(
            new XElement(Ews.EwsNames.T + "EmailAddress", EmailAddress),
            new XElement(Ews.EwsNames.T + "RoutingType", "SMTP"),
            new XElement(Ews.EwsNames.T + "MailboxType", "Mailbox"));
        return mailbox;
    }

    public static MailboxAddress? FromMailboxElement(XElement? mailbox)
    {
        var email = mailbox?.Element(Ews.EwsNames.T + "EmailAddress")?.Value;
        return string.IsNullOrWhiteSpace(email) ? null : new MailboxAddress(mailbox!.Element(Ews.EwsNames.T + "Name")?.Value, email.Trim());
    }
}
