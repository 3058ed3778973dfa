using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Connector.Emulator.Graph.Schema;

namespace Connector.Emulator.Graph;

/// <summary>One resolved request: the mailbox, the request, how the client wants to see items.</summary>
internal sealed class GraphCall
{
    public required GraphMailbox Mailbox { get; init; }

    public required GraphRequest Request { get; init; }

    public required GraphView View { get; init; }

    public required string Operation { get; init; }

    /// <summary>Prefer: odata.maxpagesize, if given.</summary>
    public int? MaxPageSize { get; init; }

    public DateTimeOffset Now => Mailbox.Tenant.Now;
}

/// <summary>A route: the operation's name (for the request log and fault rules) and its handler.</summary>
internal sealed record GraphRoute(string Operation, string UserKey, Func<GraphCall, GraphResponse> Handler);

/// <summary>
/// The Graph v1.0 resources the emulator serves under /users/{id | userPrincipalName}: calendars,
/// events (CRUD, instances, calendarView and its delta), contact folders and contacts (CRUD,
/// delta), To Do lists and tasks (CRUD, delta). Every handler runs under the mailbox's lock.
/// </summary>
internal static class GraphApi
{
    private const int DefaultPageSize = 10;
    private const int MaxPageSize = 1000;

    /// <summary>Finds the route of a request; null when no resource matches (Graph: 400 "Resource not found for the segment").</summary>
    public static GraphRoute? Resolve(GraphRequest request, out string? badSegment)
    {
        badSegment = null;
        var segments = request.Path.Split('/', StringSplitOptions.RemoveEmptyEntries)
            .Select(s => Uri.UnescapeDataString(s))
            .Select(s => s.EndsWith("()", StringComparison.Ordinal) ? s[..^2] : s)
            .ToArray();
        if (segments.Length < 3 || !Is(segments[0], "users"))
        {
            badSegment = segments.FirstOrDefault() ?? string.Empty;
            return null;
        }

        var user = segments[1];
        var rest = segments[2..];
        var method = request.Method.ToUpperInvariant();
        var route = Match(method, rest);
        if (route is null)
        {
            badSegment = rest.Length > 0 ? rest[^1] : user;
            return null;
        }

        return new GraphRoute(route.Value.Operation, user, route.Value.Handler);
    }

    private static (string Operation, Func<GraphCall, GraphResponse> Handler)? Match(string method, string[] s)
    {
        bool P(params string[] pattern) => s.Length == pattern.Length && pattern.Select((p, i) => p == "*" || Is(s[i], p)).All(x => x);

        return (method, s.Length) switch
        {
            ("GET", _) when P("calendars") => ("ListCalendars", ListCalendars),
            ("POST", _) when P("calendars") => ("CreateCalendar", c => CreateFolder(c, GraphFolderKind.Calendar, "calendar", "name")),
            ("GET", _) when P("calendar") => ("GetCalendar", c => GetCalendar(c, null)),
            ("GET", _) when P("calendars", "*") => ("GetCalendar", c => GetCalendar(c, s[1])),
            ("GET", _) when P("events") => ("ListEvents", c => ListEvents(c, null)),
            ("GET", _) when P("calendar", "events") => ("ListEvents", c => ListEvents(c, null)),
            ("GET", _) when P("calendars", "*", "events") => ("ListEvents", c => ListEvents(c, s[1])),
            ("POST", _) when P("events") => ("CreateEvent", c => CreateEvent(c, null)),
            ("POST", _) when P("calendar", "events") => ("CreateEvent", c => CreateEvent(c, null)),
            ("POST", _) when P("calendars", "*", "events") => ("CreateEvent", c => CreateEvent(c, s[1])),
            (_, _) when P("events", "delta") || P("calendar", "events", "delta") || P("calendars", "*", "events", "delta") =>
                ("EventsDelta", c => throw GraphError.BadRequest("BadRequest", "Delta on events without a date range is available in the beta version only; use calendarView/delta.")),
            ("GET", _) when P("events", "*") || P("calendar", "events", "*") => ("GetEvent", c => GetEvent(c, null, s[^1])),
            ("GET", _) when P("calendars", "*", "events", "*") => ("GetEvent", c => GetEvent(c, s[1], s[3])),
            ("PATCH", _) when P("events", "*") || P("calendar", "events", "*") => ("UpdateEvent", c => UpdateEvent(c, null, s[^1])),
            ("PATCH", _) when P("calendars", "*", "events", "*") => ("UpdateEvent", c => UpdateEvent(c, s[1], s[3])),
            ("DELETE", _) when P("events", "*") || P("calendar", "events", "*") => ("DeleteEvent", c => DeleteEvent(c, null, s[^1], cancel: false)),
            ("DELETE", _) when P("calendars", "*", "events", "*") => ("DeleteEvent", c => DeleteEvent(c, s[1], s[3], cancel: false)),
            ("POST", _) when P("events", "*", "cancel") => ("CancelEvent", c => DeleteEvent(c, null, s[1], cancel: true)),
            ("GET", _) when P("events", "*", "instances") => ("ListInstances", c => ListInstances(c, s[1])),
            ("GET", _) when P("calendarView") || P("calendar", "calendarView") => ("CalendarView", c => CalendarView(c, null)),
            ("GET", _) when P("calendars", "*", "calendarView") => ("CalendarView", c => CalendarView(c, s[1])),
            ("GET", _) when P("calendarView", "delta") || P("calendar", "calendarView", "delta") => ("CalendarViewDelta", c => CalendarViewDelta(c, null)),
            ("GET", _) when P("calendars", "*", "calendarView", "delta") => ("CalendarViewDelta", c => CalendarViewDelta(c, s[1])),

            ("GET", _) when P("contactFolders") => ("ListContactFolders", ListContactFolders),
            ("POST", _) when P("contactFolders") => ("CreateContactFolder", c => CreateFolder(c, GraphFolderKind.ContactFolder, "contactFolder", "displayName")),
            ("GET", _) when P("contactFolders", "*") => ("GetContactFolder", c => GetContactFolder(c, s[1])),
            ("GET", _) when P("contacts") => ("ListContacts", c => ListItems(c, Contacts, null)),
            ("GET", _) when P("contactFolders", "*", "contacts") => ("ListContacts", c => ListItems(c, Contacts, s[1])),
            ("POST", _) when P("contacts") => ("CreateContact", c => CreateItem(c, Contacts, null)),
            ("POST", _) when P("contactFolders", "*", "contacts") => ("CreateContact", c => CreateItem(c, Contacts, s[1])),
            ("GET", _) when P("contacts", "delta") => ("ContactsDelta", c => ItemDelta(c, Contacts, null)),
            ("GET", _) when P("contactFolders", "*", "contacts", "delta") => ("ContactsDelta", c => ItemDelta(c, Contacts, s[1])),
            ("GET", _) when P("contacts", "*") => ("GetContact", c => GetItem(c, Contacts, null, s[1])),
            ("GET", _) when P("contactFolders", "*", "contacts", "*") => ("GetContact", c => GetItem(c, Contacts, s[1], s[3])),
            ("PATCH", _) when P("contacts", "*") => ("UpdateContact", c => UpdateItem(c, Contacts, null, s[1])),
            ("PATCH", _) when P("contactFolders", "*", "contacts", "*") => ("UpdateContact", c => UpdateItem(c, Contacts, s[1], s[3])),
            ("DELETE", _) when P("contacts", "*") => ("DeleteContact", c => DeleteItem(c, Contacts, null, s[1])),
            ("DELETE", _) when P("contactFolders", "*", "contacts", "*") => ("DeleteContact", c => DeleteItem(c, Contacts, s[1], s[3])),

            ("GET", _) when P("todo", "lists") => ("ListTodoLists", ListTodoLists),
            ("POST", _) when P("todo", "lists") => ("CreateTodoList", c => CreateFolder(c, GraphFolderKind.TodoList, "todoTaskList", "displayName")),
            ("GET", _) when P("todo", "lists", "*") => ("GetTodoList", c => GetTodoList(c, s[2])),
            ("GET", _) when P("todo", "lists", "*", "tasks") => ("ListTasks", c => ListItems(c, Tasks, s[2])),
            ("POST", _) when P("todo", "lists", "*", "tasks") => ("CreateTask", c => CreateItem(c, Tasks, s[2])),
            ("GET", _) when P("todo", "lists", "*", "tasks", "delta") => ("TasksDelta", c => ItemDelta(c, Tasks, s[2])),
            ("GET", _) when P("todo", "lists", "*", "tasks", "*") => ("GetTask", c => GetItem(c, Tasks, s[2], s[4])),
            ("PATCH", _) when P("todo", "lists", "*", "tasks", "*") => ("UpdateTask", c => UpdateItem(c, Tasks, s[2], s[4])),
            ("DELETE", _) when P("todo", "lists", "*", "tasks", "*") => ("DeleteTask", c => DeleteItem(c, Tasks, s[2], s[4])),
            _ => null,
        };
    }

    private static bool Is(string segment, string name) => string.Equals(segment, name, StringComparison.OrdinalIgnoreCase);

    // ---- calendars and folders ----

    private static GraphResponse ListCalendars(GraphCall call) =>
        Collection(call, "calendars", call.Mailbox.Folders.Where(f => f.Kind == GraphFolderKind.Calendar).Select(f => RenderCalendar(call.Mailbox, f)).ToList());

    private static GraphResponse GetCalendar(GraphCall call, string? id) =>
        new(200, Context(call, "calendars/$entity", RenderCalendar(call.Mailbox, Folder(call, GraphFolderKind.Calendar, id))));

    private static JsonObject RenderCalendar(GraphMailbox box, GraphFolder folder) => new()
    {
        ["id"] = folder.Id,
        ["name"] = folder.DisplayName,
        ["color"] = "auto",
        ["hexColor"] = string.Empty,
        ["isDefaultCalendar"] = folder.IsDefault,
        ["changeKey"] = folder.ChangeKey,
        ["canShare"] = true,
        ["canViewPrivateItems"] = true,
        ["canEdit"] = true,
        ["allowedOnlineMeetingProviders"] = new JsonArray("teamsForBusiness"),
        ["defaultOnlineMeetingProvider"] = "teamsForBusiness",
        ["isTallyingResponses"] = true,
        ["isRemovable"] = !folder.IsDefault,
        ["owner"] = new JsonObject { ["name"] = box.DisplayName, ["address"] = box.UserPrincipalName },
    };

    private static GraphResponse ListContactFolders(GraphCall call) =>
        Collection(call, "contactFolders", call.Mailbox.Folders.Where(f => f.Kind == GraphFolderKind.ContactFolder).Select(f => RenderContactFolder(call.Mailbox, f)).ToList());

    private static GraphResponse GetContactFolder(GraphCall call, string id) =>
        new(200, Context(call, "contactFolders/$entity", RenderContactFolder(call.Mailbox, Folder(call, GraphFolderKind.ContactFolder, id))));

    private static JsonObject RenderContactFolder(GraphMailbox box, GraphFolder folder) => new()
    {
        ["id"] = folder.Id,
        ["displayName"] = folder.DisplayName,
        ["parentFolderId"] = box.RootFolderId,
    };

    private static GraphResponse ListTodoLists(GraphCall call) =>
        Collection(call, "todo/lists", call.Mailbox.Folders.Where(f => f.Kind == GraphFolderKind.TodoList).Select(RenderTodoList).ToList());

    private static GraphResponse GetTodoList(GraphCall call, string id) =>
        new(200, Context(call, "todo/lists/$entity", RenderTodoList(Folder(call, GraphFolderKind.TodoList, id))));

    private static JsonObject RenderTodoList(GraphFolder folder) => new()
    {
        ["@odata.etag"] = $"W/\"{folder.ChangeKey}\"",
        ["displayName"] = folder.DisplayName,
        ["isOwner"] = true,
        ["isShared"] = false,
        ["wellknownListName"] = folder.IsDefault ? "defaultList" : "none",
        ["id"] = folder.Id,
    };

    private static GraphResponse CreateFolder(GraphCall call, GraphFolderKind kind, string typeName, string nameProperty)
    {
        var body = Body(call, typeName);
        var name = body[nameProperty]?.GetValue<string>();
        if (string.IsNullOrWhiteSpace(name))
        {
            throw GraphError.BadRequest("ErrorInvalidRequest", $"The {nameProperty} of a new folder is required.");
        }

        if (call.Mailbox.Folders.Any(f => f.Kind == kind && string.Equals(f.DisplayName, name, StringComparison.OrdinalIgnoreCase)))
        {
            throw new GraphError(409, "ErrorFolderExists", "A folder with the specified name already exists.");
        }

        var folder = new GraphFolder(call.Mailbox.NewId(), kind, name, isDefault: false, call.Mailbox.NextChangeKey());
        call.Mailbox.Folders.Add(folder);
        var rendered = kind switch
        {
            GraphFolderKind.Calendar => RenderCalendar(call.Mailbox, folder),
            GraphFolderKind.ContactFolder => RenderContactFolder(call.Mailbox, folder),
            _ => RenderTodoList(folder),
        };
        return new GraphResponse(201, rendered);
    }

    private static GraphFolder Folder(GraphCall call, GraphFolderKind kind, string? id)
    {
        if (id is null)
        {
            return call.Mailbox.DefaultFolder(kind);
        }

        // Well-known names as Graph accepts them in place of an id.
        if ((kind == GraphFolderKind.ContactFolder && Is(id, "contacts")) || (kind == GraphFolderKind.Calendar && Is(id, "calendar")))
        {
            return call.Mailbox.DefaultFolder(kind);
        }

        CheckId(id);
        return call.Mailbox.FindFolder(id, kind) ?? throw GraphError.NotFound();
    }

    /// <summary>
    /// Exchange tells a malformed id (400 ErrorInvalidIdMalformed) from a well-formed one that names
    /// nothing (404 ErrorItemNotFound); ids here are base64 with Outlook's URL-safe alphabet.
    /// </summary>
    private static void CheckId(string id)
    {
        if (id.Length < 8 || id.Length > 1024 || !id.StartsWith("AAMk", StringComparison.Ordinal) || !id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '=' or '+' or '/'))
        {
            throw GraphError.BadRequest("ErrorInvalidIdMalformed", "Id is malformed.");
        }
    }

    // ---- events ----

    private static GraphResponse ListEvents(GraphCall call, string? calendarId)
    {
        var folder = Folder(call, GraphFolderKind.Calendar, calendarId);
        return Page(call, "events", folder.Items, i => GraphEvents.Render(call.Mailbox, i, null, call.View));
    }

    private static GraphResponse CreateEvent(GraphCall call, string? calendarId)
    {
        var folder = Folder(call, GraphFolderKind.Calendar, calendarId);
        var body = Body(call, "event");
        var box = call.Mailbox;
        var transactionId = body["transactionId"]?.GetValue<string>();
        if (transactionId is not null && box.Transactions.TryGetValue(transactionId, out var existingId) && box.FindItem(existingId, GraphFolderKind.Calendar) is { } existing)
        {
            // A retried create with the same transactionId: Exchange returns the event it created the first time.
            return new GraphResponse(201, Context(call, "events/$entity", GraphEvents.Render(box, existing, null, call.View)));
        }

        var data = GraphEvents.NewData(box, body);
        var item = new GraphItem(box.NewId(), folder, data, call.Now, box.NextChangeKey())
        {
            ICalUId = GraphEvents.NewICalUId(call.Now),
            TransactionId = transactionId,
        };
        GraphJson.StoreExtendedProperties(item, body);
        folder.Items.Add(item);
        if (transactionId is not null)
        {
            box.Transactions[transactionId] = item.Id;
        }

        GraphInvitations.Created(box, item, call.Operation);
        return new GraphResponse(201, Context(call, "events/$entity", GraphEvents.Render(box, item, null, call.View)))
            .With("Location", call.Request.ServiceRoot + "users('" + box.Id + "')/events('" + item.Id + "')");
    }

    /// <summary>An event or an instance by id (occurrence ids name their master and original start).</summary>
    private static (GraphItem Item, EventInstance? Instance) FindEvent(GraphCall call, string? calendarId, string id)
    {
        var box = call.Mailbox;
        var folder = calendarId is null ? null : Folder(call, GraphFolderKind.Calendar, calendarId);
        CheckId(id);
        if (GraphEvents.TryParseOccurrenceId(id, out var masterId, out var originalStart))
        {
            var master = box.FindItem(masterId, GraphFolderKind.Calendar);
            if (master is null || (folder is not null && master.Folder != folder) || GraphEvents.Occurrence(master, originalStart) is not { } instance)
            {
                throw GraphError.NotFound();
            }

            return (master, instance);
        }

        var item = box.FindItem(id, GraphFolderKind.Calendar);
        if (item is null || (folder is not null && item.Folder != folder))
        {
            throw GraphError.NotFound();
        }

        return (item, null);
    }

    private static GraphResponse GetEvent(GraphCall call, string? calendarId, string id)
    {
        var (item, instance) = FindEvent(call, calendarId, id);
        return new GraphResponse(200, Context(call, "events/$entity", GraphEvents.Render(call.Mailbox, item, instance, call.View)));
    }

    private static GraphResponse UpdateEvent(GraphCall call, string? calendarId, string id)
    {
        var box = call.Mailbox;
        var (item, instance) = FindEvent(call, calendarId, id);
        CheckIfMatch(call, instance?.Exception?.ChangeKey ?? item.ChangeKey);
        var patch = Body(call, "event");
        if (instance is { } occurrence)
        {
            var plain = new GraphView(null, null, null);
            var before = GraphEvents.Render(box, item, occurrence, plain);
            var overrides = GraphEvents.PatchedOverrides(box, item, occurrence, patch);
            var original = occurrence.OriginalStartUtc!.Value;
            GraphEvents.CheckCrossing(item, original, overrides);
            item.Exceptions[original] = new GraphException(overrides, call.Now, box.NextChangeKey());

            // A change to one occurrence changes the series' change key too, as in Exchange.
            item.ChangeKey = box.NextChangeKey();
            item.Modified = call.Now;
            var updated = GraphEvents.Occurrence(item, original)!.Value;
            GraphInvitations.Updated(box, item, before, GraphEvents.Render(box, item, updated, plain), original, call.Operation, OnlyAttendees(patch));
            return new GraphResponse(200, Context(call, "events/$entity", GraphEvents.Render(box, item, updated, call.View)));
        }

        var data = GraphEvents.Patched(box, item.Data, patch);
        GraphJson.StoreExtendedProperties(item, patch);
        // The same instants written another way (another zone name, more digits) are no change.
        var (oldStart, oldEnd, _) = GraphEvents.Times(item.Data);
        var (newStart, newEnd, _) = GraphEvents.Times(data);
        var seriesChanged = !JsonNode.DeepEquals(item.Data["recurrence"], data["recurrence"]) || oldStart.Utc != newStart.Utc || oldEnd.Utc != newEnd.Utc;
        var previous = item.Data;
        item.Data = data;
        if (seriesChanged)
        {
            // Changing a series' pattern or times drops its exceptions and deletions, as Exchange does.
            item.Exceptions.Clear();
            item.Cancelled.Clear();
        }

        item.ChangeKey = box.NextChangeKey();
        item.Modified = call.Now;
        GraphInvitations.Updated(box, item, previous, data, null, call.Operation, OnlyAttendees(patch));
        return new GraphResponse(200, Context(call, "events/$entity", GraphEvents.Render(box, item, null, call.View)));
    }

    /// <summary>Whether an update's body names attendees and nothing else (annotations aside).</summary>
    private static bool OnlyAttendees(JsonObject patch)
    {
        var names = patch.Select(p => p.Key).Where(k => !k.Contains('@', StringComparison.Ordinal)).ToList();
        return names is ["attendees"];
    }

    private static GraphResponse DeleteEvent(GraphCall call, string? calendarId, string id, bool cancel)
    {
        var box = call.Mailbox;
        var (item, instance) = FindEvent(call, calendarId, id);
        if (cancel)
        {
            if (!GraphInvitations.IsOrganizer(box, item.Data))
            {
                throw GraphError.BadRequest("ErrorAccessDenied", "Your request can't be completed. You need to be an organizer to cancel a meeting.");
            }

            if (call.Request.Body is not null and not JsonObject)
            {
                throw GraphError.BadRequest("RequestBodyRead", "The request body must be a JSON object with an optional comment.");
            }
        }
        else
        {
            CheckIfMatch(call, instance?.Exception?.ChangeKey ?? item.ChangeKey);
        }

        if (instance is { } occurrence)
        {
            var original = occurrence.OriginalStartUtc!.Value;
            var data = GraphEvents.Render(box, item, occurrence, new GraphView(null, null, null));
            item.Exceptions.Remove(original);
            item.Cancelled.Add(original);
            item.ChangeKey = box.NextChangeKey();
            item.Modified = call.Now;
            GraphInvitations.Deleted(box, item, data, original, call.Operation);
        }
        else
        {
            item.Folder.Items.Remove(item);
            GraphInvitations.Deleted(box, item, item.Data, null, call.Operation);
        }

        return new GraphResponse(cancel ? 202 : 204);
    }

    private static GraphResponse ListInstances(GraphCall call, string id)
    {
        var (from, to) = Window(call, required: true);
        var (item, instance) = FindEvent(call, null, id);
        if (instance is not null)
        {
            throw GraphError.BadRequest("ErrorInvalidRequest", "Instances can only be listed for a series master.");
        }

        return Page(call, "events", GraphEvents.Instances(item, from!.Value, to!.Value).ToList(), i => GraphEvents.Render(call.Mailbox, item, i, call.View));
    }

    private static (DateTime? From, DateTime? To) Window(GraphCall call, bool required)
    {
        var from = GraphTimes.ParseQuery(call.Request.QueryValue("startDateTime"));
        var to = GraphTimes.ParseQuery(call.Request.QueryValue("endDateTime"));
        if (required && (from is null || to is null))
        {
            throw GraphError.BadRequest("ErrorInvalidParameter", "This request requires a time window specified by the query string parameters StartDateTime and EndDateTime.");
        }

        return (from, to);
    }

    /// <summary>A single event or a series' occurrence/exception of a calendar by its id, as it is now; null when gone.</summary>
    private static EventInstance? FindInstance(GraphFolder folder, string id)
    {
        if (GraphEvents.TryParseOccurrenceId(id, out var masterId, out var originalStart))
        {
            return folder.Items.Find(i => string.Equals(i.Id, masterId, StringComparison.Ordinal)) is { } master ? GraphEvents.Occurrence(master, originalStart) : null;
        }

        var item = folder.Items.Find(i => string.Equals(i.Id, id, StringComparison.Ordinal));
        if (item is null || item.Data["recurrence"] is not null)
        {
            return null;
        }

        var (start, end, _) = GraphEvents.Times(item.Data);
        return new EventInstance(item, item.Id, "singleInstance", null, start.Utc, end.Utc, null);
    }

    private static List<EventInstance> ViewInstances(GraphFolder folder, DateTime from, DateTime to) =>
        folder.Items.SelectMany(i => GraphEvents.Instances(i, from, to))
            .OrderBy(i => i.StartUtc).ThenBy(i => i.Id, StringComparer.Ordinal)
            .ToList();

    private static GraphResponse CalendarView(GraphCall call, string? calendarId)
    {
        var folder = Folder(call, GraphFolderKind.Calendar, calendarId);
        var (from, to) = Window(call, required: true);
        return Page(call, "events", ViewInstances(folder, from!.Value, to!.Value), i => GraphEvents.Render(call.Mailbox, i.Master, i, call.View));
    }

    private static GraphResponse CalendarViewDelta(GraphCall call, string? calendarId)
    {
        var folder = Folder(call, GraphFolderKind.Calendar, calendarId);
        return Delta(
            call,
            folder,
            "event",
            (from, to) => ViewInstances(folder, from!.Value, to!.Value).Select(i => (i.Id, i.Version)).ToList(),
            (id, select) => FindInstance(folder, id) is { } i ? GraphEvents.Render(call.Mailbox, i.Master, i, call.View with { Select = select }) : null,
            windowed: true);
    }

    // ---- contacts and tasks ----

    /// <summary>What differs between contacts and tasks: the folder kind, the type, normalisation and rendering.</summary>
    private sealed record ItemKind(GraphFolderKind Kind, string TypeName, string EntitySet, IReadOnlySet<string> ServerManaged, Func<JsonObject, DateTimeOffset, JsonObject> Normalise, Func<GraphItem, GraphView, JsonObject> Render);

    private static readonly ItemKind Contacts = new(GraphFolderKind.ContactFolder, "contact", "contacts", GraphContacts.ServerManaged, (d, _) => GraphContacts.Normalise(d), GraphContacts.Render);

    private static readonly ItemKind Tasks = new(GraphFolderKind.TodoList, "todoTask", "tasks", GraphTasks.ServerManaged, GraphTasks.Normalise, GraphTasks.Render);

    private static GraphResponse ListItems(GraphCall call, ItemKind kind, string? folderId)
    {
        var folder = Folder(call, kind.Kind, folderId);
        return Page(call, kind.EntitySet, folder.Items, i => kind.Render(i, call.View));
    }

    private static GraphItem FindItem(GraphCall call, ItemKind kind, string? folderId, string id)
    {
        var folder = folderId is null ? null : Folder(call, kind.Kind, folderId);
        CheckId(id);
        var item = call.Mailbox.FindItem(id, kind.Kind);
        return item is null || (folder is not null && item.Folder != folder) ? throw GraphError.NotFound() : item;
    }

    private static GraphResponse GetItem(GraphCall call, ItemKind kind, string? folderId, string id) =>
        new(200, Context(call, kind.EntitySet + "/$entity", kind.Render(FindItem(call, kind, folderId, id), call.View)));

    private static GraphResponse CreateItem(GraphCall call, ItemKind kind, string? folderId)
    {
        var folder = Folder(call, kind.Kind, folderId);
        var body = Body(call, kind.TypeName);
        var data = kind.Normalise(GraphJson.Settable(body, kind.ServerManaged), call.Now);
        var item = new GraphItem(call.Mailbox.NewId(), folder, data, call.Now, call.Mailbox.NextChangeKey());
        GraphJson.StoreExtendedProperties(item, body);
        folder.Items.Add(item);
        return new GraphResponse(201, Context(call, kind.EntitySet + "/$entity", kind.Render(item, call.View)));
    }

    private static GraphResponse UpdateItem(GraphCall call, ItemKind kind, string? folderId, string id)
    {
        var item = FindItem(call, kind, folderId, id);
        CheckIfMatch(call, item.ChangeKey);
        var patch = Body(call, kind.TypeName);
        var wasCompleted = item.Data["status"]?.GetValue<string>() == "completed";
        item.Data = kind.Normalise(GraphJson.Patch(item.Data, patch, kind.ServerManaged), call.Now);
        GraphJson.StoreExtendedProperties(item, patch);
        item.ChangeKey = call.Mailbox.NextChangeKey();
        item.Modified = call.Now;
        if (kind == Tasks && !wasCompleted && item.Data["status"]?.GetValue<string>() == "completed" && item.Data["recurrence"] is JsonObject
            && NextRecurringTask(call, item) is { } completedCopy)
        {
            // As Exchange answers UpdateItem on a recurring task: the answer is the new one-off (completed) task.
            return new GraphResponse(200, Context(call, kind.EntitySet + "/$entity", kind.Render(completedCopy, call.View)));
        }

        return new GraphResponse(200, Context(call, kind.EntitySet + "/$entity", kind.Render(item, call.View)));
    }

    /// <summary>
    /// Completing a recurring task: To Do keeps tasks as Exchange task items, and Exchange leaves a
    /// completed one-off copy (a new item, without the recurrence) while the task itself (same id)
    /// moves on to the pattern's next date after its due date, not started — as "UpdateItem (Task)"
    /// documents for EWS, and as the EWS side does. Returns the copy; null (the task simply stays
    /// completed) when the series has no next date.
    /// </summary>
    private static GraphItem? NextRecurringTask(GraphCall call, GraphItem task)
    {
        var recurrence = (JsonObject)task.Data["recurrence"]!;
        var due = GraphTimes.Read(task.Data["dueDateTime"], "dueDateTime");
        var dueDate = DateOnly.FromDateTime(due.Local);
        var next = GraphRecurrence.Pattern(recurrence).Dates().FirstOrDefault(d => d > dueDate);
        if (next == default)
        {
            task.Data.Remove("recurrence");
            return null;
        }

        var copy = (JsonObject)task.Data.DeepClone();
        copy.Remove("recurrence");
        var oneOff = new GraphItem(call.Mailbox.NewId(), task.Folder, copy, call.Now, call.Mailbox.NextChangeKey());
        task.Folder.Items.Add(oneOff);

        task.Data["status"] = "notStarted";
        task.Data.Remove("completedDateTime");
        task.Data["dueDateTime"] = GraphTimes.WriteFloating(next.ToDateTime(TimeOnly.FromDateTime(due.Local)), due.ZoneName);
        if (task.Data["startDateTime"] is not null)
        {
            var start = GraphTimes.Read(task.Data["startDateTime"], "startDateTime");
            task.Data["startDateTime"] = GraphTimes.WriteFloating(start.Local + (next.ToDateTime(TimeOnly.MinValue) - dueDate.ToDateTime(TimeOnly.MinValue)), start.ZoneName);
        }

        return oneOff;
    }

    private static GraphResponse DeleteItem(GraphCall call, ItemKind kind, string? folderId, string id)
    {
        var item = FindItem(call, kind, folderId, id);
        CheckIfMatch(call, item.ChangeKey);
        item.Folder.Items.Remove(item);
        return new GraphResponse(204);
    }

    private static GraphResponse ItemDelta(GraphCall call, ItemKind kind, string? folderId)
    {
        var folder = Folder(call, kind.Kind, folderId);
        return Delta(
            call,
            folder,
            kind.TypeName,
            (_, _) => folder.Items.Select(i => (i.Id, i.ChangeKey)).ToList(),
            (id, select) => folder.Items.Find(i => string.Equals(i.Id, id, StringComparison.Ordinal)) is { } i ? kind.Render(i, call.View with { Select = select }) : null,
            windowed: false);
    }

    // ---- delta ----

    /// <summary>
    /// A delta round: the first request (or one with a delta token) compares the scope's current
    /// versions with the snapshot the client has and queues the changes (new and changed first, in
    /// view order, then removals); pages of odata.maxpagesize go out with @odata.nextLink
    /// ($skiptoken) and the last one carries @odata.deltaLink ($deltatoken). Unknown, expired or
    /// invalidated tokens → 410 syncStateNotFound.
    /// </summary>
    private static GraphResponse Delta(
        GraphCall call,
        GraphFolder folder,
        string typeName,
        Func<DateTime?, DateTime?, List<(string Id, string Version)>> current,
        Func<string, IReadOnlySet<string>?, JsonObject?> render,
        bool windowed)
    {
        var box = call.Mailbox;
        var skipToken = call.Request.QueryValue("$skiptoken");
        var deltaToken = call.Request.QueryValue("$deltatoken");
        GraphDeltaState state;
        if (skipToken is not null || (deltaToken is not null && deltaToken != "latest"))
        {
            var token = skipToken ?? deltaToken!;
            if (!box.Tokens.TryGetValue(token, out var known) || known.Generation != box.TokenGeneration || known.FolderId != folder.Id
                || (skipToken is not null) != (known.Pending is not null))
            {
                throw new GraphError(410, "syncStateNotFound", "The sync state generation is not found or has expired; start a new round of delta queries without a token.");
            }

            state = known;
        }
        else
        {
            var (from, to) = windowed ? Window(call, required: true) : (null, null);
            if (windowed && to <= from)
            {
                throw GraphError.BadRequest("ErrorInvalidParameter", "The endDateTime must be after the startDateTime.");
            }

            state = new GraphDeltaState
            {
                Scope = typeName,
                Kind = folder.Kind,
                FolderId = folder.Id,
                WindowStart = from,
                WindowEnd = to,
                Generation = box.TokenGeneration,
                Snapshot = new Dictionary<string, string>(StringComparer.Ordinal),
                Select = call.Request.QueryValue("$select"),
            };
        }

        var select = ParseSelect(state.Select);
        if (state.Pending is null)
        {
            // Only a round's first page reads the whole scope; its later pages render their own entries.
            var versions = current(state.WindowStart, state.WindowEnd);
            var snapshot = versions.ToDictionary(c => c.Id, c => c.Version, StringComparer.Ordinal);
            var pending = deltaToken == "latest"
                ? []
                : versions.Where(c => !state.Snapshot.TryGetValue(c.Id, out var seen) || seen != c.Version).Select(c => new GraphDeltaEntry(c.Id, false))
                    .Concat(state.Snapshot.Keys.Where(id => !snapshot.ContainsKey(id)).Select(id => new GraphDeltaEntry(id, true)))
                    .ToList();
            state = Copy(state, snapshot, pending, 0);
        }

        var size = PageSize(call);
        var page = state.Pending!.Skip(state.Position).Take(size).ToList();
        var value = new JsonArray();
        foreach (var entry in page)
        {
            var item = entry.Removed ? null : render(entry.Id, select);
            value.Add(item ?? new JsonObject
            {
                ["@odata.type"] = "#microsoft.graph." + typeName,
                ["id"] = entry.Id,
                ["@removed"] = new JsonObject { ["reason"] = "deleted" },
            });
        }

        var result = new JsonObject { ["@odata.context"] = call.Request.ServiceRoot + "$metadata#Collection(" + typeName + ")" };
        var link = call.Request.ServiceRoot + call.Request.Path.TrimStart('/');
        var next = state.Position + page.Count;
        string newToken = NewToken(box);
        if (next < state.Pending!.Count)
        {
            box.Remember(newToken, Copy(state, state.Snapshot, state.Pending, next));
            result["@odata.nextLink"] = link + "?$skiptoken=" + newToken;
        }
        else
        {
            box.Remember(newToken, Copy(state, state.Snapshot, null, 0));
            result["@odata.deltaLink"] = link + "?$deltatoken=" + newToken;
        }

        result["value"] = value;
        return new GraphResponse(200, result).With("Preference-Applied", "odata.track-changes");
    }

    /// <summary>The state of the same round (scope, window, generation, $select) at another point of it.</summary>
    private static GraphDeltaState Copy(GraphDeltaState state, IReadOnlyDictionary<string, string> snapshot, IReadOnlyList<GraphDeltaEntry>? pending, int position) => new()
    {
        Scope = state.Scope,
        Kind = state.Kind,
        FolderId = state.FolderId,
        WindowStart = state.WindowStart,
        WindowEnd = state.WindowEnd,
        Generation = state.Generation,
        Snapshot = snapshot,
        Pending = pending,
        Position = position,
        Select = state.Select,
    };

    private static string NewToken(GraphMailbox box)
    {
        var bytes = RandomNumberGenerator.GetBytes(64 + box.Tenant.Options.Graph.TokenPaddingBytes);
        return Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }

    // ---- shared ----

    public static IReadOnlySet<string>? ParseSelect(string? select) =>
        string.IsNullOrWhiteSpace(select) ? null : select.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal);

    private static int PageSize(GraphCall call)
    {
        var top = call.Request.QueryValue("$top") is { } text && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var t) ? t : (int?)null;
        return Math.Clamp(call.MaxPageSize ?? top ?? DefaultPageSize, 1, MaxPageSize);
    }

    /// <summary>A list with $top/$skip paging (and odata.maxpagesize), @odata.nextLink carrying $skip.</summary>
    private static GraphResponse Page<T>(GraphCall call, string entitySet, IReadOnlyList<T> items, Func<T, JsonObject> render)
    {
        var skip = call.Request.QueryValue("$skip") is { } text && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var s) ? s : 0;
        var size = PageSize(call);
        var page = items.Skip(skip).Take(size).Select(i => (JsonNode?)render(i)).ToArray();
        var result = new JsonObject { ["@odata.context"] = call.Request.ServiceRoot + "$metadata#" + entitySet };
        if (skip + page.Length < items.Count)
        {
            var query = call.Request.Query.Where(q => !string.Equals(q.Key, "$skip", StringComparison.OrdinalIgnoreCase))
                .Select(q => (q.Key.StartsWith('$') ? "$" + Uri.EscapeDataString(q.Key[1..]) : Uri.EscapeDataString(q.Key)) + "=" + Uri.EscapeDataString(q.Value))
                .Append("$skip=" + (skip + page.Length).ToString(CultureInfo.InvariantCulture));
            result["@odata.nextLink"] = call.Request.ServiceRoot + call.Request.Path.TrimStart('/') + "?" + string.Join('&', query);
        }

        result["value"] = new JsonArray(page);
        return new GraphResponse(200, result);
    }

    private static GraphResponse Collection(GraphCall call, string entitySet, List<JsonObject> items) =>
        Page(call, entitySet, items, i => GraphJson.Select(i, call.View.Select));

    private static JsonObject Context(GraphCall call, string entity, JsonObject item)
    {
        var result = new JsonObject { ["@odata.context"] = call.Request.ServiceRoot + "$metadata#users('" + call.Mailbox.UserPrincipalName + "')/" + entity };
        foreach (var (name, value) in item.ToList())
        {
            item.Remove(name);
            result[name] = value;
        }

        return result;
    }

    /// <summary>The request body as an object of the type, checked against the schema (400 like Graph otherwise).</summary>
    private static JsonObject Body(GraphCall call, string typeName)
    {
        if (call.Request.BodyError is { } error)
        {
            throw GraphError.BadRequest("BadRequest", "Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format. " + error);
        }

        if (call.Request.Body is not JsonObject body)
        {
            throw GraphError.BadRequest("BadRequest", "Empty Payload. JSON content expected.");
        }

        if (GraphSchema.Validate(body, typeName) is { } problem)
        {
            throw GraphError.BadRequest("RequestBodyRead", problem);
        }

        return body;
    }

    /// <summary>If-Match with an etag (W/"changeKey") that is not the item's current one → 412.</summary>
    private static void CheckIfMatch(GraphCall call, string changeKey)
    {
        var header = call.Request.Header("If-Match");
        if (string.IsNullOrWhiteSpace(header) || header.Trim() == "*")
        {
            return;
        }

        var given = header.Trim();
        if (given.StartsWith("W/", StringComparison.Ordinal))
        {
            given = given[2..];
        }

        given = given.Trim('"');
        if (!string.Equals(given, changeKey, StringComparison.Ordinal))
        {
            throw new GraphError(412, "ErrorIrresolvableConflict", "The send or update operation could not be performed because the change key passed in the request does not match the current change key for the item.");
        }
    }
}
