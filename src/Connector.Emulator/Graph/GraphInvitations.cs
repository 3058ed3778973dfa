using System.Text.Json.Nodes;

namespace Connector.Emulator.Graph;

/// <summary>
/// What Exchange Online sends when a mailbox's events change through Graph, which has no "send to
/// none": an organizer's new event with attendees invites them; an update that changes anything
/// attendees see (times, subject, body, location, recurrence, …) sends every kept attendee an
/// update, while an update whose body holds only <c>attendees</c> reaches only the changed ones
/// (documented on "Update event"); added attendees are invited, removed ones get a cancellation;
/// deleting or cancelling a meeting cancels it for everyone. Personal properties (categories,
/// reminder, extended properties) send nothing. Meetings the mailbox did not organise send nothing.
/// </summary>
internal static class GraphInvitations
{
    /// <summary>What attendees see of a meeting; a change to any of these is sent to them.</summary>
    private static readonly string[] VisibleProperties =
    [
        "subject", "body", "start", "end", "location", "locations", "recurrence", "isAllDay", "importance", "sensitivity",
        "hideAttendees", "allowNewTimeProposals", "isOnlineMeeting", "onlineMeetingProvider", "isCancelled", "responseRequested",
    ];

    public static void Created(GraphMailbox box, GraphItem item, string operation)
    {
        if (!IsOrganizer(box, item.Data) || item.Data["isDraft"]?.GetValue<bool>() == true)
        {
            return;
        }

        foreach (var recipient in Attendees(box, item.Data))
        {
            Send(box, ScheduleMessageKind.MeetingRequest, recipient, item, item.Data, null, operation);
        }
    }

    public static void Updated(GraphMailbox box, GraphItem item, JsonObject before, JsonObject after, DateTime? occurrence, string operation, bool onlyAttendees)
    {
        if (!IsOrganizer(box, item.Data) || after["isDraft"]?.GetValue<bool>() == true)
        {
            return;
        }

        var old = Attendees(box, before).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var now = Attendees(box, after).ToList();
        var significant = !onlyAttendees && VisibleProperties.Any(p => !JsonNode.DeepEquals(before[p], after[p]));
        foreach (var recipient in now)
        {
            if (!old.Contains(recipient))
            {
                Send(box, ScheduleMessageKind.MeetingRequest, recipient, item, after, occurrence, operation);
            }
            else if (significant)
            {
                Send(box, ScheduleMessageKind.MeetingUpdate, recipient, item, after, occurrence, operation);
            }
        }

        foreach (var recipient in old.Where(o => !now.Contains(o, StringComparer.OrdinalIgnoreCase)))
        {
            Send(box, ScheduleMessageKind.MeetingCancellation, recipient, item, after, occurrence, operation);
        }
    }

    public static void Deleted(GraphMailbox box, GraphItem item, JsonObject data, DateTime? occurrence, string operation)
    {
        if (!IsOrganizer(box, item.Data))
        {
            return;
        }

        foreach (var recipient in Attendees(box, data))
        {
            Send(box, ScheduleMessageKind.MeetingCancellation, recipient, item, data, occurrence, operation);
        }
    }

    public static bool IsOrganizer(GraphMailbox box, JsonObject data) =>
        data["organizer"]?["emailAddress"]?["address"]?.GetValue<string>() is not { } address
        || string.Equals(address, box.UserPrincipalName, StringComparison.OrdinalIgnoreCase);

    private static IEnumerable<string> Attendees(GraphMailbox box, JsonObject data) =>
        (data["attendees"] as JsonArray ?? [])
            .Select(a => a?["emailAddress"]?["address"]?.GetValue<string>())
            .OfType<string>()
            .Where(a => !string.Equals(a, box.UserPrincipalName, StringComparison.OrdinalIgnoreCase))
            .Distinct(StringComparer.OrdinalIgnoreCase);

    private static void Send(GraphMailbox box, ScheduleMessageKind kind, string recipient, GraphItem item, JsonObject data, DateTime? occurrence, string operation)
    {
        box.Outbox.Add(new OutboxMessage(
            box.Tenant.NextOutboxSequence(),
            box.Tenant.Now,
            box.UserPrincipalName,
            kind,
            recipient,
            data["subject"]?.GetValue<string>(),
            item.ICalUId,
            item.Id,
            occurrence is { } o ? new DateTimeOffset(o, TimeSpan.Zero) : null,
            operation,
            "Graph",
            SavedCopy: true));
    }
}
