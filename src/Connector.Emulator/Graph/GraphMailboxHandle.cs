using System.Text.Json.Nodes;
using Connector.Emulator.Graph;

namespace Connector.Emulator;

/// <summary>
/// A Microsoft 365 (Graph) mailbox of the emulator, for seeding and inspection from tests: requests
/// run through the same handlers as HTTP (no authentication, throttling, faults or latency).
/// </summary>
public sealed class GraphMailboxHandle
{
    private readonly GraphMailbox mailbox;

    internal GraphMailboxHandle(GraphMailbox mailbox)
    {
        this.mailbox = mailbox;
    }

    public string UserPrincipalName => mailbox.UserPrincipalName;

    /// <summary>The user's directory id (GUID), usable in /users/{id}.</summary>
    public string Id => mailbox.Id;

    public string DefaultCalendarId => Locked(() => mailbox.DefaultFolder(GraphFolderKind.Calendar).Id);

    public string DefaultContactFolderId => Locked(() => mailbox.DefaultFolder(GraphFolderKind.ContactFolder).Id);

    public string DefaultTodoListId => Locked(() => mailbox.DefaultFolder(GraphFolderKind.TodoList).Id);

    /// <summary>
    /// Runs a request below /users/{user}/ (e.g. ("POST", "events", body)) and returns status and
    /// body; a 4xx/5xx is returned, not thrown.
    /// </summary>
    public (int Status, JsonNode? Body) Invoke(string method, string pathBelowUser, JsonNode? body = null)
    {
        var response = GraphDirect.Invoke(mailbox, method, pathBelowUser, body);
        return (response.Status, response.Body);
    }

    /// <summary>Seeds an event as the mailbox's owner would create it (no transaction id); returns its Graph JSON.</summary>
    public JsonObject CreateEvent(JsonObject body) => GraphDirect.Require(mailbox, "POST", "events", body);

    /// <summary>
    /// Seeds a meeting this mailbox received from <paramref name="organizerAddress"/> (isOrganizer
    /// false: changing or deleting it sends nothing).
    /// </summary>
    public JsonObject ReceiveMeeting(JsonObject body, string organizerAddress, string? organizerName = null)
    {
        var created = GraphDirect.Require(mailbox, "POST", "events", body);
        lock (mailbox.Gate)
        {
            var item = mailbox.FindItem(created["id"]!.GetValue<string>(), GraphFolderKind.Calendar)!;
            item.Data["organizer"] = new JsonObject { ["emailAddress"] = new JsonObject { ["name"] = organizerName ?? organizerAddress, ["address"] = organizerAddress } };
            item.Data["responseStatus"] = new JsonObject { ["response"] = "accepted", ["time"] = GraphTimes.Instant(mailbox.Tenant.Now) };
            mailbox.Outbox.RemoveAll(m => m.ItemId == item.Id);
        }

        return GraphDirect.Require(mailbox, "GET", "events/" + created["id"]!.GetValue<string>());
    }

    /// <summary>Number of items (series count once) in the mailbox's folders of one kind: "calendar", "contacts", "tasks".</summary>
    public int Count(string kind) => Locked(() => mailbox.Folders
        .Where(f => f.Kind == kind switch { "calendar" => GraphFolderKind.Calendar, "contacts" => GraphFolderKind.ContactFolder, "tasks" => GraphFolderKind.TodoList, _ => throw new ArgumentException("calendar, contacts or tasks", nameof(kind)) })
        .Sum(f => f.Items.Count));

    private T Locked<T>(Func<T> read)
    {
        lock (mailbox.Gate)
        {
            return read();
        }
    }
}
