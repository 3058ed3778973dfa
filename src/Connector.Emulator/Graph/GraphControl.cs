using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Connector.Emulator.Graph;

/// <summary>/emulator/graph/*: the tenant's mailboxes, token invalidation, outboxes (no authentication: a loopback test tool).</summary>
internal static class GraphControl
{
    public static void Map(RouteGroupBuilder control, GraphTenant tenant)
    {
        control.MapGet("/graph/users", () => Results.Json(tenant.Mailboxes.Select(m =>
        {
            lock (m.Gate)
            {
                return new
                {
                    id = m.Id,
                    userPrincipalName = m.UserPrincipalName,
                    displayName = m.DisplayName,
                    folders = m.Folders.Select(f => new { id = f.Id, kind = f.Kind.ToString(), displayName = f.DisplayName, items = f.Items.Count }),
                    outbox = m.Outbox.Count,
                    tokens = m.Tokens.Count,
                };
            }
        })));
        control.MapPost("/graph/users/{user}/invalidate-delta-tokens", (string user) =>
        {
            if (tenant.Find(user) is null)
            {
                return Results.NotFound();
            }

            InvalidateTokens(tenant, user);
            return Results.NoContent();
        });
        control.MapGet("/graph/operations", () => Results.Json(Operations));
    }

    /// <summary>The Graph operations served (names used in the request log and by fault rules' Operation).</summary>
    public static IReadOnlyList<string> Operations { get; } =
    [
        "ListCalendars", "GetCalendar", "CreateCalendar", "ListEvents", "CreateEvent", "GetEvent", "UpdateEvent", "DeleteEvent",
        "CancelEvent", "ListInstances", "CalendarView", "CalendarViewDelta", "ListContactFolders", "GetContactFolder",
        "CreateContactFolder", "ListContacts", "CreateContact", "GetContact", "UpdateContact", "DeleteContact", "ContactsDelta",
        "ListTodoLists", "GetTodoList", "CreateTodoList", "ListTasks", "CreateTask", "GetTask", "UpdateTask", "DeleteTask",
        "TasksDelta", "$batch",
    ];

    public static void InvalidateTokens(GraphTenant tenant, string user)
    {
        var mailbox = tenant.Find(user) ?? throw new ArgumentException($"no Graph mailbox {user}", nameof(user));
        lock (mailbox.Gate)
        {
            mailbox.TokenGeneration++;
        }
    }

    public static List<OutboxMessage> Outbox(GraphTenant tenant, string? user) =>
        tenant.Mailboxes
            .Where(m => user is null || string.Equals(m.UserPrincipalName, user, StringComparison.OrdinalIgnoreCase) || string.Equals(m.Id, user, StringComparison.OrdinalIgnoreCase))
            .SelectMany(m =>
            {
                lock (m.Gate)
                {
                    return m.Outbox.ToList();
                }
            })
            .OrderBy(m => m.Sequence)
            .ToList();

    public static void ClearOutbox(GraphTenant tenant, string? user)
    {
        foreach (var mailbox in tenant.Mailboxes.Where(m => user is null || string.Equals(m.UserPrincipalName, user, StringComparison.OrdinalIgnoreCase)))
        {
            lock (mailbox.Gate)
            {
                mailbox.Outbox.Clear();
            }
        }
    }
}
