namespace Connector.Emulator;

/// <summary>The kind of scheduling message Exchange would send.</summary>
public enum ScheduleMessageKind
{
    /// <summary>A meeting request (invitation) to a new attendee.</summary>
    MeetingRequest,

    /// <summary>An updated meeting request to an attendee who was already invited.</summary>
    MeetingUpdate,

    /// <summary>A meeting cancellation.</summary>
    MeetingCancellation,
}

/// <summary>
/// One scheduling message the emulated server "sent" (nothing leaves the process): who sent it,
/// to whom, about which item, and which request caused it. Tests count these per user action (S01).
/// </summary>
public sealed record OutboxMessage(
    long Sequence,
    DateTimeOffset Time,
    string Mailbox,
    ScheduleMessageKind Kind,
    string Recipient,
    string? Subject,
    string? Uid,
    string ItemId,
    DateTimeOffset? OccurrenceStart,
    string Operation,
    string SendMode,
    bool SavedCopy);
