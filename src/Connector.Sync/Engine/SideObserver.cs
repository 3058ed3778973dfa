using Connector.Sync.State;
using Connector.Sync.Stores;

namespace Connector.Sync.Engine;

/// <summary>
/// Reads one side's change feed and turns it, with the relation table, into an observation per
/// UID: fetches what may have changed, compares normalised content, and names what cannot be read.
/// </summary>
internal sealed class SideObserver
{
    /// <summary>Relations for items seen only as unreadable carry a placeholder UID of this form.</summary>
    public const string PlaceholderPrefix = "!unreadable:";

    private readonly Side _side;
    private readonly IItemStore _store;
    private readonly CollectionInfo _collection;

    public SideObserver(Side side, IItemStore store, CollectionInfo collection)
    {
        _side = side;
        _store = store;
        _collection = collection;
    }

    public Dictionary<string, Observation> Observations { get; } = new(StringComparer.Ordinal);

    /// <summary>Present items by UID (only those fetched this run).</summary>
    public Dictionary<string, SideItem> Items { get; } = new(StringComparer.Ordinal);

    /// <summary>Relations whose stored version moved without a content change: only the version is updated.</summary>
    public Dictionary<string, string> RefreshedVersions { get; } = new(StringComparer.Ordinal);

    /// <summary>UIDs not to act on this run (unreadable, or still at the version that failed).</summary>
    public HashSet<string> Skipped { get; } = new(StringComparer.Ordinal);

    public List<ItemProblem> Problems { get; } = [];

    /// <summary>Placeholder relations to add (unreadable new items) or drop (readable or gone again).</summary>
    public List<ItemRelation> NewPlaceholders { get; } = [];

    public List<string> DroppedPlaceholders { get; } = [];

    public bool IsFullListing { get; private set; }

    public bool TokenWasInvalid { get; private set; }

    public string? NewToken { get; private set; }

    public int Fetched { get; private set; }

    /// <summary>Deleted items this run and the number of relations that had an item on this side.</summary>
    public (int Deleted, int Known) DeletionShare { get; private set; }

    public async Task ObserveAsync(string? token, IReadOnlyCollection<ItemRelation> relations, CancellationToken cancellationToken)
    {
        var changes = await ReadFeedAsync(token, cancellationToken);
        var byId = new Dictionary<string, ItemRelation>(StringComparer.Ordinal);
        foreach (var r in relations)
        {
            if (SideId(r) is { } id)
            {
                byId[id] = r;
            }
        }

        var candidates = new Dictionary<string, (ItemRelation? Relation, string? Version)>(StringComparer.Ordinal); // id -> relation (null: new)
        var deleted = 0;
        var known = 0;
        foreach (var r in relations)
        {
            if (SideId(r) is not { } id)
            {
                continue;
            }

            var isPlaceholder = r.Uid.StartsWith(PlaceholderPrefix, StringComparison.Ordinal);
            known += isPlaceholder ? 0 : 1;
            changes.TryGetValue(id, out var change);
            var gone = IsFullListing ? change is null : change?.Kind == ChangeKind.Deleted;
            if (gone)
            {
                if (isPlaceholder)
                {
                    DroppedPlaceholders.Add(r.Uid);
                }
                else
                {
                    Observations[r.Uid] = Observation.Deleted;
                    deleted++;
                }

                continue;
            }

            var version = change?.Version;
            var unchanged = change is null || version == SideVersion(r);

            // A relation with only this side's id is an unfinished create (failed, or the process died
            // after writing): the item is needed again as the source of that create.
            var halfDone = !isPlaceholder && OtherSideId(r) is null && r.LastError is null;
            if (unchanged && halfDone)
            {
                candidates[id] = (r, version ?? SideVersion(r));
                continue;
            }

            if (unchanged)
            {
                if (!isPlaceholder)
                {
                    Observations[r.Uid] = Observation.Unchanged;
                }

                continue;
            }

            if (r.LastError is not null && version == ErrorVersion(r))
            {
                // Still the version that failed: retried only when it changes (S21).
                Skipped.Add(r.Uid);
                continue;
            }

            candidates[id] = (isPlaceholder ? null : r, version);
            if (isPlaceholder)
            {
                DroppedPlaceholders.Add(r.Uid);
            }
        }

        foreach (var (id, change) in changes)
        {
            if (change.Kind == ChangeKind.Upserted && !byId.ContainsKey(id))
            {
                candidates[id] = (null, change.Version);
            }
        }

        DeletionShare = (deleted, known);
        await FetchAndCompareAsync(candidates, relations, cancellationToken);
    }

    private async Task<Dictionary<string, ItemChange>> ReadFeedAsync(string? token, CancellationToken cancellationToken)
    {
        var changes = new Dictionary<string, ItemChange>(StringComparer.Ordinal);
        IsFullListing = token is null;
        while (true)
        {
            var feed = await _store.GetChangesAsync(_collection, token, cancellationToken);
            if (feed.Status == ChangeFeedStatus.TokenInvalid)
            {
                if (token is null)
                {
                    throw new StoreException($"{_side} store reported an invalid token for a full listing");
                }

                // S05: never "no changes"; compare everything against the relation table instead.
                TokenWasInvalid = true;
                IsFullListing = true;
                changes.Clear();
                token = null;
                continue;
            }

            IsFullListing |= feed.Status == ChangeFeedStatus.FullListing;

            // S04: paged feeds may list an item on several pages; the last entry is the current one.
            foreach (var change in feed.Changes)
            {
                changes[change.Id] = change;
            }

            token = feed.NewToken;
            if (!feed.MoreAvailable)
            {
                NewToken = feed.NewToken;
                return changes;
            }
        }
    }

    private async Task FetchAndCompareAsync(Dictionary<string, (ItemRelation? Relation, string? Version)> candidates, IReadOnlyCollection<ItemRelation> relations, CancellationToken cancellationToken)
    {
        if (candidates.Count == 0)
        {
            return;
        }

        var byUid = relations.ToDictionary(r => r.Uid, StringComparer.Ordinal);
        var results = await _store.FetchAsync(_collection, [.. candidates.Keys], cancellationToken);
        Fetched += results.Count;
        foreach (var result in results)
        {
            var (relation, listedVersion) = candidates.GetValueOrDefault(result.Id);
            switch (result.Status)
            {
                case FetchStatus.NotFound when relation is not null:
                    Observations[relation.Uid] = Observation.Deleted;
                    continue;
                case FetchStatus.NotFound:
                    continue;
                case FetchStatus.Unreadable:
                    Unreadable(result, relation, listedVersion);
                    continue;
            }

            var item = result.Item!;
            var uid = item.Item.Uid;
            var hash = ContentHasher.Hash(item.Item);
            var current = new SideItem(item.Id, item.Version, item.Item, hash);

            if (relation is not null && relation.Uid != uid)
            {
                // The item at this id now carries another UID: treat the old one as deleted, the new as new.
                Observations[relation.Uid] = Observation.Deleted;
                relation = null;
            }

            if (relation is null && byUid.TryGetValue(uid, out var existing))
            {
                var replacesDeleted = Observations.GetValueOrDefault(uid) == Observation.Deleted;
                if (SideId(existing) is { } otherId && otherId != item.Id && !replacesDeleted)
                {
                    Problems.Add(new ItemProblem(uid, _side, item.Id, $"another item ({otherId}) in this {_side} collection already has this UID"));
                    Skipped.Add(uid);
                    continue;
                }

                relation = existing;
            }

            Items[uid] = current;
            if (relation is not null && SideId(relation) == item.Id && RelationHashes.For(relation, _side) == hash)
            {
                // A new version with the same content (a server rewrite, or our own write's echo: S13).
                Observations[uid] = Observation.Unchanged;
                RefreshedVersions[uid] = item.Version;
            }
            else
            {
                Observations[uid] = Observation.Changed;
            }
        }
    }

    /// <summary>Files an item read this run under another UID (the contact pairing of S03 gave it one).</summary>
    public void Rekey(string oldUid, SideItem item)
    {
        Items.Remove(oldUid);
        Observations.Remove(oldUid);
        Items[item.Item.Uid] = item;
        Observations[item.Item.Uid] = Observation.Changed;
    }

    private void Unreadable(FetchResult result, ItemRelation? relation, string? version)
    {
        var reason = result.Reason ?? "cannot be read";
        if (relation is not null)
        {
            Problems.Add(new ItemProblem(relation.Uid, _side, result.Id, reason, version));
            Skipped.Add(relation.Uid);
            return;
        }

        var placeholder = PlaceholderPrefix + _side + ":" + result.Id;
        Problems.Add(new ItemProblem(placeholder, _side, result.Id, reason, version));
        NewPlaceholders.Add(_side == Side.Exchange
            ? new ItemRelation { Uid = placeholder, ExchangeId = result.Id, ExchangeVersion = version, LastError = reason, ErrorExchangeVersion = version }
            : new ItemRelation { Uid = placeholder, NextcloudId = result.Id, NextcloudVersion = version, LastError = reason, ErrorNextcloudVersion = version });
    }

    private string? SideId(ItemRelation r) => _side == Side.Exchange ? r.ExchangeId : r.NextcloudId;

    private string? OtherSideId(ItemRelation r) => _side == Side.Exchange ? r.NextcloudId : r.ExchangeId;

    private string? SideVersion(ItemRelation r) => _side == Side.Exchange ? r.ExchangeVersion : r.NextcloudVersion;

    private string? ErrorVersion(ItemRelation r) => _side == Side.Exchange ? r.ErrorExchangeVersion : r.ErrorNextcloudVersion;
}

/// <summary>
/// The relation's content hash holds one hash per side, "exchange:nextcloud", or one when both are
/// the same. They differ when Exchange items are transformed on their way (the sensitive mask).
/// </summary>
internal static class RelationHashes
{
    public static string Format(string exchange, string nextcloud) => exchange == nextcloud ? exchange : exchange + ":" + nextcloud;

    public static string? For(ItemRelation relation, Side side)
    {
        if (relation.ContentHash is not { } hash)
        {
            return null;
        }

        var colon = hash.IndexOf(':', StringComparison.Ordinal);
        return colon < 0 ? hash : side == Side.Exchange ? hash[..colon] : hash[(colon + 1)..];
    }
}
