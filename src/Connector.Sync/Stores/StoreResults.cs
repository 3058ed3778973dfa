using Connector.Domain;

namespace Connector.Sync.Stores;

/// <summary>An item read from a store with the version it was read at.</summary>
public sealed record StoreItem(string Id, string Version, ISyncItem Item);

public enum FetchStatus
{
    Found,

    /// <summary>Deleted between listing and fetching.</summary>
    NotFound,

    /// <summary>The server returned it, but it cannot be mapped (S21): skip it, report it, retry when it changes.</summary>
    Unreadable,
}

/// <summary>One item of a batch fetch. Per-item problems are results, not exceptions.</summary>
public sealed record FetchResult(string Id, FetchStatus Status, StoreItem? Item = null, string? Reason = null)
{
    public static FetchResult Found(StoreItem item) => new(item.Id, FetchStatus.Found, item);
}

public enum WriteStatus
{
    Success,

    /// <summary>The item changed since it was read (ETag / ChangeKey mismatch): re-read and plan again.</summary>
    PreconditionFailed,

    /// <summary>The item is gone.</summary>
    NotFound,

    /// <summary>Create refused because an item with that id or UID exists (create never overwrites).</summary>
    AlreadyExists,

    /// <summary>The server refused the content; <see cref="WriteResult.Reason"/> says why (e.g. Nextcloud's 400 for a UID in the trash bin, S08).</summary>
    Rejected,
}

/// <summary>
/// Outcome of one create, update or delete. <see cref="Version"/> may be null when the server did not
/// say the new version (some DAV servers send no ETag after PUT): the caller then reads it.
/// </summary>
public sealed record WriteResult(WriteStatus Status, string? Id = null, string? Version = null, string? Reason = null)
{
    public bool IsSuccess => Status == WriteStatus.Success;

    public static WriteResult Success(string id, string? version) => new(WriteStatus.Success, id, version);

    public static WriteResult Failed(WriteStatus status, string? reason = null, string? id = null) => new(status, id, null, reason);
}
