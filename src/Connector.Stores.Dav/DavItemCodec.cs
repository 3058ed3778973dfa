using Connector.Domain;
using Connector.Mapping.ICalendar;
using Connector.Mapping.VCard;
using Connector.Sync.Stores;

namespace Connector.Stores.Dav;

/// <summary>How a resource's text mapped to the collection's kind.</summary>
internal enum DecodeOutcome
{
    Found,

    /// <summary>The resource holds another component (a VTODO in a calendar read as events): not an item of this view.</summary>
    Foreign,

    /// <summary>The text cannot be mapped (S21).</summary>
    Unreadable,
}

internal readonly record struct DecodedItem(DecodeOutcome Outcome, ISyncItem? Item, string? Reason);

/// <summary>Domain items ⇄ the text of one DAV resource, through the mapping layer.</summary>
internal static class DavItemCodec
{
    /// <summary>
    /// Nextcloud writes: SCHEDULE-AGENT=CLIENT on ORGANIZER and ATTENDEE, so the server sends no invitation for
    /// the connector's copies (S01). This must stay on for every write into a DAV server.
    /// </summary>
    public static readonly ICalendarWriteOptions CalendarWriteOptions = ICalendarWriteOptions.Default with { ScheduleAgentClient = true };

    /// <summary>The file extension of resources of this kind.</summary>
    public static string Extension(ItemKind kind) => kind == ItemKind.Contact ? ".vcf" : ".ics";

    public static string ContentType(ItemKind kind) =>
        kind == ItemKind.Contact ? "text/vcard; charset=utf-8" : "text/calendar; charset=utf-8";

    /// <summary>The text to PUT; throws <see cref="ArgumentException"/> when the item is not of the collection's kind.</summary>
    public static string Encode(ISyncItem item, ItemKind kind) => (item, kind) switch
    {
        (CalendarEvent e, ItemKind.Event) => ICalendarWriter.Write(e, CalendarWriteOptions),
        (TaskItem t, ItemKind.Task) => ICalendarWriter.Write(t, CalendarWriteOptions),
        (Contact c, ItemKind.Contact) => VCardWriter.Write(c),
        _ => throw new ArgumentException($"A {item?.GetType().Name ?? "null item"} cannot be written into a collection of {kind}.", nameof(item)),
    };

    public static DecodedItem Decode(string text, ItemKind kind)
    {
        if (kind == ItemKind.Contact)
        {
            var cards = VCardReader.Read(text);
            return cards switch
            {
                { Errors.Count: > 0 } => Unreadable(cards.Errors[0].Message),
                { Contacts.Count: 1 } => new DecodedItem(DecodeOutcome.Found, cards.Contacts[0], null),
                { Contacts.Count: 0 } => Unreadable("the resource holds no vCard"),
                _ => Unreadable($"the resource holds {cards.Contacts.Count} vCards; one is expected"),
            };
        }

        var calendar = ICalendarReader.Read(text);
        if (calendar.Errors.Count > 0)
        {
            return Unreadable(calendar.Errors[0].Message);
        }

        IReadOnlyList<ISyncItem> wanted = kind == ItemKind.Task ? calendar.Tasks : calendar.Events;
        var others = kind == ItemKind.Task ? calendar.Events.Count : calendar.Tasks.Count;
        return wanted.Count switch
        {
            1 => new DecodedItem(DecodeOutcome.Found, wanted[0], null),
            0 when others > 0 => new DecodedItem(DecodeOutcome.Foreign, null, $"the resource holds a {(kind == ItemKind.Task ? "VEVENT" : "VTODO")}, not a {(kind == ItemKind.Task ? "VTODO" : "VEVENT")}"),
            0 => Unreadable($"the resource holds no {(kind == ItemKind.Task ? "VTODO" : "VEVENT")}"),

            // RFC 4791 4.1: one resource, one UID. A file with several is a broken import; it cannot be paired.
            _ => Unreadable($"the resource holds {wanted.Count} items with different UIDs; one is expected"),
        };
    }

    private static DecodedItem Unreadable(string reason) => new(DecodeOutcome.Unreadable, null, reason);
}
