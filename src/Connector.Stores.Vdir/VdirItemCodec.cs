using System.Security.Cryptography;
using System.Text;
using Connector.Domain;
using Connector.Mapping.ICalendar;
using Connector.Mapping.Text;
using Connector.Mapping.VCard;
using Connector.Sync.Stores;

namespace Connector.Stores.Vdir;

/// <summary>An item file's bytes ⇄ the domain model, and the version (content hash) of those bytes.</summary>
internal static class VdirItemCodec
{
    private static readonly UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false);

    /// <summary>The version of a file: SHA-256 of its bytes, lower-case hex. Equal bytes, equal version.</summary>
    public static string Version(ReadOnlySpan<byte> content) => Convert.ToHexStringLower(SHA256.HashData(content));

    /// <summary>True when <paramref name="item"/> belongs in a collection of <paramref name="kind"/>.</summary>
    public static bool Fits(ISyncItem item, ItemKind kind) => item switch
    {
        CalendarEvent => kind == ItemKind.Event,
        TaskItem => kind == ItemKind.Task,
        Contact => kind == ItemKind.Contact,
        _ => false,
    };

    /// <summary>
    /// The bytes the store writes: iCalendar with the writer's defaults (SCHEDULE-AGENT=CLIENT, VTIMEZONEs)
    /// or vCard 3.0, UTF-8 without a byte order mark.
    /// </summary>
    public static byte[] Serialize(ISyncItem item)
    {
        var text = item switch
        {
            CalendarEvent e => ICalendarWriter.Write(e),
            TaskItem t => ICalendarWriter.Write(t),
            Contact c => VCardWriter.Write(c),
            _ => throw new ArgumentException($"Unknown item type {item.GetType().Name}.", nameof(item)),
        };
        return Utf8NoBom.GetBytes(text);
    }

    /// <summary>
    /// Reads one item of <paramref name="kind"/> from a file's bytes; null and a reason fit for an
    /// administrator (S21) when the file cannot be mapped or does not hold exactly one such item.
    /// </summary>
    public static (ISyncItem? Item, string? Problem) Read(ReadOnlySpan<byte> content, ItemKind kind)
    {
        if (kind == ItemKind.Contact)
        {
            var cards = VCardReader.Read(content);
            return Single(cards.Contacts, cards.Errors, "VCARD", "contacts");
        }

        var calendar = ICalendarReader.Read(content);
        if (kind == ItemKind.Task)
        {
            return calendar.Tasks.Count == 0 && calendar.Errors.Count == 0 && calendar.Events.Count > 0
                ? (null, "the file holds a VEVENT, but this collection holds tasks (VTODO)")
                : Single(calendar.Tasks, calendar.Errors, "VTODO", "tasks");
        }

        return calendar.Events.Count == 0 && calendar.Errors.Count == 0 && calendar.Tasks.Count > 0
            ? (null, "the file holds a VTODO, but this collection holds events (VEVENT)")
            : Single(calendar.Events, calendar.Errors, "VEVENT", "events");
    }

    private static (ISyncItem? Item, string? Problem) Single<T>(IReadOnlyList<T> items, IReadOnlyList<MappingException> errors, string component, string what)
        where T : ISyncItem
    {
        if (errors.Count > 0)
        {
            var more = errors.Count > 1 ? $" (and {errors.Count - 1} more)" : string.Empty;
            return (null, errors[0].Message + more);
        }

        return items.Count switch
        {
            1 => (items[0], null),
            0 => (null, $"the file holds no {component}"),
            _ => (null, $"the file holds {items.Count} {what} with different UIDs; a vdir file holds one"),
        };
    }
}
