namespace Connector.Worker.Observability;

/// <summary>
/// What `status`, <c>/api/status</c> and <c>/health/ready</c> show: the users, their identity, last
/// success, lag and last error, and the identities with their quarantine state. Never a secret,
/// never item content.
/// </summary>
public sealed record WorkerStatus
{
    public required DateTimeOffset At { get; init; }

    /// <summary>True when the state store answered.</summary>
    public required bool DatabaseReachable { get; init; }

    public IReadOnlyList<UserStatus> Users { get; init; } = [];

    public IReadOnlyList<IdentityStatus> Identities { get; init; } = [];

    /// <summary>Ready: the database answers and at least one identity is usable (or none is configured yet).</summary>
    public bool Ready => DatabaseReachable && (Identities.Count == 0 || Identities.Any(i => !i.Quarantined));
}

public sealed record UserStatus
{
    public required string UserId { get; init; }

    public required string Mailbox { get; init; }

    public string? Identity { get; init; }

    public bool Enabled { get; init; } = true;

    public DateTimeOffset? LastSuccessAt { get; init; }

    public DateTimeOffset DueAt { get; init; }

    /// <summary>Now minus the last success; null before the first success.</summary>
    public TimeSpan? Lag { get; init; }

    public string? LastError { get; init; }

    public int ConsecutiveFailures { get; init; }
}

public sealed record IdentityStatus
{
    public required string Name { get; init; }

    /// <summary>"Ews" or "Graph".</summary>
    public required string Backend { get; init; }

    public int AssignedUsers { get; init; }

    public int MaxUsers { get; init; }

    public bool Quarantined { get; init; }

    public string? QuarantineReason { get; init; }

    /// <summary>Set while the identity is backing off after a throttling answer.</summary>
    public DateTimeOffset? BackingOffUntil { get; init; }
}

/// <summary>Reads the current <see cref="WorkerStatus"/> (state store + the pool's in-memory view).</summary>
public interface IWorkerStatusSource
{
    Task<WorkerStatus> GetStatusAsync(CancellationToken cancellationToken);
}
