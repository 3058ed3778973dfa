using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using System.Xml;
using System.Xml.Linq;
using Connector.Emulator.Ews.Schema;
using Connector.Emulator.Store;
using Connector.Emulator.Store.Calendar;
using static Connector.Emulator.Ews.EwsNames;

namespace Connector.Emulator.Ews;

/// <summary>
/// Writes a stored item (or one occurrence of a recurring master) as its t: element for a
/// response shape: stored properties plus the ones Exchange computes, in schema order. In
/// FindItem / SyncFolderItems mode (<c>forFind</c>) the properties those operations cannot return
/// are left out and mailbox properties carry only the display name, as Exchange does.
/// </summary>
internal static partial class ItemXmlWriter
{
    public static XElement Write(Mailbox mailbox, StoredItem item, DateTime? occurrence, ItemShape shape, bool forFind)
    {
        var exception = occurrence is { } o ? item.Exceptions.GetValueOrDefault(o) : null;
        var props = occurrence is null ? new Dictionary<string, XElement>(item.Props, StringComparer.Ordinal) : Mailbox.Merge(item, exception);
        var computed = Computed(mailbox, item, occurrence, exception, props);
        foreach (var (name, value) in computed)
        {
            props[name] = value;
        }

        var order = EwsSchema.ElementOrderFor(item.Kind);
        var wanted = new HashSet<string>(StringComparer.Ordinal) { "ItemId" };
        switch (shape.BaseShape)
        {
            case "Default":
                wanted.UnionWith(props.Keys.Where(n => ItemFields.Has(ItemFields.Flags(item.Kind, n), FieldFlags.Default)));
                break;
            case "AllProperties":
                wanted.UnionWith(props.Keys);
                break;
            default:
                break;
        }

        var partial = new Dictionary<string, XElement>(StringComparer.Ordinal);
        var extended = new List<XElement>();
        foreach (var path in shape.Additional)
        {
            if (path.ExtendedKey is { } key)
            {
                if (item.ExtendedProperties.TryGetValue(key, out var property))
                {
                    extended.Add(new XElement(property));
                }

                continue;
            }

            if (!props.TryGetValue(path.Element, out var value))
            {
                continue;
            }

            if (path.Index is null)
            {
                wanted.Add(path.Element);
            }
            else if (!wanted.Contains(path.Element))
            {
                partial[path.Element] = MergeIndexed(partial.GetValueOrDefault(path.Element), value, path);
            }
        }

        var element = new XElement(T + item.Kind.ElementName());
        foreach (var name in order)
        {
            if (name == "ExtendedProperty")
            {
                element.Add(extended);
                continue;
            }

            XElement? value = null;
            if (wanted.Contains(name))
            {
                value = props.GetValueOrDefault(name);
            }
            else if (partial.TryGetValue(name, out var part))
            {
                value = part;
            }

            if (value is null)
            {
                continue;
            }

            var flags = ItemFields.Flags(item.Kind, name);
            if (forFind && ItemFields.Has(flags, FieldFlags.NoFind))
            {
                continue;
            }

            if (name == "Body")
            {
                value = ConvertBody(value, shape.BodyType);
            }
            else if (forFind && name == "Organizer")
            {
                value = new XElement(T + "Organizer", new XElement(T + "Mailbox", value.Element(T + "Mailbox")?.Element(T + "Name")));
            }

            element.Add(new XElement(T + name, value.Attributes(), value.Nodes()));
        }

        return element;
    }

    /// <summary>Just the id of an item, as in CreateItem / UpdateItem responses.</summary>
    public static XElement IdOnly(Mailbox mailbox, StoredItem item, DateTime? occurrence) =>
        Write(mailbox, item, occurrence, ItemShape.IdOnly, forFind: false);

    public static XElement ItemIdOf(Mailbox mailbox, StoredItem item, DateTime? occurrence)
    {
        if (occurrence is not { } start)
        {
            return new XElement(T + "ItemId", new XAttribute("Id", item.Id), new XAttribute("ChangeKey", item.ChangeKey));
        }

        var changeKey = item.Exceptions.GetValueOrDefault(start)?.ChangeKey ?? item.ChangeKey;
        return new XElement(T + "ItemId", new XAttribute("Id", OpaqueIds.Encode(IdKind.Occurrence, mailbox.Key, item.Serial, start.Ticks)), new XAttribute("ChangeKey", changeKey));
    }

    private static Dictionary<string, XElement> Computed(Mailbox mailbox, StoredItem item, DateTime? occurrence, OccurrenceException? exception, Dictionary<string, XElement> props)
    {
        var c = new Dictionary<string, XElement>(StringComparer.Ordinal)
        {
            ["ItemId"] = ItemIdOf(mailbox, item, occurrence),
            ["ParentFolderId"] = new XElement(T + "ParentFolderId", new XAttribute("Id", item.Folder.Id), new XAttribute("ChangeKey", item.Folder.ChangeKey)),
            ["DateTimeReceived"] = CalendarTimes.Element("DateTimeReceived", item.Created.UtcDateTime),
            ["Size"] = new XElement(T + "Size", Int(128 + props.Values.Sum(v => v.ToString(SaveOptions.DisableFormatting).Length))),
            ["IsSubmitted"] = Bool("IsSubmitted", false),
            ["IsDraft"] = Bool("IsDraft", false),
            ["IsFromMe"] = Bool("IsFromMe", false),
            ["IsResend"] = Bool("IsResend", false),
            ["IsUnmodified"] = Bool("IsUnmodified", false),
            ["DateTimeSent"] = CalendarTimes.Element("DateTimeSent", item.Created.UtcDateTime),
            ["DateTimeCreated"] = CalendarTimes.Element("DateTimeCreated", item.Created.UtcDateTime),
            ["HasAttachments"] = Bool("HasAttachments", false),
            ["LastModifiedName"] = new XElement(T + "LastModifiedName", mailbox.DisplayName),
            ["LastModifiedTime"] = CalendarTimes.Element("LastModifiedTime", (exception?.Modified ?? item.Modified).UtcDateTime),
            ["IsAssociated"] = Bool("IsAssociated", false),
        };
        if (!props.ContainsKey("Culture"))
        {
            c["Culture"] = new XElement(T + "Culture", "en-US");
        }

        if (!props.ContainsKey("Body"))
        {
            c["Body"] = new XElement(T + "Body", new XAttribute("BodyType", "Text"));
        }

        switch (item.Kind)
        {
            case ItemKind.CalendarItem:
                ComputeCalendar(mailbox, item, occurrence, exception, props, c);
                break;
            case ItemKind.Contact:
                if (ContactRules.CompleteName(props) is { } completeName)
                {
                    c["CompleteName"] = completeName;
                }

                c["ContactSource"] = new XElement(T + "ContactSource", "Store");
                c["HasPicture"] = Bool("HasPicture", false);
                break;
            default:
                var status = props.GetValueOrDefault("Status")?.Value ?? "NotStarted";
                c["ChangeCount"] = new XElement(T + "ChangeCount", Int(item.ChangeCount));
                c["IsAssignmentEditable"] = new XElement(T + "IsAssignmentEditable", "0");
                c["IsComplete"] = Bool("IsComplete", status == "Completed");
                c["IsRecurring"] = Bool("IsRecurring", props.ContainsKey("Recurrence"));
                c["IsTeamTask"] = Bool("IsTeamTask", false);
                c["Owner"] = new XElement(T + "Owner", mailbox.DisplayName);
                c["StatusDescription"] = new XElement(T + "StatusDescription", TaskRules.StatusDescription(status));
                break;
        }

        return c;
    }

    private static void ComputeCalendar(Mailbox mailbox, StoredItem item, DateTime? occurrence, OccurrenceException? exception, Dictionary<string, XElement> props, Dictionary<string, XElement> c)
    {
        var series = CalendarSeries.Of(item);
        var start = CalendarTimes.StartUtc(props);
        var end = CalendarTimes.EndUtc(props);
        if (occurrence is { } original && exception is null)
        {
            start = original;
            end = series!.EndOf(original);
            c["Start"] = CalendarTimes.Element("Start", start);
            c["End"] = CalendarTimes.Element("End", end);
        }

        var attendees = CalendarRules.Attendees(props);
        var organizer = item.Organizer ?? mailbox.Address;
        var isOrganizer = mailbox.IsOwner(organizer);
        var isMeeting = attendees.Count > 0 || !isOrganizer;
        c["UID"] = new XElement(T + "UID", item.Text("UID"));
        c["CalendarItemType"] = new XElement(T + "CalendarItemType", occurrence is null ? (series is null ? "Single" : "RecurringMaster") : exception is null ? "Occurrence" : "Exception");
        c["IsRecurring"] = Bool("IsRecurring", occurrence is not null);
        c["IsMeeting"] = Bool("IsMeeting", isMeeting);
        c["IsCancelled"] = Bool("IsCancelled", item.IsCancelled);
        c["MeetingRequestWasSent"] = Bool("MeetingRequestWasSent", item.MeetingRequestWasSent);
        c["IsResponseRequested"] = props.GetValueOrDefault("IsResponseRequested") ?? Bool("IsResponseRequested", true);
        c["MyResponseType"] = new XElement(T + "MyResponseType", isOrganizer ? "Organizer" : item.Text("MyResponseType") ?? "NoResponseReceived");
        c["Organizer"] = new XElement(T + "Organizer", organizer.ToMailboxElement());
        c["Duration"] = new XElement(T + "Duration", XmlConvert.ToString(end - start));
        var zone = CalendarTimes.Zone(props);
        var endZone = CalendarTimes.EndZone(props);
        c["TimeZone"] = new XElement(T + "TimeZone", zone.DisplayName);
        c["AppointmentSequenceNumber"] = new XElement(T + "AppointmentSequenceNumber", Int(item.AppointmentSequenceNumber));
        c["AppointmentState"] = new XElement(T + "AppointmentState", Int((isMeeting ? 1 : 0) | (isOrganizer ? 0 : 2) | (item.IsCancelled ? 4 : 0)));
        c["ConferenceType"] = props.GetValueOrDefault("ConferenceType") ?? new XElement(T + "ConferenceType", "0");
        c["AllowNewTimeProposal"] = props.GetValueOrDefault("AllowNewTimeProposal") ?? Bool("AllowNewTimeProposal", true);
        c["IsOnlineMeeting"] = props.GetValueOrDefault("IsOnlineMeeting") ?? Bool("IsOnlineMeeting", false);
        c["IsOrganizer"] = Bool("IsOrganizer", isOrganizer);
        c["StartTimeZone"] = StoredOrGenerated(props, "StartTimeZone", zone);
        c["EndTimeZone"] = StoredOrGenerated(props, "EndTimeZone", endZone);
        c["StartTimeZoneId"] = new XElement(T + "StartTimeZoneId", WindowsTimeZones.IdOf(zone));
        c["EndTimeZoneId"] = new XElement(T + "EndTimeZoneId", WindowsTimeZones.IdOf(endZone));
        if (props.TryGetValue("ReminderIsSet", out var reminder) && XmlConvert.ToBoolean(reminder.Value))
        {
            var minutes = props.TryGetValue("ReminderMinutesBeforeStart", out var m) ? int.Parse(m.Value, CultureInfo.InvariantCulture) : 15;
            c["ReminderDueBy"] = CalendarTimes.Element("ReminderDueBy", start.AddMinutes(-minutes));
        }

        var required = attendees.Where(a => a.List == "RequiredAttendees").Select(a => a.Address.Name ?? a.Address.EmailAddress).ToList();
        var optional = attendees.Where(a => a.List == "OptionalAttendees").Select(a => a.Address.Name ?? a.Address.EmailAddress).ToList();
        if (required.Count > 0)
        {
            c["DisplayTo"] = new XElement(T + "DisplayTo", string.Join("; ", required));
        }

        if (optional.Count > 0)
        {
            c["DisplayCc"] = new XElement(T + "DisplayCc", string.Join("; ", optional));
        }

        if (occurrence is { } originalStart)
        {
            c["OriginalStart"] = CalendarTimes.Element("OriginalStart", originalStart);
            c["RecurrenceId"] = CalendarTimes.Element("RecurrenceId", originalStart);
            return;
        }

        if (series is null)
        {
            return;
        }

        var live = series.Occurrences().Select(o => o.OriginalStartUtc).Where(s => !item.DeletedOccurrences.Contains(s));
        if (live.Select(s => (DateTime?)s).FirstOrDefault() is { } first)
        {
            c["FirstOccurrence"] = OccurrenceInfo("FirstOccurrence", mailbox, item, first, series);
        }

        if (series.Pattern.Range != RangeKind.NoEnd && live.Select(s => (DateTime?)s).LastOrDefault() is { } last)
        {
            c["LastOccurrence"] = OccurrenceInfo("LastOccurrence", mailbox, item, last, series);
        }

        if (item.Exceptions.Count > 0)
        {
            c["ModifiedOccurrences"] = new XElement(
                T + "ModifiedOccurrences",
                item.Exceptions.Keys.Select(s => OccurrenceInfo("Occurrence", mailbox, item, s, series)));
        }

        if (item.DeletedOccurrences.Count > 0)
        {
            c["DeletedOccurrences"] = new XElement(
                T + "DeletedOccurrences",
                item.DeletedOccurrences.Select(s => new XElement(T + "DeletedOccurrence", CalendarTimes.Element("Start", s))));
        }
    }

    private static XElement OccurrenceInfo(string name, Mailbox mailbox, StoredItem master, DateTime originalStart, CalendarSeries series)
    {
        var exception = master.Exceptions.GetValueOrDefault(originalStart);
        var start = exception is null ? originalStart : CalendarTimes.StartUtc(exception.Props);
        var end = exception is null ? series.EndOf(originalStart) : CalendarTimes.EndUtc(exception.Props);
        return new XElement(
            T + name,
            ItemIdOf(mailbox, master, originalStart),
            CalendarTimes.Element("Start", start),
            CalendarTimes.Element("End", end),
            CalendarTimes.Element("OriginalStart", originalStart));
    }

    private static XElement StoredOrGenerated(Dictionary<string, XElement> props, string name, TimeZoneInfo zone) =>
        props.TryGetValue(name, out var stored) && stored.HasElements
            ? stored
            : WindowsTimeZones.ToDefinition(T + name, zone);

    private static XElement MergeIndexed(XElement? partial, XElement full, PropertyPath path)
    {
        var container = partial ?? new XElement(T + path.Element);
        var entry = full.Elements(T + "Entry").FirstOrDefault(e => (string?)e.Attribute("Key") == path.Index);
        if (entry is null)
        {
            return container;
        }

        if (path.SubElement is null)
        {
            container.Add(new XElement(entry));
            return container;
        }

        var target = container.Elements(T + "Entry").FirstOrDefault(e => (string?)e.Attribute("Key") == path.Index);
        if (target is null)
        {
            target = new XElement(T + "Entry", new XAttribute("Key", path.Index!));
            container.Add(target);
        }

        if (entry.Element(T + path.SubElement) is { } sub)
        {
            target.Add(new XElement(sub));
        }

        return container;
    }

    private static XElement ConvertBody(XElement body, string requested)
    {
        var stored = (string?)body.Attribute("BodyType") ?? "Text";
        if (requested == "Best" || string.Equals(requested, stored, StringComparison.OrdinalIgnoreCase))
        {
            return body;
        }

        if (requested == "Text")
        {
            var text = WebUtility.HtmlDecode(Tags().Replace(LineBreaks().Replace(body.Value, "\n"), string.Empty)).Trim();
            return new XElement(T + "Body", new XAttribute("BodyType", "Text"), text);
        }

        var html = "<html>\r\n<head>\r\n<meta http-equiv=\"Content-Type\" content=\"text/html; charset=utf-8\">\r\n</head>\r\n<body>\r\n"
            + WebUtility.HtmlEncode(body.Value).Replace("\n", "<br>\r\n", StringComparison.Ordinal)
            + "\r\n</body>\r\n</html>\r\n";
        return new XElement(T + "Body", new XAttribute("BodyType", "HTML"), html);
    }

    private static XElement Bool(string name, bool value) => new(T + name, value ? "true" : "false");

    private static string Int(int value) => value.ToString(CultureInfo.InvariantCulture);

    [GeneratedRegex("<[^>]*>", RegexOptions.CultureInvariant)]
    private static partial Regex Tags();

    [GeneratedRegex("<br\\s*/?>|</p>|</div>", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex LineBreaks();
}
