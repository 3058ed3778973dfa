using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Connector.Domain;
using Connector.Mapping.Text;
using Connector.Mapping.TimeZones;

namespace Connector.Mapping.ICalendar;

/// <summary>What one iCalendar document held: events, tasks, per-item errors and warnings.</summary>
public sealed record CalendarParseResult(
    IReadOnlyList<CalendarEvent> Events,
    IReadOnlyList<TaskItem> Tasks,
    IReadOnlyList<MappingException> Errors,
    IReadOnlyList<string> Warnings);

/// <summary>
/// iCalendar (RFC 5545) → domain model. Components sharing a UID form one item: the master with its
/// RECURRENCE-ID overrides (S09). One bad item is reported in <see cref="CalendarParseResult.Errors"/>
/// and the others are still returned (S21).
/// </summary>
/// <remarks>
/// Normalisation (the writer relies on it for exact round trips): empty TEXT values become null;
/// line breaks in TEXT become LF; DTSTAMP is not kept (it is regenerated on write); TZIDs become IANA
/// zone ids; a DATE DTSTART without end gets the next day as exclusive end.
/// </remarks>
public static class ICalendarReader
{
    public static CalendarParseResult Read(ReadOnlySpan<byte> bytes, ContentReaderOptions? options = null, TimeZoneResolver? resolver = null)
    {
        string text;
        try
        {
            text = ContentReader.DecodeUtf8(bytes);
        }
        catch (MappingException ex)
        {
            return new CalendarParseResult([], [], [ex], []);
        }

        return Read(text, options, resolver);
    }

    public static CalendarParseResult Read(string text, ContentReaderOptions? options = null, TimeZoneResolver? resolver = null)
    {
        resolver ??= TimeZoneResolver.Default;
        var events = new List<CalendarEvent>();
        var tasks = new List<TaskItem>();
        var errors = new List<MappingException>();
        var warnings = new List<string>();

        List<Component> roots;
        try
        {
            roots = ContentReader.Read(text, options, warnings);
        }
        catch (MappingException ex)
        {
            return new CalendarParseResult([], [], [ex], []);
        }

        if (roots.Count == 0)
        {
            errors.Add(new MappingException("the input holds no BEGIN:VCALENDAR"));
        }

        Component? implicitCalendar = null;
        foreach (var root in roots)
        {
            if (root.Name == "VCALENDAR")
            {
                ReadCalendar(root, resolver, events, tasks, errors, warnings);
            }
            else if (root.Name is "VEVENT" or "VTODO" or "VTIMEZONE" or "VJOURNAL" or "VFREEBUSY")
            {
                // Some tools export bare components; read them as one calendar rather than refuse.
                if (implicitCalendar is null)
                {
                    implicitCalendar = new Component("VCALENDAR", root.Line);
                    warnings.Add($"line {root.Line}: BEGIN:{root.Name} without an enclosing VCALENDAR; read as if it had one");
                }

                implicitCalendar.Children.Add(root);
            }
            else
            {
                errors.Add(new MappingException($"expected BEGIN:VCALENDAR, found BEGIN:{root.Name}", root.Line));
            }
        }

        if (implicitCalendar is not null)
        {
            ReadCalendar(implicitCalendar, resolver, events, tasks, errors, warnings);
        }

        return new CalendarParseResult(events, tasks, errors, warnings);
    }

    private static void ReadCalendar(Component calendar, TimeZoneResolver resolver, List<CalendarEvent> events, List<TaskItem> tasks, List<MappingException> errors, List<string> warnings)
    {
        var definitions = new Dictionary<string, VTimeZoneDefinition>(StringComparer.Ordinal);
        foreach (var vtimezone in calendar.Children.Where(c => c.Name == "VTIMEZONE"))
        {
            try
            {
                if (vtimezone.FirstError() is { } broken)
                {
                    throw broken;
                }

                var definition = VTimeZoneDefinition.Parse(vtimezone);
                definitions[definition.TzId] = definition;
            }
            catch (MappingException ex)
            {
                // A broken VTIMEZONE only matters if an item uses it by a name we cannot resolve.
                warnings.Add(ex.Message);
            }
        }

        var time = new TimeContext(definitions, resolver, warnings);
        var eventGroups = new Dictionary<string, List<Component>>(StringComparer.Ordinal);
        var taskGroups = new Dictionary<string, List<Component>>(StringComparer.Ordinal);
        var order = new List<(bool IsEvent, string Uid)>();

        foreach (var child in calendar.Children)
        {
            switch (child.Name)
            {
                case "VEVENT" or "VTODO":
                    var isEvent = child.Name == "VEVENT";
                    var uid = child.Get("UID") is { } uidLine ? TextValue.Unescape(uidLine.Value.Trim()) : null;
                    if (string.IsNullOrEmpty(uid))
                    {
                        uid = DeriveUid(child);
                        warnings.Add($"{child.Name} at line {child.Line} has no UID; derived {uid} from its start and summary");
                    }

                    var groups = isEvent ? eventGroups : taskGroups;
                    if (!groups.TryGetValue(uid, out var group))
                    {
                        groups[uid] = group = [];
                        order.Add((isEvent, uid));
                    }

                    group.Add(child);
                    break;
                case "VTIMEZONE":
                    break;
                default:
                    warnings.Add($"{child.Name} at line {child.Line} is not synchronised and was skipped");
                    break;
            }
        }

        foreach (var (isEvent, uid) in order)
        {
            var item = $"{(isEvent ? "VEVENT" : "VTODO")} UID={uid}";
            var components = isEvent ? eventGroups[uid] : taskGroups[uid];
            warnings.AddRange(components.SelectMany(c => c.AllWarnings()).Select(w => $"{item}: {w}"));
            try
            {
                if (components.Select(c => c.FirstError()).FirstOrDefault(e => e is not null) is { } broken)
                {
                    throw broken;
                }

                if (isEvent)
                {
                    events.Add(ReadEventGroup(eventGroups[uid], uid, time, warnings));
                }
                else
                {
                    tasks.Add(ReadTaskGroup(taskGroups[uid], uid, time));
                }
            }
            catch (MappingException ex)
            {
                errors.Add(ex.WithItem(item));
            }
        }
    }

    private static CalendarEvent ReadEventGroup(List<Component> group, string uid, TimeContext time, List<string> warnings)
    {
        var masters = group.Where(c => c.Get("RECURRENCE-ID") is null).ToList();
        if (masters.Count > 1)
        {
            // Seen in concatenated exports: several versions of one event. Keep the newest version
            // (highest SEQUENCE, then latest DTSTAMP) and say so; the others are older copies.
            var newest = masters
                .OrderByDescending(c => int.TryParse(c.Get("SEQUENCE")?.Value.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 0)
                .ThenByDescending(c => c.Get("DTSTAMP")?.Value.Trim() ?? string.Empty, StringComparer.Ordinal)
                .First();
            warnings.Add($"VEVENT UID={uid}: {masters.Count} versions without RECURRENCE-ID; kept the newest (line {newest.Line})");
            masters = [newest];
        }

        var overrides = group.Where(c => c.Get("RECURRENCE-ID") is not null).Select(c => EventComponentReader.Read(c, uid, time)).ToList();
        if (masters.Count == 0)
        {
            // Only occurrences (an invitation to single occurrences): the first stands for the item,
            // the others ride along as its overrides so that nothing is dropped.
            return overrides[0] with { Overrides = overrides.Skip(1).ToValueList() };
        }

        return EventComponentReader.Read(masters[0], uid, time) with { Overrides = overrides };
    }

    private static TaskItem ReadTaskGroup(List<Component> group, string uid, TimeContext time)
    {
        var master = group.FirstOrDefault(c => c.Get("RECURRENCE-ID") is null) ?? group[0];
        var task = TaskComponentReader.Read(master, uid, time);

        // Overridden occurrences of recurring tasks are rare and neither Exchange nor To Do can hold
        // them; keep them verbatim so they survive.
        var others = group.Where(c => !ReferenceEquals(c, master)).Select(c => c.ToRaw()).ToList();
        return others.Count == 0 ? task : task with { ExtraComponents = task.ExtraComponents.Concat(others).ToValueList() };
    }

    private static string DeriveUid(Component c)
    {
        var key = string.Join('|', c.Name, c.Get("DTSTART")?.Value, c.Get("SUMMARY")?.Value, c.Get("CREATED")?.Value);
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(key));
        return "derived-" + Convert.ToHexStringLower(hash.AsSpan(0, 16));
    }
}
