using System.Globalization;
using Connector.Domain;
using Connector.Sync.Stores;

namespace Connector.Testing.Fakes;

/// <summary>
/// An item store in memory for engine tests: versions are counters, the token is a position in the
/// change log, and faults can be switched on (failing writes, versions that move without a change,
/// forgotten tokens).
/// </summary>
public sealed class InMemoryItemStore : IItemStore
{
    private readonly Dictionary<string, (string Version, ISyncItem Item)> _items = new(StringComparer.Ordinal);
    private readonly List<ItemChange> _log = [];
    private readonly string _prefix;
    private int _nextId;
    private int _nextVersion;

    public InMemoryItemStore(string prefix) => _prefix = prefix;

    public StoreCapabilities Capabilities { get; } = new() { Kinds = ItemKind.Event | ItemKind.Task | ItemKind.Contact };

    public CollectionInfo Collection { get; } = new("c", "Collection", ItemKind.Event);

    /// <summary>Called before every write; return a status to make that write fail.</summary>
    public Func<string, WriteStatus?>? WriteFault { get; set; }

    /// <summary>Called before every write; throw to simulate the process dying or the connection dropping.</summary>
    public Action<string>? BeforeWrite { get; set; }

    /// <summary>When true, the next change-feed call with a token answers TokenInvalid.</summary>
    public bool ForgetTokens { get; set; }

    /// <summary>When true, writes return no version (like a DAV server that sends no ETag).</summary>
    public bool HideWriteVersions { get; set; }

    public int Writes { get; private set; }

    public int ChangeFeedCalls { get; private set; }

    public IReadOnlyDictionary<string, (string Version, ISyncItem Item)> Items => _items;

    public IEnumerable<ISyncItem> All => _items.Values.Select(v => v.Item);

    public ISyncItem? ByUid(string uid) => _items.Values.Select(v => v.Item).FirstOrDefault(i => i.Uid == uid);

    public string? IdOf(string uid) => _items.FirstOrDefault(p => p.Value.Item.Uid == uid).Key;

    /// <summary>An edit by a user or another client (not through the engine).</summary>
    public string Put(ISyncItem item)
    {
        var id = IdOf(item.Uid) ?? NewId();
        Store(id, item);
        return id;
    }

    public void Remove(string uid)
    {
        if (IdOf(uid) is { } id)
        {
            _items.Remove(id);
            _log.Add(new ItemChange(ChangeKind.Deleted, id, null));
        }
    }

    /// <summary>A new version with the same content, as servers do when they rewrite an item.</summary>
    public void Touch(string uid)
    {
        if (IdOf(uid) is { } id)
        {
            Store(id, _items[id].Item);
        }
    }

    public Task<IReadOnlyList<CollectionInfo>> DiscoverCollectionsAsync(ItemKind kinds, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<CollectionInfo>>([Collection]);

    public Task<CollectionInfo> CreateCollectionAsync(string displayName, ItemKind kind, CancellationToken cancellationToken) =>
        Task.FromResult(Collection);

    public Task<ChangeFeed> GetChangesAsync(CollectionInfo collection, string? sinceToken, CancellationToken cancellationToken)
    {
        ChangeFeedCalls++;
        var token = _log.Count.ToString(CultureInfo.InvariantCulture);
        if (sinceToken is null)
        {
            return Task.FromResult(new ChangeFeed
            {
                Status = ChangeFeedStatus.FullListing,
                Changes = [.. _items.Select(p => new ItemChange(ChangeKind.Upserted, p.Key, p.Value.Version))],
                NewToken = token,
            });
        }

        if (ForgetTokens || !int.TryParse(sinceToken, CultureInfo.InvariantCulture, out var position) || position > _log.Count)
        {
            ForgetTokens = false;
            return Task.FromResult(ChangeFeed.Invalid);
        }

        return Task.FromResult(new ChangeFeed { Status = ChangeFeedStatus.Changes, Changes = [.. _log.Skip(position)], NewToken = token });
    }

    public Task<IReadOnlyList<FetchResult>> FetchAsync(CollectionInfo collection, IReadOnlyList<string> ids, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<FetchResult>>([.. ids.Select(id => _items.TryGetValue(id, out var v)
            ? v.Item.Uid.StartsWith("unreadable", StringComparison.Ordinal)
                ? new FetchResult(id, FetchStatus.Unreadable, Reason: "test item marked unreadable")
                : FetchResult.Found(new StoreItem(id, v.Version, v.Item))
            : new FetchResult(id, FetchStatus.NotFound))]);

    public Task<WriteResult> CreateAsync(CollectionInfo collection, ISyncItem item, CancellationToken cancellationToken)
    {
        BeforeWrite?.Invoke(item.Uid);
        if (WriteFault?.Invoke(item.Uid) is { } fault)
        {
            return Task.FromResult(WriteResult.Failed(fault, "injected"));
        }

        if (IdOf(item.Uid) is not null)
        {
            return Task.FromResult(WriteResult.Failed(WriteStatus.AlreadyExists, "UID exists"));
        }

        var id = NewId();
        var version = Store(id, item);
        Writes++;
        return Task.FromResult(WriteResult.Success(id, HideWriteVersions ? null : version));
    }

    public Task<WriteResult> UpdateAsync(CollectionInfo collection, string id, string expectedVersion, ISyncItem item, CancellationToken cancellationToken)
    {
        BeforeWrite?.Invoke(item.Uid);
        if (WriteFault?.Invoke(item.Uid) is { } fault)
        {
            return Task.FromResult(WriteResult.Failed(fault, "injected"));
        }

        if (!_items.TryGetValue(id, out var current))
        {
            return Task.FromResult(WriteResult.Failed(WriteStatus.NotFound));
        }

        if (current.Version != expectedVersion)
        {
            return Task.FromResult(WriteResult.Failed(WriteStatus.PreconditionFailed));
        }

        var version = Store(id, item);
        Writes++;
        return Task.FromResult(WriteResult.Success(id, HideWriteVersions ? null : version));
    }

    public Task<WriteResult> DeleteAsync(CollectionInfo collection, string id, string expectedVersion, CancellationToken cancellationToken)
    {
        BeforeWrite?.Invoke(id);
        if (_items.TryGetValue(id, out var current) && WriteFault?.Invoke(current.Item.Uid) is { } fault)
        {
            return Task.FromResult(WriteResult.Failed(fault, "injected"));
        }

        if (!_items.TryGetValue(id, out current))
        {
            return Task.FromResult(WriteResult.Failed(WriteStatus.NotFound));
        }

        if (current.Version != expectedVersion)
        {
            return Task.FromResult(WriteResult.Failed(WriteStatus.PreconditionFailed));
        }

        _items.Remove(id);
        _log.Add(new ItemChange(ChangeKind.Deleted, id, null));
        Writes++;
        return Task.FromResult(WriteResult.Success(id, null));
    }

    private string NewId() => $"{_prefix}-{++_nextId}";

    private string Store(string id, ISyncItem item)
    {
        var version = $"v{++_nextVersion}";
        _items[id] = (version, item);
        _log.Add(new ItemChange(ChangeKind.Upserted, id, version));
        return version;
    }
}
