using System.Xml.Linq;
using Connector.Emulator.Store.Calendar;
using static Connector.Emulator.Ews.EwsNames;

namespace Connector.Emulator.Store;

/// <summary>An item, or one occurrence of a recurring master (by its original start, UTC).</summary>
internal readonly record struct ItemTarget(StoredItem Item, DateTime? Occurrence);

/// <summary>Options of a create that EWS does not carry (seeding: fixed ids, foreign organizer).</summary>
internal sealed record CreateOptions(string? ItemId = null, string? ChangeKey = null, MailboxAddress? Organizer = null, string? MyResponseType = null);

internal sealed partial class Mailbox
{
    /// <summary>CreateItem for one item element (t:CalendarItem, t:Contact, t:Task).</summary>
    public StoredItem CreateItem(MailFolder folder, XElement itemElement, RequestTimeContext time, string? sendInvitations, CreateOptions? options = null)
    {
        if (!ItemKinds.TryParseElement(itemElement.Name.LocalName, out var kind))
        {
            throw new EwsException("ErrorInvalidItemForOperationCreateItem", $"The emulator does not create {itemElement.Name.LocalName} items.");
        }

        if (!folder.Accepts(kind))
        {
            throw kind switch
            {
                ItemKind.CalendarItem => new EwsException("ErrorCannotCreateCalendarItemInNonCalendarFolder", "Calendar items can only be created in calendar folders."),
                ItemKind.Contact => new EwsException("ErrorCannotCreateContactInNonContactFolder", "Contacts can only be created in contact folders."),
                _ => new EwsException("ErrorCannotCreateTaskInNonTaskFolder", "Tasks can only be created in task folders."),
            };
        }

        if (kind == ItemKind.CalendarItem && sendInvitations is null)
        {
            throw new EwsException("ErrorSendMeetingInvitationsRequired", "The SendMeetingInvitations attribute is required for calendar items.");
        }

        var props = new Dictionary<string, XElement>(StringComparer.Ordinal);
        var extended = new Dictionary<string, XElement>(StringComparer.Ordinal);
        foreach (var child in itemElement.Elements())
        {
            var name = child.Name.LocalName;
            if (name == "ExtendedProperty")
            {
                extended[PropertyPath.ExtendedKeyOf(child.Element(T + "ExtendedFieldURI")!)] = new XElement(child);
                continue;
            }

            var flags = ItemFields.Flags(kind, name);
            if (ItemFields.Has(flags, FieldFlags.ReadOnly) || ItemFields.Has(flags, FieldFlags.Unsupported))
            {
                throw EwsException.InvalidPropertySet(name);
            }

            props[name] = new XElement(child);
        }

        props.TryAdd("ItemClass", new XElement(T + "ItemClass", kind.DefaultItemClass()));
        var now = Store.Now;
        switch (kind)
        {
            case ItemKind.CalendarItem:
                CalendarRules.ApplyCreateDefaults(props, now);
                CalendarRules.Normalize(props, time, isException: false, DisplayNameOf);
                break;
            case ItemKind.Contact:
                props.TryAdd("Sensitivity", new XElement(T + "Sensitivity", "Normal"));
                props.TryAdd("Importance", new XElement(T + "Importance", "Normal"));
                ContactRules.Normalize(props);
                break;
            default:
                TaskRules.ApplyCreateDefaults(props);
                TaskRules.NormalizeDates(props, time);
                TaskRules.Normalize(props, new HashSet<string>(props.Keys, StringComparer.Ordinal), now);
                break;
        }

        var item = Insert(folder, kind, props, extended, options?.ItemId, options?.ChangeKey);
        if (kind == ItemKind.CalendarItem)
        {
            item.Organizer = options?.Organizer ?? Address;
            if (options?.MyResponseType is { } response)
            {
                item.Props["MyResponseType"] = new XElement(T + "MyResponseType", response);
            }

            CalendarRules.Schedule(this, item, [], CalendarRules.Attendees(item.Props), sendInvitations, "CreateItem", null);
        }

        return item;
    }

    /// <summary>Adds a fully formed item to a folder and logs its creation.</summary>
    public StoredItem Insert(MailFolder folder, ItemKind kind, Dictionary<string, XElement> props, Dictionary<string, XElement> extended, string? fixedId = null, string? fixedChangeKey = null)
    {
        var serial = NextSerial();
        var id = fixedId ?? OpaqueIds.Encode(IdKind.Item, Key, serial);
        var (changeKey, number) = NextChangeKey(kind.ChangeKeyMarker());
        if (fixedChangeKey is not null)
        {
            changeKey = fixedChangeKey;
        }

        var item = new StoredItem(serial, kind, folder, id)
        {
            ChangeKey = changeKey,
            ChangeNumber = number,
            Created = Store.Now,
            Modified = Store.Now,
        };
        foreach (var (name, value) in props)
        {
            item.Props[name] = value;
            item.FieldChangeNumbers[name] = number;
        }

        foreach (var (key, value) in extended)
        {
            item.ExtendedProperties[key] = value;
        }

        item.KnownChangeKeys[changeKey] = number;
        if (fixedId is not null)
        {
            Store.ItemAliases[fixedId] = (this, serial);
        }

        Items[serial] = item;
        folder.Items[serial] = item;
        folder.Record(serial, ChangeKind.Create);
        return item;
    }

    /// <summary>UpdateItem for one ItemChange: change-key check, updates, Exchange's rules, scheduling.</summary>
    public StoredItem UpdateItem(ItemTarget target, string? givenChangeKey, string conflictResolution, IReadOnlyList<PropertyUpdate> updates, RequestTimeContext time, string? sendMode)
    {
        var item = target.Item;
        if (item.Kind == ItemKind.CalendarItem && sendMode is null)
        {
            throw new EwsException("ErrorSendMeetingInvitationsOrCancellationsRequired", "The SendMeetingInvitationsOrCancellations attribute is required for calendar items.");
        }

        if (target.Occurrence is { } occurrence)
        {
            return UpdateOccurrence(item, occurrence, givenChangeKey, conflictResolution, updates, time, sendMode);
        }

        CheckChangeKey([item.ChangeKey], givenChangeKey, conflictResolution, item.KnownChangeKeys, Requested(updates), item.FieldChangeNumbers);
        var working = item.Props.ToDictionary(kv => kv.Key, kv => new XElement(kv.Value), StringComparer.Ordinal);
        var extended = item.ExtendedProperties.ToDictionary(kv => kv.Key, kv => new XElement(kv.Value), StringComparer.Ordinal);
        var changed = new HashSet<string>(StringComparer.Ordinal);
        foreach (var update in updates)
        {
            ItemUpdateApplier.Apply(item.Kind, working, extended, update, changed);
        }
        var now = Store.Now;
        var before = item.Kind == ItemKind.CalendarItem ? CalendarRules.Attendees(item.Props) : [];
        Dictionary<string, XElement>? nextOccurrence = null;
        switch (item.Kind)
        {
            case ItemKind.CalendarItem:
                CalendarRules.Normalize(working, time, isException: false, DisplayNameOf);
                if (changed.Overlaps(["Recurrence", "Start", "End", "StartTimeZone", "EndTimeZone", "IsAllDayEvent", "MeetingTimeZone"]))
                {
                    // Outlook/Exchange drop a series' exceptions when its pattern or times change.
                    item.Exceptions.Clear();
                    item.DeletedOccurrences.Clear();
                }

                break;
            case ItemKind.Contact:
                ContactRules.Normalize(working);
                break;
            default:
                var wasCompleted = TaskRules.IsCompleted(item.Props);
                TaskRules.NormalizeDates(working, time);
                TaskRules.Normalize(working, changed, now);
                if (!wasCompleted && TaskRules.IsCompleted(working))
                {
                    nextOccurrence = TaskRules.Advance(working, now);
                }

                break;
        }

        if (nextOccurrence is not null)
        {
            // Completing a recurring task: a completed, non-recurring copy stays behind and the
            // series itself moves on to its next occurrence.
            var copy = working.Where(kv => kv.Key != "Recurrence").ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal);
            Insert(item.Folder, ItemKind.Task, copy, extended.ToDictionary(kv => kv.Key, kv => new XElement(kv.Value), StringComparer.Ordinal));
            working = nextOccurrence;
        }

        Commit(item, working, extended, changed, now);
        if (item.Kind == ItemKind.CalendarItem)
        {
            CalendarRules.Schedule(this, item, before, CalendarRules.Attendees(item.Props), sendMode, "UpdateItem", null);
        }

        return item;
    }

    /// <summary>DeleteItem for one id: an occurrence becomes a deleted occurrence; an item is deleted or moved.</summary>
    public void DeleteItem(ItemTarget target, string deleteType, string? sendCancellations, string? affectedTaskOccurrences)
    {
        var item = target.Item;
        if (item.Kind == ItemKind.CalendarItem && sendCancellations is null)
        {
            throw new EwsException("ErrorSendMeetingCancellationsRequired", "The SendMeetingCancellations attribute is required for calendar items.");
        }

        if (item.Kind == ItemKind.Task && item.Props.ContainsKey("Recurrence") && affectedTaskOccurrences is null)
        {
            throw new EwsException("ErrorAffectedTaskOccurrencesRequired", "The AffectedTaskOccurrences attribute is required for recurring tasks.");
        }

        var attendees = item.Kind == ItemKind.CalendarItem ? CalendarRules.Attendees(item.Props) : [];
        if (target.Occurrence is { } occurrence)
        {
            var exception = item.Exceptions.GetValueOrDefault(occurrence);
            var occurrenceAttendees = exception is not null ? CalendarRules.Attendees(Merge(item, exception)) : attendees;
            item.Exceptions.Remove(occurrence);
            item.DeletedOccurrences.Add(occurrence);
            CalendarRules.Schedule(this, item, occurrenceAttendees, [], sendCancellations, "DeleteItem", occurrence);
            Touch(item, Store.Now);
            return;
        }

        if (item.Kind == ItemKind.CalendarItem && !item.IsCancelled)
        {
            CalendarRules.Schedule(this, item, attendees, [], sendCancellations, "DeleteItem", null);
        }

        var deletedItems = FolderByDistinguishedName("deleteditems")!;
        var dumpster = FolderByDistinguishedName("recoverableitemsdeletions")!;
        switch (deleteType)
        {
            case "HardDelete":
                Remove(item);
                break;
            case "MoveToDeletedItems" when item.Folder != deletedItems:
                Move(item, deletedItems);
                break;
            default:
                Move(item, dumpster);
                break;
        }
    }

    /// <summary>Resolves an occurrence by 1-based InstanceIndex (deleted occurrences count).</summary>
    public static DateTime OccurrenceAt(StoredItem master, int index)
    {
        var series = CalendarSeries.Of(master)
            ?? throw new EwsException("ErrorCalendarOccurrenceIndexIsOutOfRecurrenceRange", "The occurrence index is out of recurrence range.");
        var start = series.At(index)
            ?? throw new EwsException("ErrorCalendarOccurrenceIndexIsOutOfRecurrenceRange", "The occurrence index is out of recurrence range.");
        if (master.DeletedOccurrences.Contains(start))
        {
            throw new EwsException("ErrorCalendarOccurrenceIsDeletedFromRecurrence", "The occurrence was deleted from the recurrence.");
        }

        return start;
    }

    /// <summary>Checks that an occurrence id still names a live occurrence of its master.</summary>
    public static void CheckOccurrence(StoredItem master, DateTime originalStart)
    {
        if (master.DeletedOccurrences.Contains(originalStart))
        {
            throw new EwsException("ErrorCalendarOccurrenceIsDeletedFromRecurrence", "The occurrence was deleted from the recurrence.");
        }

        if (CalendarSeries.Of(master) is not { } series || !series.Contains(originalStart))
        {
            throw EwsException.ItemNotFound();
        }
    }

    /// <summary>The properties of an occurrence: the master's, overlaid with the exception's overrides.</summary>
    public static Dictionary<string, XElement> Merge(StoredItem master, OccurrenceException? exception)
    {
        var merged = master.Props.Where(kv => kv.Key is not ("Recurrence" or "UID"))
            .ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal);
        if (exception is not null)
        {
            foreach (var (name, value) in exception.Props)
            {
                merged[name] = value;
            }
        }

        return merged;
    }

    public string? DisplayNameOf(string email) => Store.Find(email)?.DisplayName;

    private StoredItem UpdateOccurrence(StoredItem master, DateTime occurrence, string? givenChangeKey, string conflictResolution, IReadOnlyList<PropertyUpdate> updates, RequestTimeContext time, string? sendMode)
    {
        var series = CalendarSeries.Of(master)!;
        var exception = master.Exceptions.GetValueOrDefault(occurrence);
        string[] current = exception is null ? [master.ChangeKey] : [exception.ChangeKey, master.ChangeKey];
        CheckChangeKey(current, givenChangeKey, conflictResolution, new Dictionary<string, long>(StringComparer.Ordinal), Requested(updates), new Dictionary<string, long>(StringComparer.Ordinal));
        var working = Merge(master, exception).ToDictionary(kv => kv.Key, kv => new XElement(kv.Value), StringComparer.Ordinal);
        if (exception is null)
        {
            working["Start"] = CalendarTimes.Element("Start", occurrence);
            working["End"] = CalendarTimes.Element("End", series.EndOf(occurrence));
        }

        var extended = new Dictionary<string, XElement>(StringComparer.Ordinal);
        var changed = new HashSet<string>(StringComparer.Ordinal);
        foreach (var update in updates)
        {
            if (update.Path.Element == "Recurrence")
            {
                throw new EwsException("ErrorCalendarInvalidPropertyState", "The recurrence of an occurrence cannot be changed.");
            }

            ItemUpdateApplier.Apply(ItemKind.CalendarItem, working, extended, update, changed);
        }

        var before = CalendarRules.Attendees(Merge(master, exception));
        CalendarRules.Normalize(working, time, isException: true, DisplayNameOf);
        CheckWithinNeighbours(master, series, occurrence, CalendarTimes.StartUtc(working));
        exception ??= new OccurrenceException(occurrence);
        var masterProps = Merge(master, null);
        exception.Props.Clear();
        foreach (var (name, value) in working)
        {
            if (!masterProps.TryGetValue(name, out var inherited) || !XNode.DeepEquals(inherited, value))
            {
                exception.Props[name] = value;
            }
        }

        exception.Props["Start"] = working["Start"];
        exception.Props["End"] = working["End"];
        var (changeKey, number) = NextChangeKey(ItemKind.CalendarItem.ChangeKeyMarker());
        exception.ChangeKey = changeKey;
        exception.ChangeNumber = number;
        exception.Modified = Store.Now;
        master.Exceptions[occurrence] = exception;
        Touch(master, Store.Now);
        CalendarRules.Schedule(this, master, before, CalendarRules.Attendees(working), sendMode, "UpdateItem", occurrence);
        return master;
    }

    /// <summary>
    /// Exchange (as Outlook) refuses to move an occurrence onto or past the day of the occurrence before or after it
    /// (deleted occurrences do not count; a modified neighbour counts where it is now): ErrorOccurrenceCrossingBoundary.
    /// </summary>
    private static void CheckWithinNeighbours(StoredItem master, CalendarSeries series, DateTime occurrence, DateTime newStartUtc)
    {
        DateTime? previous = null;
        DateTime? next = null;
        var passed = false;
        foreach (var (_, original) in series.Occurrences())
        {
            if (master.DeletedOccurrences.Contains(original))
            {
                continue;
            }

            if (original == occurrence)
            {
                passed = true;
                continue;
            }

            var start = master.Exceptions.TryGetValue(original, out var other) ? CalendarTimes.StartUtc(other.Props) : original;
            if (!passed)
            {
                previous = start;
            }
            else
            {
                next = start;
                break;
            }
        }

        DateOnly Day(DateTime utc) => DateOnly.FromDateTime(WindowsTimeZones.ToLocal(utc, series.Zone));
        var day = Day(newStartUtc);
        if ((previous is { } p && day <= Day(p)) || (next is { } n && day >= Day(n)))
        {
            throw new EwsException("ErrorOccurrenceCrossingBoundary", "The modified occurrence is crossing or overlapping adjacent occurrence.");
        }
    }

    private static HashSet<string> Requested(IReadOnlyList<PropertyUpdate> updates) =>
        updates.Select(u => u.Path.ExtendedKey is { } key ? "ExtendedProperty:" + key : u.Path.Element).ToHashSet(StringComparer.Ordinal);

    private static void CheckChangeKey(string[] current, string? given, string conflictResolution, Dictionary<string, long> known, HashSet<string> changed, Dictionary<string, long> fieldNumbers)
    {
        if (given is null)
        {
            if (conflictResolution != "AlwaysOverwrite")
            {
                throw new EwsException("ErrorChangeKeyRequiredForWriteOperations", "When making a request that requires a change key, the ChangeKey attribute must be supplied.");
            }

            return;
        }

        if (current.Contains(given, StringComparer.Ordinal) || conflictResolution == "AlwaysOverwrite")
        {
            return;
        }

        if (conflictResolution == "AutoResolve" && known.TryGetValue(given, out var seen)
            && !changed.Any(field => fieldNumbers.TryGetValue(field, out var number) && number > seen))
        {
            return;
        }

        throw new EwsException("ErrorIrresolvableConflict", "The send or update operation could not be performed because the change key passed in the request does not match the current change key for the item.");
    }

    private void Commit(StoredItem item, Dictionary<string, XElement> props, Dictionary<string, XElement> extended, HashSet<string> changed, DateTimeOffset now)
    {
        var number = Touch(item, now);
        foreach (var name in item.Props.Keys.Union(props.Keys).ToList())
        {
            var had = item.Props.TryGetValue(name, out var old);
            var has = props.TryGetValue(name, out var value);
            if (had != has || (had && !XNode.DeepEquals(old, value)) || changed.Contains(name))
            {
                item.FieldChangeNumbers[name] = number;
            }
        }

        item.Props.Clear();
        foreach (var (name, value) in props)
        {
            item.Props[name] = value;
        }

        foreach (var name in changed.Where(c => c.StartsWith("ExtendedProperty:", StringComparison.Ordinal)))
        {
            item.FieldChangeNumbers[name] = number;
        }

        item.ExtendedProperties.Clear();
        foreach (var (key, value) in extended)
        {
            item.ExtendedProperties[key] = value;
        }
    }

    /// <summary>A new change key and modification time, logged as an Update in the item's folder.</summary>
    private long Touch(StoredItem item, DateTimeOffset now)
    {
        var (changeKey, number) = NextChangeKey(item.Kind.ChangeKeyMarker());
        item.ChangeKey = changeKey;
        item.ChangeNumber = number;
        item.KnownChangeKeys[changeKey] = number;
        item.Modified = now;
        item.ChangeCount++;
        item.Folder.Record(item.Serial, ChangeKind.Update);
        return number;
    }

    private void Remove(StoredItem item)
    {
        Items.Remove(item.Serial);
        item.Folder.Items.Remove(item.Serial);
        item.Folder.Record(item.Serial, ChangeKind.Delete);
        Tombstones[item.Serial] = (item.Id, item.ChangeKey);
    }

    private void Move(StoredItem item, MailFolder target)
    {
        Remove(item);
        var moved = Insert(target, item.Kind, item.Props, item.ExtendedProperties);
        moved.Organizer = item.Organizer;
        moved.MeetingRequestWasSent = item.MeetingRequestWasSent;
        moved.IsCancelled = item.IsCancelled;
        moved.AppointmentSequenceNumber = item.AppointmentSequenceNumber;
        foreach (var (start, exception) in item.Exceptions)
        {
            moved.Exceptions[start] = exception;
        }

        moved.DeletedOccurrences.UnionWith(item.DeletedOccurrences);
    }
}
