namespace Connector.Sync.Stores;

public enum ChangeKind
{
    /// <summary>Created or modified; fetch it to see which.</summary>
    Upserted,

    Deleted,
}

/// <summary>One entry of a change feed: an item id and, unless deleted, its current version.</summary>
public sealed record ItemChange(ChangeKind Kind, string Id, string? Version);

public enum ChangeFeedStatus
{
    /// <summary><see cref="ChangeFeed.Changes"/> holds what changed since the token.</summary>
    Changes,

    /// <summary>
    /// <see cref="ChangeFeed.Changes"/> holds every item present (all <see cref="ChangeKind.Upserted"/>);
    /// an item not listed is gone. Returned when no token was given, and by stores without an
    /// incremental feed whenever the collection changed (DAV servers without sync-collection).
    /// </summary>
    FullListing,

    /// <summary>
    /// The token was rejected or expired (EWS ErrorInvalidSyncStateData, Graph 410, DAV valid-sync-token,
    /// a Nextcloud token that went backwards). Nothing is known about changes: ask for a full listing.
    /// Never read this as "no changes" (S05).
    /// </summary>
    TokenInvalid,
}

/// <summary>What a store's change feed returned for one call.</summary>
public sealed record ChangeFeed
{
    public required ChangeFeedStatus Status { get; init; }

    public IReadOnlyList<ItemChange> Changes { get; init; } = [];

    /// <summary>The token to save once these changes are committed (never before: S05). Null with <see cref="ChangeFeedStatus.TokenInvalid"/>.</summary>
    public string? NewToken { get; init; }

    /// <summary>True when the store has more changes after this page (EWS pages of ≤ 512); call again with <see cref="NewToken"/>.</summary>
    public bool MoreAvailable { get; init; }

    public static ChangeFeed Invalid { get; } = new() { Status = ChangeFeedStatus.TokenInvalid };
}
