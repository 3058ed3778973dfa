using Connector.Sync.Stores;

namespace Connector.Sync.State;

/// <summary>A consenting user as the worker tracks them.</summary>
public sealed record UserRecord
{
    /// <summary>Nextcloud user id; the key.</summary>
    public required string UserId { get; init; }

    /// <summary>The Exchange mailbox (SMTP address).</summary>
    public required string Mailbox { get; init; }

    /// <summary>Which kinds to sync for this user (Service__SyncMode bits).</summary>
    public ItemKind SyncMode { get; init; } = ItemKind.Event | ItemKind.Contact;

    public bool Enabled { get; init; } = true;

    /// <summary>The admins.json identity serving this user (sticky); null until assigned.</summary>
    public string? IdentityName { get; init; }

    /// <summary>When the user is next due for a sync (UTC).</summary>
    public DateTimeOffset DueAt { get; init; }

    public DateTimeOffset? LastSuccessAt { get; init; }

    public DateTimeOffset? LastAttemptAt { get; init; }

    /// <summary>Last failure of the whole user sync (never item content).</summary>
    public string? LastError { get; init; }

    public int ConsecutiveFailures { get; init; }
}

public enum PairState
{
    Active,

    /// <summary>Stopped by the empty-side guard or an administrator (S06); needs attention, not retried.</summary>
    Halted,
}

/// <summary>An Exchange folder and a Nextcloud collection kept in step for one user.</summary>
public sealed record FolderPair
{
    public long PairId { get; init; }

    public required string UserId { get; init; }

    public required ItemKind Kind { get; init; }

    public required string ExchangeCollectionId { get; init; }

    public required string NextcloudCollectionId { get; init; }

    /// <summary>Opaque change-feed token of the Exchange side (EWS SyncState can be many KB; S22).</summary>
    public string? ExchangeToken { get; init; }

    public string? NextcloudToken { get; init; }

    /// <summary>True once the first full pairing finished; until then the user is critical.</summary>
    public bool FirstSyncCompleted { get; init; }

    public PairState State { get; init; } = PairState.Active;

    public string? StateReason { get; init; }
}

/// <summary>
/// One item known on both sides (or on one, while the other write is pending): the ids and the
/// versions last seen or written on each side, and the normalised content hash. Versions the engine
/// wrote itself are stored here, which is how their echo is recognised (S13).
/// </summary>
public sealed record ItemRelation
{
    public long PairId { get; init; }

    public required string Uid { get; init; }

    public string? ExchangeId { get; init; }

    public string? ExchangeVersion { get; init; }

    public string? NextcloudId { get; init; }

    public string? NextcloudVersion { get; init; }

    /// <summary>Hash of the normalised content both sides agreed on at the last sync.</summary>
    public string? ContentHash { get; init; }

    /// <summary>Why the item could not be synced (S21), with the versions it failed at, so it is retried when one changes.</summary>
    public string? LastError { get; init; }

    public string? ErrorExchangeVersion { get; init; }

    public string? ErrorNextcloudVersion { get; init; }

    public DateTimeOffset UpdatedAt { get; init; }
}

/// <summary>A line of the per-user sync log an administrator reads in `status`.</summary>
public sealed record SyncLogEntry(string UserId, DateTimeOffset At, string Level, string Message);
