using Connector.Domain;
using Connector.Sync.State;
using Connector.Sync.Stores;

namespace Connector.Sync.Engine;

/// <summary>
/// Syncs one folder pair: observes both sides, plans every item through the
/// <see cref="DecisionTable"/>, executes the actions one by one (each outcome recorded on its own)
/// and commits relations in batches; tokens are saved with the last batch, never before (S05).
/// Knows no protocol: it sees two <see cref="IItemStore"/>s and the relation table.
/// </summary>
public sealed class PairSynchronizer
{
    private readonly IItemStore _exchange;
    private readonly IItemStore _nextcloud;
    private readonly IStateStore _state;
    private readonly SyncOptions _options;
    private readonly TimeProvider _time;

    public PairSynchronizer(IItemStore exchange, IItemStore nextcloud, IStateStore state, SyncOptions options, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _exchange = exchange;
        _nextcloud = nextcloud;
        _state = state;
        _options = options;
        _time = time ?? TimeProvider.System;
    }

    public async Task<SyncReport> SyncAsync(FolderPair pair, CollectionInfo exchangeCollection, CollectionInfo nextcloudCollection, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pair);
        var report = new SyncReport { DryRun = _options.DryRun };
        if (pair.State == PairState.Halted)
        {
            report.HaltReason = pair.StateReason ?? "the pair is halted";
            return report;
        }

        var relations = (await _state.GetRelationsAsync(pair.PairId, cancellationToken)).ToDictionary(r => r.Uid, StringComparer.Ordinal);
        var exchange = new SideObserver(Side.Exchange, _exchange, exchangeCollection);
        var nextcloud = new SideObserver(Side.Nextcloud, _nextcloud, nextcloudCollection);
        await exchange.ObserveAsync(NullIfListEverything(pair.ExchangeToken), relations.Values, cancellationToken);
        await nextcloud.ObserveAsync(NullIfListEverything(pair.NextcloudToken), relations.Values, cancellationToken);
        report.ExchangeFullListing = exchange.IsFullListing;
        report.NextcloudFullListing = nextcloud.IsFullListing;
        report.ItemsFetched = exchange.Fetched + nextcloud.Fetched;
        report.Problems.AddRange(exchange.Problems);
        report.Problems.AddRange(nextcloud.Problems);

        if ((EmptySideGuard(exchange, Side.Exchange) ?? EmptySideGuard(nextcloud, Side.Nextcloud)) is { } halt)
        {
            report.HaltReason = halt;
            if (!_options.DryRun)
            {
                await _state.SavePairAsync(pair with { State = PairState.Halted, StateReason = halt }, cancellationToken);
            }

            return report;
        }

        var batch = new RelationBatch(_state, pair.PairId, _options.BatchSaveSize, _options.DryRun);
        RecordObservationsOnly(relations, exchange, nextcloud, report, batch);
        await PairContactsByKeyAsync(relations, exchange, nextcloud, exchangeCollection, report, cancellationToken);

        var uids = exchange.Observations.Keys.Union(nextcloud.Observations.Keys).ToList();
        var compared = 0;
        foreach (var uid in uids)
        {
            compared++;
            if (exchange.Skipped.Contains(uid) || nextcloud.Skipped.Contains(uid))
            {
                continue;
            }

            var e = exchange.Observations.GetValueOrDefault(uid, Observation.Absent);
            var n = nextcloud.Observations.GetValueOrDefault(uid, Observation.Absent);
            if (relations.GetValueOrDefault(uid)?.LastError is not null && e is not Observation.Changed && n is not Observation.Changed)
            {
                continue; // failed before and nothing changed since: retried when the item changes (S21)
            }

            var exItem = exchange.Items.GetValueOrDefault(uid);
            var ncItem = nextcloud.Items.GetValueOrDefault(uid);
            var same = exItem is not null && ncItem is not null && ContentHasher.Hash(ToNextcloud(exItem.Item)) == ncItem.Hash;
            var action = DecisionTable.Decide(uid, e, n, same, NewerSide(exItem, ncItem), _options);
            if (action is null)
            {
                continue;
            }

            report.Planned.Add(action);
            if (!_options.DryRun)
            {
                var relation = relations.GetValueOrDefault(uid);
                await ExecuteAsync(action, relation, exItem, ncItem, exchangeCollection, nextcloudCollection, report, batch, cancellationToken);
                if (batch.IsFull)
                {
                    await batch.FlushAsync(null, cancellationToken);
                    _options.Progress?.Report(new SyncProgress(compared, uids.Count, report.Writes));
                }
            }
        }

        var tokens = TokensToSave(exchange, nextcloud, report);
        tokens = tokens with
        {
            ExchangeToken = await ConfirmOwnWritesAsync(Side.Exchange, _exchange, exchangeCollection, tokens.ExchangeToken, report, cancellationToken),
            NextcloudToken = await ConfirmOwnWritesAsync(Side.Nextcloud, _nextcloud, nextcloudCollection, tokens.NextcloudToken, report, cancellationToken),
        };
        await batch.FlushAsync(tokens, cancellationToken);
        _options.Progress?.Report(new SyncProgress(uids.Count, uids.Count, report.Writes));
        return report;
    }

    /// <summary>
    /// New tokens are saved only when every change they cover was applied or recorded as an item
    /// error (S05). A write that failed for a passing reason (the target changed meanwhile) keeps both
    /// old tokens, so the next run reads both changes again (the source's, and the target's that made
    /// the write fail); a create refused because the target already holds that UID also clears the
    /// target's token, so its next full listing finds the item and pairs the two.
    /// </summary>
    private static PairTokens TokensToSave(SideObserver exchange, SideObserver nextcloud, SyncReport report)
    {
        var exchangeToken = exchange.NewToken;
        var nextcloudToken = nextcloud.NewToken;
        foreach (var (action, status) in report.FailedWrites)
        {
            if (status is WriteStatus.Rejected)
            {
                continue; // recorded on the relation; retried when the item changes
            }

            if (exchangeToken != PairTokens.ListEverything)
            {
                exchangeToken = null;
            }

            if (nextcloudToken != PairTokens.ListEverything)
            {
                nextcloudToken = null;
            }

            if (status is WriteStatus.AlreadyExists)
            {
                if (action.Target == Side.Exchange)
                {
                    exchangeToken = PairTokens.ListEverything;
                }
                else
                {
                    nextcloudToken = PairTokens.ListEverything;
                }
            }
        }

        return new PairTokens(exchangeToken, nextcloudToken, FirstSyncCompleted: true);
    }

    /// <summary>
    /// A token read before this run's writes would later show an item the run created and a user
    /// deleted soon after as nothing at all (change feeds report net changes: EWS SyncFolderItems,
    /// scan-based listings), and the deletion would be lost. So after writing to a side, its feed is
    /// read once more: when everything it reports is this run's own writes, at the versions the store
    /// returned, the newer token is kept; anything else (someone else's change, an unknown version)
    /// keeps the older token, so that change is read next run.
    /// </summary>
    private static async Task<string?> ConfirmOwnWritesAsync(Side side, IItemStore store, CollectionInfo collection, string? token, SyncReport report, CancellationToken cancellationToken)
    {
        var own = report.OwnWrites.Where(w => w.Side == side).ToList();
        if (own.Count == 0 || string.IsNullOrEmpty(token) || own.Any(w => !w.Deleted && w.Version is null))
        {
            return token;
        }

        var written = own.Where(w => !w.Deleted).GroupBy(w => w.Id, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Last().Version, StringComparer.Ordinal);
        var deleted = own.Where(w => w.Deleted).Select(w => w.Id).ToHashSet(StringComparer.Ordinal);
        var current = token;
        while (true)
        {
            var feed = await store.GetChangesAsync(collection, current, cancellationToken);
            if (feed.Status != ChangeFeedStatus.Changes || feed.NewToken is null)
            {
                return token;
            }

            foreach (var change in feed.Changes)
            {
                var isOwn = change.Kind == ChangeKind.Deleted
                    ? deleted.Contains(change.Id)
                    : written.TryGetValue(change.Id, out var version) && version == change.Version;
                if (!isOwn)
                {
                    return token;
                }
            }

            current = feed.NewToken;
            if (!feed.MoreAvailable)
            {
                return current;
            }
        }
    }

    /// <summary>
    /// S03 for contacts: a contact new on each side under different UIDs but with the same name and
    /// e-mail (<see cref="ContactMatcher"/>) is one contact. The Exchange copy takes the Nextcloud UID
    /// (written into Exchange, where the UID is an invisible extended property; a vCard's UID is what
    /// CardDAV clients know), so both sides carry one UID from then on; the normal plan then links
    /// them or, when their content differs, applies the conflict policy. Nothing is created twice.
    /// </summary>
    private async Task PairContactsByKeyAsync(Dictionary<string, ItemRelation> relations, SideObserver exchange, SideObserver nextcloud, CollectionInfo exchangeCollection, SyncReport report, CancellationToken cancellationToken)
    {
        var exchangeOnly = OneSidedContacts(exchange, nextcloud, relations);
        var nextcloudOnly = OneSidedContacts(nextcloud, exchange, relations);
        if (exchangeOnly.Count == 0 || nextcloudOnly.Count == 0)
        {
            return;
        }

        foreach (var (exchangeUid, nextcloudUid) in ContactMatcher.Match(exchangeOnly, nextcloudOnly))
        {
            var current = exchange.Items[exchangeUid];
            var adopted = ((Contact)current.Item) with { Uid = nextcloudUid };
            var action = new SyncAction(SyncActionKind.Update, Side.Exchange, nextcloudUid, "paired with a Nextcloud contact by name and e-mail: the Exchange contact takes its UID");
            report.Planned.Add(action);
            if (_options.DryRun)
            {
                exchange.Rekey(exchangeUid, current with { Item = adopted, Hash = ContentHasher.Hash(adopted) });
                continue;
            }

            var write = await _exchange.UpdateAsync(exchangeCollection, current.Id, current.Version, adopted, cancellationToken);
            if (!write.IsSuccess)
            {
                // Neither contact is acted on this run and both tokens stay where they were, so the
                // pairing is tried again next run instead of creating each contact on the other side.
                report.Problems.Add(new ItemProblem(exchangeUid, Side.Exchange, current.Id, $"pairing with Nextcloud contact {nextcloudUid} failed: {write.Status}{(write.Reason is null ? string.Empty : " (" + write.Reason + ")")}"));
                report.FailedWrites.Add((action, write.Status == WriteStatus.Rejected ? WriteStatus.PreconditionFailed : write.Status));
                exchange.Skipped.Add(exchangeUid);
                nextcloud.Skipped.Add(nextcloudUid);
                continue;
            }

            report.Done(action);
            report.OwnWrites.Add((Side.Exchange, write.Id ?? current.Id, write.Version, false));
            exchange.Rekey(exchangeUid, new SideItem(write.Id ?? current.Id, write.Version ?? string.Empty, adopted, ContentHasher.Hash(adopted)));
        }
    }

    /// <summary>Contacts read this run that are new on <paramref name="side"/> and unknown on the other side.</summary>
    private static List<Contact> OneSidedContacts(SideObserver side, SideObserver other, Dictionary<string, ItemRelation> relations) =>
        [.. side.Items
            .Where(p => p.Value.Item is Contact
                && side.Observations.GetValueOrDefault(p.Key) == Observation.Changed
                && !side.Skipped.Contains(p.Key)
                && !relations.ContainsKey(p.Key)
                && !other.Observations.ContainsKey(p.Key)
                && !other.Skipped.Contains(p.Key))
            .Select(p => (Contact)p.Value.Item)];

    private string? EmptySideGuard(SideObserver side, Side which)
    {
        var (deleted, known) = side.DeletionShare;
        if (deleted == 0)
        {
            return null;
        }

        if (deleted == known && side.IsFullListing && known >= _options.EmptyCollectionMinimumItems)
        {
            return $"the {which} collection lists no items but {known} were synced before; nothing was deleted (S06). Check the collection, then reset the pair.";
        }

        if (deleted >= _options.MassDeletionMinimumItems && deleted > known * _options.MassDeletionShare)
        {
            return $"{deleted} of {known} items disappeared from {which} in one run, more than the allowed share of {_options.MassDeletionShare:P0}; nothing was deleted (S06).";
        }

        return null;
    }

    /// <summary>Version refreshes (same content) and problems become relation updates without actions.</summary>
    private static void RecordObservationsOnly(Dictionary<string, ItemRelation> relations, SideObserver exchange, SideObserver nextcloud, SyncReport report, RelationBatch batch)
    {
        // Only where no action follows (the other side unchanged too); an action records both versions itself.
        foreach (var uid in exchange.RefreshedVersions.Keys.Union(nextcloud.RefreshedVersions.Keys))
        {
            if (relations.TryGetValue(uid, out var r)
                && exchange.Observations.GetValueOrDefault(uid) == Observation.Unchanged
                && nextcloud.Observations.GetValueOrDefault(uid) == Observation.Unchanged)
            {
                batch.Upsert(r with
                {
                    ExchangeVersion = exchange.RefreshedVersions.GetValueOrDefault(uid, r.ExchangeVersion!),
                    NextcloudVersion = nextcloud.RefreshedVersions.GetValueOrDefault(uid, r.NextcloudVersion!),
                });
            }
        }

        foreach (var dropped in exchange.DroppedPlaceholders.Concat(nextcloud.DroppedPlaceholders))
        {
            batch.Remove(dropped);
        }

        foreach (var placeholder in exchange.NewPlaceholders.Concat(nextcloud.NewPlaceholders))
        {
            batch.Upsert(placeholder);
        }

        foreach (var problem in report.Problems.Where(p => !p.Uid.StartsWith(SideObserver.PlaceholderPrefix, StringComparison.Ordinal)))
        {
            if (relations.TryGetValue(problem.Uid, out var r))
            {
                batch.Upsert(problem.Side == Side.Exchange
                    ? r with { LastError = problem.Reason, ErrorExchangeVersion = problem.Version }
                    : r with { LastError = problem.Reason, ErrorNextcloudVersion = problem.Version });
            }
        }
    }

    private async Task ExecuteAsync(SyncAction action, ItemRelation? relation, SideItem? exItem, SideItem? ncItem, CollectionInfo exchangeCollection, CollectionInfo nextcloudCollection, SyncReport report, RelationBatch batch, CancellationToken cancellationToken)
    {
        var uid = action.Uid;
        var baseRelation = relation ?? new ItemRelation { Uid = uid };
        switch (action.Kind)
        {
            case SyncActionKind.Forget:
                batch.Remove(uid);
                report.Done(action);
                return;

            case SyncActionKind.Link:
                batch.Upsert(Linked(baseRelation, exItem!, ncItem!, exItem!.Hash, ncItem!.Hash));
                report.Done(action);
                return;

            case SyncActionKind.Delete:
            {
                var (store, collection) = Target(action.Target, exchangeCollection, nextcloudCollection);
                var observed = action.Target == Side.Exchange ? exItem : ncItem;
                var id = observed?.Id ?? (action.Target == Side.Exchange ? baseRelation.ExchangeId : baseRelation.NextcloudId);
                var version = observed?.Version ?? (action.Target == Side.Exchange ? baseRelation.ExchangeVersion : baseRelation.NextcloudVersion);
                var result = await store.DeleteAsync(collection, id!, version ?? string.Empty, cancellationToken);
                if (result.Status is WriteStatus.Success or WriteStatus.NotFound)
                {
                    batch.Remove(uid);
                    report.Done(action);
                    report.OwnWrites.Add((action.Target, id!, null, true));
                }
                else
                {
                    Fail(action, baseRelation, id, result, report, batch);
                }

                return;
            }
        }

        // Create or Update: write the source side's item to the target.
        var source = action.Target == Side.Nextcloud ? exItem! : ncItem!;
        ISyncItem payload = action.Target == Side.Nextcloud ? ToNextcloud(source.Item) : source.Item;
        if (action.Target == Side.Exchange && _options.MayWriteToExchange is { } mayWrite && !mayWrite(source.Item))
        {
            // S17: a masked copy edited in Nextcloud never overwrites the Exchange original.
            report.Problems.Add(new ItemProblem(uid, Side.Nextcloud, source.Id, "masked copy changed in Nextcloud; not written to Exchange (sensitive mode)"));
            batch.Upsert(action.Target == Side.Exchange
                ? baseRelation with { NextcloudId = source.Id, NextcloudVersion = source.Version }
                : baseRelation);
            return;
        }

        var (targetStore, targetCollection) = Target(action.Target, exchangeCollection, nextcloudCollection);
        var targetItem = action.Target == Side.Exchange ? exItem : ncItem;
        var targetId = targetItem?.Id ?? (action.Target == Side.Exchange ? baseRelation.ExchangeId : baseRelation.NextcloudId);
        var targetVersion = targetItem?.Version ?? (action.Target == Side.Exchange ? baseRelation.ExchangeVersion : baseRelation.NextcloudVersion);
        var write = action.Kind == SyncActionKind.Create || targetId is null
            ? await targetStore.CreateAsync(targetCollection, payload, cancellationToken)
            : await targetStore.UpdateAsync(targetCollection, targetId, targetVersion ?? string.Empty, payload, cancellationToken);

        if (!write.IsSuccess)
        {
            Fail(
                action,
                baseRelation with
                {
                    ExchangeId = exItem?.Id ?? baseRelation.ExchangeId,
                    ExchangeVersion = exItem?.Version ?? baseRelation.ExchangeVersion,
                    NextcloudId = ncItem?.Id ?? baseRelation.NextcloudId,
                    NextcloudVersion = ncItem?.Version ?? baseRelation.NextcloudVersion,
                },
                targetId,
                write,
                report,
                batch);
            return;
        }

        // Without a transform the payload is the source item: its hash is already known.
        var writtenHash = ReferenceEquals(payload, source.Item) ? source.Hash : ContentHasher.Hash(payload);
        var written = new SideItem(write.Id!, write.Version ?? string.Empty, payload, writtenHash);
        var (ex, nc) = action.Target == Side.Nextcloud ? (source, written) : (written, source);
        var exHash = action.Target == Side.Nextcloud ? source.Hash : written.Hash;
        batch.Upsert(Linked(baseRelation, ex, nc, exHash, nc.Hash) with
        {
            // An unknown new version (no ETag returned) is learnt on the next run by content comparison.
            ExchangeVersion = string.IsNullOrEmpty(ex.Version) ? null : ex.Version,
            NextcloudVersion = string.IsNullOrEmpty(nc.Version) ? null : nc.Version,
        });
        report.Done(action);
        report.OwnWrites.Add((action.Target, written.Id, write.Version, false));
    }

    private ItemRelation Linked(ItemRelation relation, SideItem exchange, SideItem nextcloud, string exchangeHash, string nextcloudHash) => relation with
    {
        ExchangeId = exchange.Id,
        ExchangeVersion = exchange.Version,
        NextcloudId = nextcloud.Id,
        NextcloudVersion = nextcloud.Version,
        ContentHash = RelationHashes.Format(exchangeHash, nextcloudHash),
        LastError = null,
        ErrorExchangeVersion = null,
        ErrorNextcloudVersion = null,
        UpdatedAt = _time.GetUtcNow(),
    };

    private static void Fail(SyncAction action, ItemRelation relation, string? id, WriteResult result, SyncReport report, RelationBatch batch)
    {
        var reason = $"{action.Kind} in {action.Target} failed: {result.Status}{(result.Reason is null ? string.Empty : " (" + result.Reason + ")")}";
        report.Problems.Add(new ItemProblem(action.Uid, action.Target, id, reason));
        report.FailedWrites.Add((action, result.Status));

        // Only a refusal of the content sticks to the item; other failures are retried next run.
        if (result.Status is WriteStatus.Rejected)
        {
            batch.Upsert(relation with
            {
                LastError = reason,
                ErrorExchangeVersion = relation.ExchangeVersion,
                ErrorNextcloudVersion = relation.NextcloudVersion,
            });
        }
    }

    private static string? NullIfListEverything(string? token) => token == PairTokens.ListEverything ? null : token;

    private ISyncItem ToNextcloud(ISyncItem item) => _options.ExchangeToNextcloud is { } transform ? transform(item) : item;

    private static Side? NewerSide(SideItem? exchange, SideItem? nextcloud)
    {
        var e = exchange is null ? null : LastModified(exchange.Item);
        var n = nextcloud is null ? null : LastModified(nextcloud.Item);
        return e is null || n is null || e == n ? null : e > n ? Side.Exchange : Side.Nextcloud;
    }

    private static DateTime? LastModified(ISyncItem item) => item switch
    {
        CalendarEvent e => e.LastModified,
        TaskItem t => t.LastModified,
        Contact c => c.Revision,
        _ => null,
    };

    private (IItemStore Store, CollectionInfo Collection) Target(Side side, CollectionInfo exchangeCollection, CollectionInfo nextcloudCollection) =>
        side == Side.Exchange ? (_exchange, exchangeCollection) : (_nextcloud, nextcloudCollection);
}
