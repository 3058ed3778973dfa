using System.Collections.Frozen;

namespace Connector.Stores.Ews.Mapping;

/// <summary>
/// One EWS item field: its element name, its FieldURI (for GetItem shapes and UpdateItem
/// set/delete changes) and whether Exchange refuses it on CreateItem/UpdateItem.
/// </summary>
public sealed record EwsField(string Element, string FieldUri, bool ReadOnly = false);

/// <summary>
/// The fields the mapping reads and writes, declared once per item type in the order types.xsd
/// requires (ItemType's sequence first, then the derived type's). The writers emit elements in this
/// order whatever order the code produces them in, and a test checks the order against types.xsd.
/// </summary>
public static class EwsFields
{
    public const string TypesNamespace = "http://schemas.microsoft.com/exchange/services/2006/types";
    public const string MessagesNamespace = "http://schemas.microsoft.com/exchange/services/2006/messages";
    public const string SoapNamespace = "http://schemas.xmlsoap.org/soap/envelope/";

    private static readonly EwsField[] ItemBase =
    [
        new("ItemId", "item:ItemId", ReadOnly: true),
        new("Subject", "item:Subject"),
        new("Sensitivity", "item:Sensitivity"),
        new("Body", "item:Body"),
        new("Categories", "item:Categories"),
        new("Importance", "item:Importance"),
        new("DateTimeCreated", "item:DateTimeCreated", ReadOnly: true),
        new("ReminderDueBy", "item:ReminderDueBy"),
        new("ReminderIsSet", "item:ReminderIsSet"),
        new("ReminderMinutesBeforeStart", "item:ReminderMinutesBeforeStart"),
        new("ExtendedProperty", "item:ExtendedProperty"),
        new("LastModifiedTime", "item:LastModifiedTime", ReadOnly: true),
    ];

    /// <summary>CalendarItemType fields, schema order.</summary>
    public static IReadOnlyList<EwsField> CalendarItem { get; } =
    [
        .. ItemBase.Where(f => f.Element is not "Importance" and not "ReminderDueBy"),
        new("UID", "calendar:UID"),
        new("RecurrenceId", "calendar:RecurrenceId", ReadOnly: true),
        new("Start", "calendar:Start"),
        new("End", "calendar:End"),
        new("OriginalStart", "calendar:OriginalStart", ReadOnly: true),
        new("IsAllDayEvent", "calendar:IsAllDayEvent"),
        new("LegacyFreeBusyStatus", "calendar:LegacyFreeBusyStatus"),
        new("Location", "calendar:Location"),
        new("IsCancelled", "calendar:IsCancelled", ReadOnly: true),
        new("CalendarItemType", "calendar:CalendarItemType", ReadOnly: true),
        new("Organizer", "calendar:Organizer", ReadOnly: true),
        new("RequiredAttendees", "calendar:RequiredAttendees"),
        new("OptionalAttendees", "calendar:OptionalAttendees"),
        new("Resources", "calendar:Resources"),
        new("AppointmentSequenceNumber", "calendar:AppointmentSequenceNumber", ReadOnly: true),
        new("Recurrence", "calendar:Recurrence"),
        new("ModifiedOccurrences", "calendar:ModifiedOccurrences", ReadOnly: true),
        new("DeletedOccurrences", "calendar:DeletedOccurrences", ReadOnly: true),
        new("StartTimeZone", "calendar:StartTimeZone"),
        new("EndTimeZone", "calendar:EndTimeZone"),
        new("JoinOnlineMeetingUrl", "calendar:JoinOnlineMeetingUrl", ReadOnly: true),
    ];

    /// <summary>ContactItemType fields, schema order.</summary>
    public static IReadOnlyList<EwsField> Contact { get; } =
    [
        .. ItemBase.Where(f => f.Element is not "Importance" and not "ReminderDueBy" and not "ReminderIsSet" and not "ReminderMinutesBeforeStart"),
        new("FileAs", "contacts:FileAs"),
        new("DisplayName", "contacts:DisplayName"),
        new("GivenName", "contacts:GivenName"),
        new("Initials", "contacts:Initials"),
        new("MiddleName", "contacts:MiddleName"),
        new("Nickname", "contacts:Nickname"),
        new("CompleteName", "contacts:CompleteName", ReadOnly: true),
        new("CompanyName", "contacts:CompanyName"),
        new("EmailAddresses", "contacts:EmailAddress"),
        new("PhysicalAddresses", "contacts:PhysicalAddress"),
        new("PhoneNumbers", "contacts:PhoneNumber"),
        new("Birthday", "contacts:Birthday"),
        new("BusinessHomePage", "contacts:BusinessHomePage"),
        new("Department", "contacts:Department"),
        new("Generation", "contacts:Generation"),
        new("JobTitle", "contacts:JobTitle"),
        new("Profession", "contacts:Profession"),
        new("Surname", "contacts:Surname"),
        new("WeddingAnniversary", "contacts:WeddingAnniversary"),
    ];

    /// <summary>TaskType fields, schema order.</summary>
    public static IReadOnlyList<EwsField> Task { get; } =
    [
        .. ItemBase.Where(f => f.Element is not "ReminderMinutesBeforeStart"),
        new("CompleteDate", "task:CompleteDate"),
        new("DueDate", "task:DueDate"),
        new("PercentComplete", "task:PercentComplete"),
        new("Recurrence", "task:Recurrence"),
        new("StartDate", "task:StartDate"),
        new("Status", "task:Status"),
    ];

    internal static FrozenDictionary<string, int> OrderOf(IReadOnlyList<EwsField> fields) =>
        fields.Select((f, i) => (f.Element, i)).ToFrozenDictionary(p => p.Element, p => p.i, StringComparer.Ordinal);
}
