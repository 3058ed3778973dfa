using System.Text;
using Connector.Domain;
using Connector.Sync.Stores;

namespace Connector.Testing.Conformance;

/// <summary>
/// The items the conformance suites write. Each is already in the mapping layer's normal form (text
/// trimmed, LF line breaks, UTC times whole seconds), so a store that keeps content exactly hands back an
/// equal model. A <paramref name="revision"/> changes a visible field, so an update is a real change.
/// </summary>
public static class ConformanceItems
{
    public static ISyncItem Create(ItemKind kind, string uid, int revision = 1) => kind switch
    {
        ItemKind.Event => Event(uid, revision),
        ItemKind.Task => Task(uid, revision),
        ItemKind.Contact => Contact(uid, revision),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "One kind per item."),
    };

    public static CalendarEvent Event(string uid, int revision = 1) => new()
    {
        Uid = uid,
        Summary = $"Conformance event, revision {revision}",
        Description = "First line\nSecond line",
        Location = "Room 1",
        Start = CalendarTime.InZone(new DateTime(2025, 3, 10, 9, 0, 0), "Europe/Berlin"),
        End = CalendarTime.InZone(new DateTime(2025, 3, 10, 10, 0, 0), "Europe/Berlin"),
        Organizer = new Organizer { Email = "organizer@example.org", Name = "Olga Organizer" },
        Attendees = ValueList.Of(new Attendee { Email = "attendee@example.org", Name = "Arne Attendee", Status = ParticipationStatus.Accepted }),
        Categories = ValueList.Of("Conformance"),
        Sequence = revision,
        LastModified = Stamp(revision),
    };

    public static TaskItem Task(string uid, int revision = 1) => new()
    {
        Uid = uid,
        Summary = $"Conformance task, revision {revision}",
        Description = "Do the thing",
        Due = CalendarTime.FromDate(new DateOnly(2025, 3, 12)),
        Priority = 5,
        Sequence = revision,
        LastModified = Stamp(revision),
    };

    public static Contact Contact(string uid, int revision = 1) => new()
    {
        Uid = uid,
        FormattedName = $"Ada Lovelace {revision}",
        Name = new StructuredName { Family = "Lovelace", Given = "Ada" },
        Organization = "Analytical Engines",
        Emails = ValueList.Of(new TypedValue { Value = "ada@example.org", Types = ValueList.Of("work") }),
        Phones = ValueList.Of(new TypedValue { Value = "+44 20 7946 0000", Types = ValueList.Of("cell") }),
        Note = $"revision {revision}",
    };

    /// <summary>
    /// Bytes our mapping layer cannot read but that are recognisably an item of <paramref name="kind"/>:
    /// a DATE-TIME that does not exist (events, tasks) and a card cut off before END:VCARD (contacts).
    /// </summary>
    public static byte[] Unreadable(ItemKind kind, string uid)
    {
        const string Calendar = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Connector conformance//EN\r\n";
        var text = kind switch
        {
            ItemKind.Event => Calendar + $"BEGIN:VEVENT\r\nUID:{uid}\r\nDTSTAMP:20250101T000000Z\r\nDTSTART:20241399T250000Z\r\nSUMMARY:Broken\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
            ItemKind.Task => Calendar + $"BEGIN:VTODO\r\nUID:{uid}\r\nDTSTAMP:20250101T000000Z\r\nDUE:20241399T250000Z\r\nSUMMARY:Broken\r\nEND:VTODO\r\nEND:VCALENDAR\r\n",
            ItemKind.Contact => $"BEGIN:VCARD\r\nVERSION:3.0\r\nUID:{uid}\r\nFN:Broken\r\nN:Broken;;;;\r\n",
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "One kind per item."),
        };
        return Encoding.UTF8.GetBytes(text);
    }

    private static DateTime Stamp(int revision) => new DateTime(2025, 1, 1, 12, 0, 0, DateTimeKind.Utc).AddMinutes(revision);
}
