using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Connector.Emulator.Graph.Schema;

namespace Connector.Emulator.Graph;

/// <summary>One event as a calendar view shows it: a single instance, an occurrence or an exception of a series.</summary>
internal readonly record struct EventInstance(GraphItem Master, string Id, string Type, DateTime? OriginalStartUtc, DateTime StartUtc, DateTime EndUtc, GraphException? Exception)
{
    /// <summary>What a delta snapshot compares: an occurrence changes with its master, an exception with either.</summary>
    public string Version => Exception is null ? Master.ChangeKey : Master.ChangeKey + "/" + Exception.ChangeKey;
}

/// <summary>How a client asked to see items: Prefer outlook.timezone / outlook.body-content-type, $select, $expand (name → options in parentheses).</summary>
internal sealed record GraphView(string? TimeZone, string? BodyType, IReadOnlySet<string>? Select, IReadOnlyDictionary<string, string>? Expand = null)
{
    public bool Expands(string name) => Expand?.ContainsKey(name) == true;
}

/// <summary>
/// Events as Exchange Online keeps them: normalisation of a create or update (defaults, time
/// zones, attendees, body, location, recurrence), series expansion into occurrences and
/// exceptions, and the Graph JSON written out.
/// </summary>
internal static class GraphEvents
{
    /// <summary>Read-only or computed: accepted in a body but not stored (Graph ignores them on write).</summary>
    private static readonly HashSet<string> ServerManaged = new(StringComparer.Ordinal)
    {
        "id", "createdDateTime", "lastModifiedDateTime", "changeKey", "iCalUId", "type", "seriesMasterId", "originalStart",
        "webLink", "isOrganizer", "bodyPreview", "hasAttachments", "cancelledOccurrences", "onlineMeetingUrl", "organizer",
        "responseStatus", "transactionId", "calendar", "instances", "exceptionOccurrences", "attachments", "extensions",
        "multiValueExtendedProperties", GraphJson.ExtendedPropertiesName,
    };

    /// <summary>What an occurrence may override (what Outlook lets an attendee or organizer change per occurrence).</summary>
    private static readonly HashSet<string> OccurrenceProperties = new(StringComparer.Ordinal)
    {
        "subject", "body", "start", "end", "location", "locations", "attendees", "isAllDay", "showAs", "importance",
        "sensitivity", "categories", "isReminderOn", "reminderMinutesBeforeStart", "allowNewTimeProposals", "isOnlineMeeting",
        "onlineMeetingProvider", "responseRequested", "hideAttendees", "originalStartTimeZone", "originalEndTimeZone",
    };

    private const string OccurrencePrefix = "AAMkO";

    /// <summary>Builds the stored data of a new event from a request body (validated against the schema before).</summary>
    public static JsonObject NewData(GraphMailbox box, JsonObject body)
    {
        var data = new JsonObject();
        foreach (var (name, value) in body)
        {
            if (!ServerManaged.Contains(name) && !name.Contains('@', StringComparison.Ordinal))
            {
                data[name] = value?.DeepClone();
            }
        }

        Normalise(box, data, isNew: true);
        return data;
    }

    /// <summary>Applies a PATCH body (top-level properties replace, null clears) and normalises again.</summary>
    public static JsonObject Patched(GraphMailbox box, JsonObject stored, JsonObject patch)
    {
        var data = GraphJson.Patch(stored, patch, ServerManaged);
        Normalise(box, data, isNew: false);
        return data;
    }

    /// <summary>Start, end and all-day of stored data (or of a master with an exception's overrides).</summary>
    public static (ZonedTime Start, ZonedTime End, bool AllDay) Times(JsonObject data) =>
        (GraphTimes.Read(data["start"], "start"), GraphTimes.Read(data["end"], "end"), data["isAllDay"]?.GetValue<bool>() == true);

    private static void Normalise(GraphMailbox box, JsonObject data, bool isNew)
    {
        if (data["start"] is null || data["end"] is null)
        {
            throw GraphError.BadRequest("ErrorInvalidRequest", "Your request can't be completed. An event needs start and end.");
        }

        var (start, end, allDay) = Times(data);
        if (end.Utc < start.Utc)
        {
            throw GraphError.BadRequest("ErrorInvalidRequest", "Your request can't be completed. The end time of the event is earlier than its start time.");
        }

        if (allDay && (start.Local.TimeOfDay != TimeSpan.Zero || end.Local.TimeOfDay != TimeSpan.Zero || end.Local <= start.Local))
        {
            throw GraphError.BadRequest("ErrorPropertyValidationFailure", "Your request can't be completed. If the event is an all-day event, the start and end must be at midnight and at least one day apart.");
        }

        if (data["recurrence"] is JsonObject recurrence)
        {
            var normalised = GraphRecurrence.Normalise(recurrence, start.ZoneName);
            data["recurrence"] = normalised;

            // Exchange moves a series' start to its first occurrence on or after range.startDate.
            var first = GraphRecurrence.Pattern(normalised).Dates().FirstOrDefault();
            if (first == default)
            {
                throw GraphError.BadRequest("ErrorInvalidRecurrence", "The recurrence has no occurrence.");
            }

            var duration = end.Local - start.Local;
            var firstLocal = first.ToDateTime(TimeOnly.FromDateTime(start.Local));
            if (firstLocal != start.Local)
            {
                data["start"] = GraphTimes.WriteFloating(firstLocal, start.ZoneName);
                data["end"] = GraphTimes.WriteFloating(firstLocal + duration, end.ZoneName);
                (start, end, _) = Times(data);
            }
        }
        else
        {
            data.Remove("recurrence");
        }

        data["start"] = GraphTimes.Stored(start);
        data["end"] = GraphTimes.Stored(end);
        data["originalStartTimeZone"] = start.ZoneName;
        data["originalEndTimeZone"] = end.ZoneName;
        data["body"] = GraphBodies.Normalise(data["body"], "html");
        data["attendees"] = Attendees(box, data["attendees"] as JsonArray);
        data["location"] = Location(data["location"] as JsonObject);
        data["locations"] = data["location"]!["displayName"]?.GetValue<string>() is { Length: > 0 }
            ? new JsonArray(data["location"]!.DeepClone())
            : new JsonArray();
        if (isNew)
        {
            data.TryAdd("importance", "normal");
            data.TryAdd("sensitivity", "normal");
            data.TryAdd("showAs", "busy");
            data.TryAdd("isAllDay", false);
            data.TryAdd("isCancelled", false);
            data.TryAdd("isDraft", false);
            data.TryAdd("isReminderOn", true);
            data.TryAdd("reminderMinutesBeforeStart", 15);
            data.TryAdd("responseRequested", true);
            data.TryAdd("allowNewTimeProposals", true);
            data.TryAdd("hideAttendees", false);
            data.TryAdd("isOnlineMeeting", false);
            data.TryAdd("onlineMeetingProvider", "unknown");
            data.TryAdd("categories", new JsonArray());
        }

        foreach (var name in new[] { "importance", "sensitivity", "showAs", "onlineMeetingProvider" })
        {
            if (data[name] is JsonValue value && value.TryGetValue<string>(out var text))
            {
                data[name] = CanonicalEnum(text, name switch { "showAs" => "freeBusyStatus", "onlineMeetingProvider" => "onlineMeetingProviderType", _ => name });
            }
        }
    }

    /// <summary>Enum values come back in Graph's own spelling ("Normal" → "normal", "oof" stays "oof").</summary>
    public static string CanonicalEnum(string value, string enumType) =>
        GraphSchema.EnumMembers(enumType).FirstOrDefault(m => string.Equals(m, value, StringComparison.OrdinalIgnoreCase)) ?? value;

    private static JsonArray Attendees(GraphMailbox box, JsonArray? attendees)
    {
        var result = new JsonArray();
        foreach (var attendee in (attendees ?? []).OfType<JsonObject>())
        {
            var address = attendee["emailAddress"]?["address"]?.GetValue<string>();
            if (string.IsNullOrWhiteSpace(address))
            {
                throw GraphError.BadRequest("ErrorInvalidRecipients", "At least one recipient isn't valid: an attendee has no email address.");
            }

            var name = attendee["emailAddress"]?["name"]?.GetValue<string>() is { Length: > 0 } given
                ? given
                : box.Tenant.Find(address)?.DisplayName ?? address;
            result.Add(new JsonObject
            {
                ["type"] = CanonicalEnum(attendee["type"]?.GetValue<string>() ?? "required", "attendeeType"),
                ["status"] = attendee["status"]?.DeepClone() as JsonObject ?? new JsonObject { ["response"] = "none", ["time"] = "0001-01-01T00:00:00Z" },
                ["emailAddress"] = new JsonObject { ["name"] = name, ["address"] = address },
            });
        }

        return result;
    }

    private static JsonObject Location(JsonObject? location)
    {
        var result = (JsonObject?)location?.DeepClone() ?? new JsonObject();
        var name = result["displayName"]?.GetValue<string>() ?? string.Empty;
        result["displayName"] = name;
        if (name.Length > 0)
        {
            result.TryAdd("locationType", "default");
            result.TryAdd("uniqueId", name);
            result.TryAdd("uniqueIdType", "private");
        }
        else
        {
            result.TryAdd("locationType", "default");
            result.TryAdd("uniqueIdType", "unknown");
        }

        return result;
    }

    /// <summary>Normalises an exception's overrides (occurrence PATCH): only per-occurrence properties.</summary>
    public static JsonObject PatchedOverrides(GraphMailbox box, GraphItem master, EventInstance instance, JsonObject patch)
    {
        var overrides = (JsonObject?)instance.Exception?.Overrides.DeepClone() ?? new JsonObject();
        foreach (var (name, value) in patch)
        {
            if (ServerManaged.Contains(name) || name.Contains('@', StringComparison.Ordinal))
            {
                continue;
            }

            if (!OccurrenceProperties.Contains(name))
            {
                throw GraphError.BadRequest("ErrorInvalidRequest", $"The property '{name}' cannot be changed on an occurrence of a series; change the series master.");
            }

            if (value is null)
            {
                overrides.Remove(name);
            }
            else
            {
                overrides[name] = value.DeepClone();
            }
        }

        // Check the result as a whole event would be checked, with the occurrence's own times as the default.
        var merged = Merge(master, instance with { Exception = new GraphException(overrides, default, string.Empty) });
        merged.Remove("recurrence");
        Normalise(box, merged, isNew: false);
        foreach (var name in overrides.Select(p => p.Key).ToList())
        {
            overrides[name] = merged[name]?.DeepClone();
        }

        if (!overrides.ContainsKey("start") && !overrides.ContainsKey("end"))
        {
            return overrides;
        }

        overrides["start"] = merged["start"]!.DeepClone();
        overrides["end"] = merged["end"]!.DeepClone();
        return overrides;
    }

    /// <summary>The instances of an item overlapping [from, to): the item itself, or a series' occurrences and exceptions.</summary>
    public static IEnumerable<EventInstance> Instances(GraphItem item, DateTime from, DateTime to)
    {
        var (start, end, _) = Times(item.Data);
        if (item.Data["recurrence"] is not JsonObject recurrence)
        {
            if (Overlaps(start.Utc, end.Utc, from, to))
            {
                yield return new EventInstance(item, item.Id, "singleInstance", null, start.Utc, end.Utc, null);
            }

            yield break;
        }

        var instances = new List<EventInstance>();
        foreach (var (original, exception) in item.Exceptions)
        {
            var times = ExceptionTimes(item, original, exception);
            if (Overlaps(times.Start, times.End, from, to))
            {
                instances.Add(new EventInstance(item, OccurrenceId(item.Id, original), "exception", original, times.Start, times.End, exception));
            }
        }

        foreach (var (occurrenceStart, occurrenceEnd) in Occurrences(item, start, end, recurrence))
        {
            if (occurrenceStart >= to)
            {
                break;
            }

            if (item.Cancelled.Contains(occurrenceStart) || item.Exceptions.ContainsKey(occurrenceStart))
            {
                continue;
            }

            if (Overlaps(occurrenceStart, occurrenceEnd, from, to))
            {
                instances.Add(new EventInstance(item, OccurrenceId(item.Id, occurrenceStart), "occurrence", occurrenceStart, occurrenceStart, occurrenceEnd, null));
            }
        }

        foreach (var instance in instances.OrderBy(i => i.StartUtc).ThenBy(i => i.Id, StringComparer.Ordinal))
        {
            yield return instance;
        }
    }

    /// <summary>The occurrence (or exception) of a series that started at <paramref name="originalStart"/>, if it exists.</summary>
    public static EventInstance? Occurrence(GraphItem master, DateTime originalStart)
    {
        if (master.Data["recurrence"] is not JsonObject recurrence || master.Cancelled.Contains(originalStart))
        {
            return null;
        }

        if (master.Exceptions.TryGetValue(originalStart, out var exception))
        {
            var times = ExceptionTimes(master, originalStart, exception);
            return new EventInstance(master, OccurrenceId(master.Id, originalStart), "exception", originalStart, times.Start, times.End, exception);
        }

        var (start, end, _) = Times(master.Data);
        foreach (var (occurrenceStart, occurrenceEnd) in Occurrences(master, start, end, recurrence))
        {
            if (occurrenceStart == originalStart)
            {
                return new EventInstance(master, OccurrenceId(master.Id, originalStart), "occurrence", originalStart, occurrenceStart, occurrenceEnd, null);
            }

            if (occurrenceStart > originalStart)
            {
                break;
            }
        }

        return null;
    }

    /// <summary>
    /// Outlook refuses to move an occurrence onto or past the day of the occurrence before or after
    /// it (400 ErrorOccurrenceCrossingBoundary); days are counted in the recurrence's zone.
    /// </summary>
    public static void CheckCrossing(GraphItem master, DateTime original, JsonObject overrides)
    {
        if (overrides["start"] is null || master.Data["recurrence"] is not JsonObject recurrence)
        {
            return;
        }

        var (start, end, _) = Times(master.Data);
        var zone = GraphTimes.FindZone(recurrence["range"]?["recurrenceTimeZone"]?.GetValue<string>()) ?? start.Zone;
        DateOnly Day(DateTime utc) => DateOnly.FromDateTime(Store.Calendar.WindowsTimeZones.ToLocal(utc, zone));
        DateTime Current(DateTime occurrence) => master.Exceptions.TryGetValue(occurrence, out var e) ? ExceptionTimes(master, occurrence, e).Start : occurrence;

        DateTime? previous = null;
        DateTime? next = null;
        foreach (var (occurrenceStart, _) in Occurrences(master, start, end, recurrence))
        {
            if (master.Cancelled.Contains(occurrenceStart))
            {
                continue;
            }

            if (occurrenceStart < original)
            {
                previous = occurrenceStart;
            }
            else if (occurrenceStart > original)
            {
                next = occurrenceStart;
                break;
            }
        }

        var moved = Day(GraphTimes.Read(overrides["start"], "start").Utc);
        if ((previous is { } p && moved <= Day(Current(p))) || (next is { } n && moved >= Day(Current(n))))
        {
            throw GraphError.BadRequest("ErrorOccurrenceCrossingBoundary", "An occurrence cannot be moved onto or past the day of an adjacent occurrence of the series.");
        }
    }

    private static (DateTime Start, DateTime End) ExceptionTimes(GraphItem master, DateTime original, GraphException exception)
    {
        if (exception.Overrides["start"] is not null)
        {
            return (GraphTimes.Read(exception.Overrides["start"], "start").Utc, GraphTimes.Read(exception.Overrides["end"], "end").Utc);
        }

        var (start, end, _) = Times(master.Data);
        return (original, original + (end.Utc - start.Utc));
    }

    /// <summary>Occurrence start/end instants (UTC): the wall-clock time in the recurrence zone on every pattern date.</summary>
    private static IEnumerable<(DateTime Start, DateTime End)> Occurrences(GraphItem master, ZonedTime start, ZonedTime end, JsonObject recurrence)
    {
        var zoneName = recurrence["range"]?["recurrenceTimeZone"]?.GetValue<string>();
        var zone = GraphTimes.FindZone(zoneName) ?? start.Zone;
        var localStart = start.Zone == zone ? start.Local : Store.Calendar.WindowsTimeZones.ToLocal(start.Utc, zone);
        var localDuration = end.Local - start.Local;
        var time = TimeOnly.FromDateTime(localStart);
        foreach (var date in GraphRecurrence.Pattern(recurrence).Dates())
        {
            var local = date.ToDateTime(time);
            var occurrenceStart = Store.Calendar.WindowsTimeZones.ToUtc(local, zone);
            var occurrenceEnd = master.Data["isAllDay"]?.GetValue<bool>() == true
                ? Store.Calendar.WindowsTimeZones.ToUtc(local + localDuration, zone)
                : occurrenceStart + (end.Utc - start.Utc);
            yield return (occurrenceStart, occurrenceEnd);
        }
    }

    private static bool Overlaps(DateTime start, DateTime end, DateTime from, DateTime to) =>
        start == end ? start >= from && start < to : start < to && end > from;

    /// <summary>An occurrence's id: the master id and the original start, reversible (Graph's occurrence ids also embed both).</summary>
    public static string OccurrenceId(string masterId, DateTime originalStartUtc)
    {
        var text = masterId + "\n" + originalStartUtc.Ticks.ToString(CultureInfo.InvariantCulture);
        return OccurrencePrefix + Convert.ToBase64String(Encoding.UTF8.GetBytes(text)).Replace('/', '-').Replace('+', '_');
    }

    public static bool TryParseOccurrenceId(string id, out string masterId, out DateTime originalStartUtc)
    {
        masterId = string.Empty;
        originalStartUtc = default;
        if (!id.StartsWith(OccurrencePrefix, StringComparison.Ordinal))
        {
            return false;
        }

        try
        {
            var text = Encoding.UTF8.GetString(Convert.FromBase64String(id[OccurrencePrefix.Length..].Replace('-', '/').Replace('_', '+')));
            var separator = text.LastIndexOf('\n');
            if (separator < 0 || !long.TryParse(text[(separator + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks))
            {
                return false;
            }

            masterId = text[..separator];
            originalStartUtc = new DateTime(ticks, DateTimeKind.Utc);
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    /// <summary>An Outlook GlobalObjectId in hex, as Exchange Online assigns to new events.</summary>
    public static string NewICalUId(DateTimeOffset now)
    {
        var random = RandomNumberGenerator.GetBytes(16);
        return "040000008200E00074C5B7101A82E008" + "00000000" + now.UtcDateTime.ToFileTimeUtc().ToString("X16", CultureInfo.InvariantCulture)
            + "0000000000000000" + "10000000" + Convert.ToHexString(random);
    }

    /// <summary>An occurrence's iCalUId: the series' GlobalObjectId with the instance date in bytes 16–19, as Exchange writes it.</summary>
    public static string OccurrenceICalUId(string masterUid, DateTime originalStartUtc)
    {
        if (!masterUid.StartsWith("040000008200E00074C5B7101A82E008", StringComparison.OrdinalIgnoreCase) || masterUid.Length < 40)
        {
            return masterUid;
        }

        var date = originalStartUtc.Date;
        var stamp = ((date.Year >> 8) & 0xFF).ToString("X2", CultureInfo.InvariantCulture) + (date.Year & 0xFF).ToString("X2", CultureInfo.InvariantCulture)
            + date.Month.ToString("X2", CultureInfo.InvariantCulture) + date.Day.ToString("X2", CultureInfo.InvariantCulture);
        return masterUid[..32] + stamp + masterUid[40..];
    }

    /// <summary>A master with an instance's overrides applied (no server-managed values yet).</summary>
    private static JsonObject Merge(GraphItem master, EventInstance instance)
    {
        var data = (JsonObject)master.Data.DeepClone();
        if (instance.Type == "singleInstance" || instance.Type == "seriesMaster")
        {
            return data;
        }

        data.Remove("recurrence");
        var (start, end, allDay) = Times(master.Data);
        if (allDay)
        {
            var localStart = Store.Calendar.WindowsTimeZones.ToLocal(instance.StartUtc, start.Zone);
            data["start"] = GraphTimes.WriteFloating(localStart, start.ZoneName);
            data["end"] = GraphTimes.WriteFloating(localStart + (end.Local - start.Local), end.ZoneName);
        }
        else
        {
            data["start"] = GraphTimes.Stored(GraphTimes.At(Store.Calendar.WindowsTimeZones.ToLocal(instance.StartUtc, start.Zone), start.Zone, start.ZoneName));
            data["end"] = GraphTimes.Stored(GraphTimes.At(Store.Calendar.WindowsTimeZones.ToLocal(instance.EndUtc, end.Zone), end.Zone, end.ZoneName));
        }

        if (instance.Exception is { } exception)
        {
            foreach (var (name, value) in exception.Overrides)
            {
                data[name] = value?.DeepClone();
            }
        }

        return data;
    }

    /// <summary>The Graph JSON of a stored event or one of its instances, in the client's preferred zone and body type.</summary>
    public static JsonObject Render(GraphMailbox box, GraphItem item, EventInstance? instance, GraphView view)
    {
        var type = instance?.Type ?? (item.Data["recurrence"] is JsonObject ? "seriesMaster" : "singleInstance");
        var data = instance is { } i ? Merge(item, i) : (JsonObject)item.Data.DeepClone();
        var (start, end, allDay) = Times(data);
        var changeKey = instance?.Exception?.ChangeKey ?? item.ChangeKey;
        var modified = instance?.Exception?.Modified ?? item.Modified;
        var organizer = data["organizer"]?.DeepClone() ?? new JsonObject
        {
            ["emailAddress"] = new JsonObject { ["name"] = box.DisplayName, ["address"] = box.UserPrincipalName },
        };
        var isOrganizer = string.Equals(organizer["emailAddress"]?["address"]?.GetValue<string>(), box.UserPrincipalName, StringComparison.OrdinalIgnoreCase);
        var id = instance?.Id ?? item.Id;
        var result = new JsonObject
        {
            ["@odata.etag"] = $"W/\"{changeKey}\"",
            ["id"] = id,
            ["createdDateTime"] = GraphTimes.Instant(item.Created),
            ["lastModifiedDateTime"] = GraphTimes.Instant(modified),
            ["changeKey"] = changeKey,
            ["categories"] = data["categories"]?.DeepClone() ?? new JsonArray(),
            ["transactionId"] = type is "occurrence" or "exception" ? null : item.TransactionId,
            ["originalStartTimeZone"] = data["originalStartTimeZone"]?.DeepClone(),
            ["originalEndTimeZone"] = data["originalEndTimeZone"]?.DeepClone(),
            ["iCalUId"] = instance?.OriginalStartUtc is { } original ? OccurrenceICalUId(item.ICalUId ?? string.Empty, original) : item.ICalUId,
            ["reminderMinutesBeforeStart"] = data["reminderMinutesBeforeStart"]?.DeepClone(),
            ["isReminderOn"] = data["isReminderOn"]?.DeepClone(),
            ["hasAttachments"] = false,
            ["subject"] = data["subject"]?.DeepClone() ?? string.Empty,
            ["bodyPreview"] = GraphBodies.Preview(data["body"]),
            ["importance"] = data["importance"]?.DeepClone(),
            ["sensitivity"] = data["sensitivity"]?.DeepClone(),
            ["isAllDay"] = allDay,
            ["isCancelled"] = data["isCancelled"]?.DeepClone() ?? false,
            ["isOrganizer"] = isOrganizer,
            ["responseRequested"] = data["responseRequested"]?.DeepClone(),
            ["seriesMasterId"] = type is "occurrence" or "exception" ? item.Id : null,
            ["showAs"] = data["showAs"]?.DeepClone(),
            ["type"] = type,
            ["webLink"] = "https://outlook.office365.com/owa/?itemid=" + Uri.EscapeDataString(id) + "&exvsurl=1&path=/calendar/item",
            ["onlineMeetingUrl"] = null,
            ["isOnlineMeeting"] = data["isOnlineMeeting"]?.DeepClone() ?? false,
            ["onlineMeetingProvider"] = data["onlineMeetingProvider"]?.DeepClone() ?? "unknown",
            ["allowNewTimeProposals"] = data["allowNewTimeProposals"]?.DeepClone(),
            ["isDraft"] = data["isDraft"]?.DeepClone() ?? false,
            ["hideAttendees"] = data["hideAttendees"]?.DeepClone() ?? false,
            ["responseStatus"] = data["responseStatus"]?.DeepClone() ?? new JsonObject
            {
                ["response"] = isOrganizer ? "organizer" : "notResponded",
                ["time"] = "0001-01-01T00:00:00Z",
            },
            ["body"] = GraphBodies.Render(data["body"], view.BodyType ?? "html"),
            ["start"] = allDay ? GraphTimes.WriteFloating(start.Local, view.TimeZone) : GraphTimes.Write(start.Utc, view.TimeZone),
            ["end"] = allDay ? GraphTimes.WriteFloating(end.Local, view.TimeZone) : GraphTimes.Write(end.Utc, view.TimeZone),
            ["location"] = data["location"]?.DeepClone(),
            ["locations"] = data["locations"]?.DeepClone() ?? new JsonArray(),
            ["recurrence"] = type == "seriesMaster" ? data["recurrence"]?.DeepClone() : null,
            ["attendees"] = data["attendees"]?.DeepClone() ?? new JsonArray(),
            ["organizer"] = organizer,
            ["onlineMeeting"] = null,
        };
        if (instance?.OriginalStartUtc is { } originalStart)
        {
            result["originalStart"] = GraphTimes.Instant(new DateTimeOffset(originalStart, TimeSpan.Zero));
        }

        if (type == "seriesMaster" && view.Select?.Contains("cancelledOccurrences") == true)
        {
            result["cancelledOccurrences"] = new JsonArray(item.Cancelled.Select(c => (JsonNode?)JsonValue.Create(
                $"OID.{item.Id}.{c.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}")).ToArray());
        }

        GraphJson.Select(result, view.Select);
        if (view.Expands("exceptionOccurrences"))
        {
            var plain = view with { Select = null, Expand = null };
            result["exceptionOccurrences"] = type != "seriesMaster"
                ? new JsonArray()
                : new JsonArray(item.Exceptions.Keys.Select(original => Occurrence(item, original)).OfType<EventInstance>()
                    .Select(e => (JsonNode?)Render(box, item, e, plain)).ToArray());
        }

        GraphJson.ExpandExtendedProperties(result, item, view);
        return result;
    }
}
