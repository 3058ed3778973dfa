namespace Connector.Emulator.Graph;

/// <summary>One change in a delta round: an item to send in full, or one to send as @removed.</summary>
internal readonly record struct GraphDeltaEntry(string Id, bool Removed);

/// <summary>
/// What a delta or skip token stands for. A delta token holds the snapshot of the scope (item or
/// instance id → version) the client has seen; a skip token holds the rest of a round (the
/// changes not yet paged out) and the snapshot the round's delta link will carry.
/// </summary>
internal sealed class GraphDeltaState
{
    public required string Scope { get; init; }

    public required GraphFolderKind Kind { get; init; }

    public required string FolderId { get; init; }

    /// <summary>calendarView delta: the window (UTC) given in the first request; tokens encode it, as Graph's do.</summary>
    public DateTime? WindowStart { get; init; }

    public DateTime? WindowEnd { get; init; }

    public required int Generation { get; init; }

    /// <summary>Delta token: what the client has (id → version). Skip token: what the delta link at the end will carry.</summary>
    public required IReadOnlyDictionary<string, string> Snapshot { get; init; }

    /// <summary>Skip token: the changes of the round; null for a delta token.</summary>
    public IReadOnlyList<GraphDeltaEntry>? Pending { get; init; }

    /// <summary>Skip token: where the next page starts in <see cref="Pending"/>.</summary>
    public int Position { get; init; }

    /// <summary>The $select of the first request (kept for the whole round, as Graph does).</summary>
    public string? Select { get; init; }
}
