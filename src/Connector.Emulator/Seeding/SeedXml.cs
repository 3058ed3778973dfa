using System.Globalization;
using System.Xml.Linq;
using static Connector.Emulator.Ews.EwsNames;

namespace Connector.Emulator.Seeding;

/// <summary>Small builders for the t: item XML the seeders create (the same XML a CreateItem carries).</summary>
internal static class SeedXml
{
    public static string Local(DateTime local) => local.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture);

    public static string Utc(DateTime utc) => utc.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    public static string Date(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static XElement Event(string subject, DateTime localStart, DateTime localEnd, string zone, params object?[] more)
    {
        // Schema order: ItemType fields first (Subject, Sensitivity, Body, Categories, Importance,
        // Reminder*), then CalendarItemType fields (UID, Start, End, IsAllDayEvent, …).
        var item = new XElement(T + "CalendarItem", new XElement(T + "Subject", subject));
        var itemLevel = more.OfType<XElement>().Where(e => e.Name.LocalName is "Sensitivity" or "Body" or "Categories" or "Importance" or "ReminderIsSet" or "ReminderMinutesBeforeStart").ToList();
        var calendarLevel = more.OfType<XElement>().Except(itemLevel).ToList();
        item.Add(Ordered(itemLevel, "Sensitivity", "Body", "Categories", "Importance", "ReminderIsSet", "ReminderMinutesBeforeStart"));
        item.Add(calendarLevel.Where(e => e.Name.LocalName == "UID"));
        item.Add(new XElement(T + "Start", Local(localStart)), new XElement(T + "End", Local(localEnd)));
        item.Add(Ordered(
            calendarLevel.Where(e => e.Name.LocalName != "UID").ToList(),
            "IsAllDayEvent", "LegacyFreeBusyStatus", "Location", "RequiredAttendees", "OptionalAttendees", "Resources", "Recurrence"));
        item.Add(new XElement(T + "StartTimeZone", new XAttribute("Id", zone)), new XElement(T + "EndTimeZone", new XAttribute("Id", zone)));
        return item;
    }

    public static XElement Attendees(string list, params string[] emails) =>
        new(T + list, emails.Select(e => new XElement(T + "Attendee", new XElement(T + "Mailbox", new XElement(T + "EmailAddress", e)))));

    public static XElement Body(string type, string text) => new(T + "Body", new XAttribute("BodyType", type), text);

    public static XElement Categories(params string[] names) => new(T + "Categories", names.Select(n => new XElement(T + "String", n)));

    public static XElement Weekly(string days, DateOnly start, int? count = null, DateOnly? end = null) =>
        new(T + "Recurrence", new XElement(T + "WeeklyRecurrence", new XElement(T + "Interval", "1"), new XElement(T + "DaysOfWeek", days)), Range(start, count, end));

    public static XElement Range(DateOnly start, int? count, DateOnly? end) =>
        count is { } n ? new XElement(T + "NumberedRecurrence", new XElement(T + "StartDate", Date(start)), new XElement(T + "NumberOfOccurrences", n.ToString(CultureInfo.InvariantCulture)))
        : end is { } e ? new XElement(T + "EndDateRecurrence", new XElement(T + "StartDate", Date(start)), new XElement(T + "EndDate", Date(e)))
        : new XElement(T + "NoEndRecurrence", new XElement(T + "StartDate", Date(start)));

    public static XElement Contact(
        string given,
        string surname,
        string? company,
        string? jobTitle,
        IReadOnlyList<string> emails,
        IReadOnlyList<(string Key, string Number)> phones,
        IReadOnlyList<(string Key, string Street, string City, string? State, string Country, string Postal)> addresses,
        DateOnly? birthday = null,
        string? notes = null,
        params string[] categories)
    {
        var contact = new XElement(T + "Contact");
        if (notes is not null)
        {
            contact.Add(Body("Text", notes));
        }

        if (categories.Length > 0)
        {
            contact.Add(Categories(categories));
        }

        contact.Add(new XElement(T + "GivenName", given));
        if (company is not null)
        {
            contact.Add(new XElement(T + "CompanyName", company));
        }

        if (emails.Count > 0)
        {
            contact.Add(new XElement(T + "EmailAddresses", emails.Select((e, i) => new XElement(T + "Entry", new XAttribute("Key", $"EmailAddress{i + 1}"), e))));
        }

        if (addresses.Count > 0)
        {
            contact.Add(new XElement(T + "PhysicalAddresses", addresses.Select(a => new XElement(
                T + "Entry",
                new XAttribute("Key", a.Key),
                new XElement(T + "Street", a.Street),
                new XElement(T + "City", a.City),
                a.State is null ? null : new XElement(T + "State", a.State),
                new XElement(T + "CountryOrRegion", a.Country),
                new XElement(T + "PostalCode", a.Postal)))));
        }

        if (phones.Count > 0)
        {
            contact.Add(new XElement(T + "PhoneNumbers", phones.Select(p => new XElement(T + "Entry", new XAttribute("Key", p.Key), p.Number))));
        }

        if (birthday is { } b)
        {
            contact.Add(new XElement(T + "Birthday", Utc(b.ToDateTime(new TimeOnly(11, 59), DateTimeKind.Utc))));
        }

        if (jobTitle is not null)
        {
            contact.Add(new XElement(T + "JobTitle", jobTitle));
        }

        contact.Add(new XElement(T + "Surname", surname));
        return contact;
    }

    public static XElement Task(string subject, string status, DateTime? start = null, DateTime? due = null, int? percent = null, string importance = "Normal", XElement? recurrence = null, string? body = null)
    {
        var task = new XElement(T + "Task", new XElement(T + "Subject", subject));
        if (body is not null)
        {
            task.Add(Body("Text", body));
        }

        task.Add(new XElement(T + "Importance", importance));
        if (due is { } d)
        {
            task.Add(new XElement(T + "DueDate", Utc(d)));
        }

        if (percent is { } p)
        {
            task.Add(new XElement(T + "PercentComplete", p.ToString(CultureInfo.InvariantCulture)));
        }

        if (recurrence is not null)
        {
            task.Add(recurrence);
        }

        if (start is { } s)
        {
            task.Add(new XElement(T + "StartDate", Utc(s)));
        }

        task.Add(new XElement(T + "Status", status));
        return task;
    }

    private static IEnumerable<XElement> Ordered(List<XElement> elements, params string[] order) =>
        elements.OrderBy(e => Array.IndexOf(order, e.Name.LocalName));
}
