using System.Xml;
using System.Xml.Linq;
using Connector.Domain;
using Connector.Mapping.Text;
using Connector.Stores.Ews.Http;
using Connector.Stores.Ews.Mapping;
using Connector.Stores.Ews.Operations;
using Connector.Sync.Resilience;
using Connector.Sync.Stores;

namespace Connector.Stores.Ews;

/// <summary>
/// One Exchange mailbox (through EWS, impersonated) as an <see cref="IItemStore"/>: the distinguished calendar,
/// contacts and tasks folders. Ids are EWS ItemIds, versions ChangeKeys, collection ids folder ids, tokens wrapped
/// SyncStates (<see cref="EwsSyncToken"/>).
/// </summary>
/// <remarks>
/// <para>Costs, in requests: discovery is one GetFolder; a change poll is one SyncFolderItems page (≤ 512 changes);
/// a full listing pages SyncFolderItems from scratch; reading N items is ⌈N / <see cref="EwsStoreOptions.BatchLimit"/>⌉
/// GetItems, plus ⌈E / BatchLimit⌉ GetItems for the E exceptions of the recurring masters among them; create and
/// update are one request each; delete is a GetItem (the ChangeKey check: DeleteItem has none in EWS) and a
/// DeleteItem.</para>
/// <para>Recurring events (S09, <see cref="EwsSeriesWriter"/>): a series is one item, its master; EXDATEs are
/// written as deleted occurrences and overrides (RECURRENCE-ID = original start) as modified occurrences. Create is
/// CreateItem of the master, then, when there are EXDATEs or overrides, a FindItem CalendarView per week of original
/// starts, one DeleteItem for the EXDATEs, one UpdateItem for the overrides (batches of BatchLimit) and a GetItem IdOnly for the master's final
/// ChangeKey (the version returned); if an occurrence write fails the master is deleted again and the failure
/// returned. Update of a series reads it first (master and exceptions), updates the master leaving its pattern
/// fields out unless they changed (Exchange drops every exception when they are set; then all are written again),
/// reads it again when it had exceptions and writes only the differences: new deletions, new or changed overrides,
/// and overrides that disappeared reset to the series' values. Occurrence writes use AlwaysOverwrite after the
/// master's NeverOverwrite check. A failed occurrence write of an update returns a failure, never a success. Reading
/// merges each exception's content into the series (exceptions that only repeat their occurrence are dropped).
/// Exceptions keep the series organizer; responses are never written (no AcceptItem/DeclineItem, and on a series
/// update the mailbox owner's own attendee entry keeps the response Exchange holds, S10).</para>
/// <para>Never sends anything to attendees (S01): SendToNone on create, update and delete, occurrences included.</para>
/// <para>Limits: collections cannot be created (<see cref="CreateCollectionAsync"/> hands back the kind's
/// distinguished folder); UIDs are not checked for uniqueness on create, as Exchange allows duplicates (searching
/// calendar:UID needs the GlobalObjectId extended property and is left for later; two series sharing a UID make their
/// occurrences ambiguous, which is refused); an EXDATE that names no occurrence is not kept; an occurrence brought
/// back (an EXDATE removed) cannot be restored through EWS and is reported as refused; an override in another time
/// zone than its series is written at the same instant in the series' zone; RDATEs are not written; the delete's
/// ChangeKey check and the delete are two requests, so a change in between is not caught, and likewise a change
/// between a series' last occurrence write and the read of its final ChangeKey.</para>
/// </remarks>
public sealed class EwsItemStore : IItemStore
{
    private readonly EwsConnection connection;
    private readonly EwsStoreOptions options;
    private readonly EwsMappingOptions mapping;
    private readonly RetryRunner? retry;

    public EwsItemStore(HttpClient httpClient, EwsStoreOptions options, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(httpClient);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        this.options = options;
        mapping = new EwsMappingOptions { MailboxTimeZone = options.MailboxTimeZone, Mode = EwsWriteMode.Create };

        // The identity's gate first (ThrottleEvent.Scope), then the mailbox's: a server hint closes both.
        retry = options.ThrottleGates is { } gates
            ? new RetryRunner([gates.ForIdentity(options.IdentityName), gates.ForMailbox(options.Mailbox ?? options.IdentityName)], options.Retry, timeProvider, random: null, options.Throttled)
            : null;
        connection = new EwsConnection(
            httpClient,
            new EwsConnectionOptions
            {
                EwsUrl = options.EwsUrl,
                UserName = options.UserName,
                Password = options.Password,
                Identity = options.IdentityName,
                ImpersonatedMailbox = options.Mailbox,
                Timeout = options.Timeout,
                Retry = retry,
            },
            timeProvider);
    }

    /// <summary>Requests repeated after a throttle or a passing failure (0 without <see cref="EwsStoreOptions.ThrottleGates"/>).</summary>
    public int Retries => retry?.Retries ?? 0;

    /// <summary>Throttles this store met (each closed its identity's and mailbox's gates).</summary>
    public int Throttles => retry?.Throttles ?? 0;

    public StoreCapabilities Capabilities { get; } = new()
    {
        Kinds = ItemKind.Event | ItemKind.Task | ItemKind.Contact,
        IncrementalChanges = true,
        CreatesCollections = false,
    };

    private static readonly (ItemKind Kind, string Folder)[] Folders =
    [
        (ItemKind.Event, EwsFolderRef.Calendar),
        (ItemKind.Contact, EwsFolderRef.Contacts),
        (ItemKind.Task, EwsFolderRef.Tasks),
    ];

    public async Task<IReadOnlyList<CollectionInfo>> DiscoverCollectionsAsync(ItemKind kinds, CancellationToken cancellationToken)
    {
        var wanted = Folders.Where(f => (kinds & f.Kind) != 0).ToArray();
        if (wanted.Length == 0)
        {
            return [];
        }

        var found = await connection.SendAsync(new GetFolderOperation([.. wanted.Select(f => EwsFolderRef.Distinguished(f.Folder))]), cancellationToken).ConfigureAwait(false);
        var result = new List<CollectionInfo>();
        for (var i = 0; i < wanted.Length; i++)
        {
            if (found[i].FolderId is { } id)
            {
                result.Add(new CollectionInfo(id.Id, found[i].DisplayName ?? wanted[i].Folder, wanted[i].Kind));
            }
            else if (found[i].ResponseCode != "ErrorFolderNotFound")
            {
                throw new StoreException($"EWS GetFolder {wanted[i].Folder}: {found[i].ResponseCode}: {found[i].MessageText}");
            }
        }

        return result;
    }

    /// <summary>
    /// EWS here syncs only the distinguished folders, so no folder is created: this returns the distinguished folder
    /// of <paramref name="kind"/> (its display name stays the server's). <see cref="StoreCapabilities.CreatesCollections"/> is false.
    /// </summary>
    public async Task<CollectionInfo> CreateCollectionAsync(string displayName, ItemKind kind, CancellationToken cancellationToken)
    {
        var found = await DiscoverCollectionsAsync(kind, cancellationToken).ConfigureAwait(false);
        return found.FirstOrDefault(c => c.Kind == kind)
            ?? throw new StoreException($"The mailbox has no distinguished folder for {kind}; the EWS store cannot create collections.");
    }

    public async Task<ChangeFeed> GetChangesAsync(CollectionInfo collection, string? sinceToken, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(collection);
        var folder = EwsFolderRef.ById(collection.Id);
        if (sinceToken is null)
        {
            return await FullListingAsync(folder, cancellationToken).ConfigureAwait(false);
        }

        if (EwsSyncToken.Parse(sinceToken) is not { } state)
        {
            return ChangeFeed.Invalid;
        }

        var page = await connection.SendAsync(new SyncFolderItemsOperation(folder, state), cancellationToken).ConfigureAwait(false);
        if (page.Status == SyncFolderItemsStatus.InvalidSyncState)
        {
            return ChangeFeed.Invalid;
        }

        var changes = new List<ItemChange>(page.Changes.Count);
        foreach (var change in page.Changes)
        {
            switch (change.Type)
            {
                case EwsChangeType.Create or EwsChangeType.Update:
                    changes.Add(new ItemChange(ChangeKind.Upserted, change.ItemId.Id, change.ItemId.ChangeKey));
                    break;
                case EwsChangeType.Delete:
                    changes.Add(new ItemChange(ChangeKind.Deleted, change.ItemId.Id, null));
                    break;
                default:
                    // ReadFlagChange: not a content change.
                    break;
            }
        }

        return new ChangeFeed
        {
            Status = ChangeFeedStatus.Changes,
            Changes = changes,
            NewToken = EwsSyncToken.Format(page.SyncState!),
            MoreAvailable = !page.IncludesLastItemInRange,
        };
    }

    public async Task<IReadOnlyList<FetchResult>> FetchAsync(CollectionInfo collection, IReadOnlyList<string> ids, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(collection);
        ArgumentNullException.ThrowIfNull(ids);
        var read = ReaderFor(collection.Kind);
        var results = new List<FetchResult>(ids.Count);
        foreach (var batch in ids.Chunk(options.BatchLimit))
        {
            var operation = new GetItemOperation<EwsItem<ISyncItem>>([.. batch.Select(id => new EwsItemId(id))], read, WriteAdditionalProperties(collection.Kind), "Best");
            var answer = await connection.SendAsync(operation, cancellationToken).ConfigureAwait(false);
            if (collection.Kind == ItemKind.Event)
            {
                // A master lists its exceptions only by time: read their content too (S09).
                answer = await Series.WithExceptionsAsync(answer, cancellationToken).ConfigureAwait(false);
            }

            foreach (var r in answer)
            {
                var id = r.Requested.Id;
                results.Add(r.Status switch
                {
                    EwsItemStatus.Found when r.Item!.ChangeKey is { } version => FetchResult.Found(new StoreItem(id, version, r.Item.Item)),
                    EwsItemStatus.Found => new FetchResult(id, FetchStatus.Unreadable, Reason: "the item came without a ChangeKey"),
                    EwsItemStatus.NotFound => new FetchResult(id, FetchStatus.NotFound),
                    // A malformed id cannot name an existing item of this mailbox.
                    EwsItemStatus.Failed when r.ResponseCode == "ErrorInvalidIdMalformed" => new FetchResult(id, FetchStatus.NotFound, Reason: r.ResponseCode),
                    EwsItemStatus.Failed => new FetchResult(id, FetchStatus.Unreadable, Reason: $"{r.ResponseCode}: {r.MessageText}"),
                    _ => new FetchResult(id, FetchStatus.Unreadable, Reason: r.MessageText),
                });
            }
        }

        return results;
    }

    public async Task<WriteResult> CreateAsync(CollectionInfo collection, ISyncItem item, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(collection);
        ArgumentNullException.ThrowIfNull(item);
        var (element, failure) = Render(collection, item);
        if (element is null)
        {
            return failure!;
        }

        var folder = EwsFolderRef.ById(collection.Id);
        var results = await connection.SendAsync(new CreateItemOperation(folder, [element]), cancellationToken).ConfigureAwait(false);
        return item is CalendarEvent ev
            ? await Series.CompleteCreateAsync(folder, results[0], ev, cancellationToken).ConfigureAwait(false)
            : results[0];
    }

    public async Task<WriteResult> UpdateAsync(CollectionInfo collection, string id, string expectedVersion, ISyncItem item, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(collection);
        ArgumentException.ThrowIfNullOrEmpty(id);
        ArgumentException.ThrowIfNullOrEmpty(expectedVersion);
        ArgumentNullException.ThrowIfNull(item);
        var (element, failure) = Render(collection, item);
        if (element is null)
        {
            return failure! with { Id = id };
        }

        if (item is CalendarEvent { Recurrence: not null } series)
        {
            // A series: its exceptions are occurrence items of their own (S09).
            return await Series.UpdateAsync(EwsFolderRef.ById(collection.Id), id, expectedVersion, series, cancellationToken).ConfigureAwait(false);
        }

        return await connection.SendAsync(new UpdateItemOperation(new EwsItemId(id, expectedVersion), element), cancellationToken).ConfigureAwait(false);
    }

    public async Task<WriteResult> DeleteAsync(CollectionInfo collection, string id, string expectedVersion, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(collection);
        ArgumentException.ThrowIfNullOrEmpty(id);
        ArgumentException.ThrowIfNullOrEmpty(expectedVersion);

        // EWS DeleteItem ignores ChangeKeys: check the current one first (a change in between is not caught).
        var current = await connection.SendAsync(new GetItemOperation<string?>([new EwsItemId(id)], EwsItemId.ReadChangeKey), cancellationToken).ConfigureAwait(false);
        switch (current[0].Status)
        {
            case EwsItemStatus.NotFound:
                return WriteResult.Failed(WriteStatus.NotFound, current[0].MessageText, id);
            case EwsItemStatus.Failed when current[0].ResponseCode == "ErrorInvalidIdMalformed":
                return WriteResult.Failed(WriteStatus.NotFound, current[0].ResponseCode, id);
            case EwsItemStatus.Found when current[0].Item != expectedVersion:
                return WriteResult.Failed(WriteStatus.PreconditionFailed, $"ChangeKey is {current[0].Item}, expected {expectedVersion}", id);
            default:
                break;
        }

        var results = await connection.SendAsync(new DeleteItemOperation([new EwsItemId(id, expectedVersion)]), cancellationToken).ConfigureAwait(false);
        return results[0];
    }

    /// <summary>Reads and writes the occurrences of recurring events (stateless; see <see cref="EwsSeriesWriter"/>).</summary>
    private EwsSeriesWriter Series => new(connection, mapping, options.BatchLimit, options.Mailbox);

    private static Func<XmlReader, EwsItem<ISyncItem>> ReaderFor(ItemKind kind, EwsMappingOptions mapping) => kind switch
    {
        ItemKind.Event => r => Widen(EwsCalendarItemReader.Read(r, mapping)),
        ItemKind.Contact => r => Widen(EwsContactMapping.Read(r)),
        ItemKind.Task => r => Widen(EwsTaskMapping.Read(r, mapping)),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "One kind per collection."),
    };

    private Func<XmlReader, EwsItem<ISyncItem>> ReaderFor(ItemKind kind) => ReaderFor(kind, mapping);

    private static EwsItem<ISyncItem> Widen<T>(EwsItem<T> item)
        where T : ISyncItem => new(item.ItemId, item.ChangeKey, item.Item) { ModifiedOccurrenceIds = item.ModifiedOccurrenceIds };

    /// <summary>The extended properties the readers need (contacts and tasks keep their UID in one; contacts the name prefix).</summary>
    private static Action<XmlWriter>? WriteAdditionalProperties(ItemKind kind)
    {
        EwsExtendedProperty[] properties = kind switch
        {
            ItemKind.Contact => [EwsExtendedProperty.Uid, EwsExtendedProperty.NamePrefix],
            ItemKind.Task => [EwsExtendedProperty.Uid],
            _ => [],
        };
        return properties.Length == 0 ? null : w =>
        {
            foreach (var p in properties)
            {
                EwsItemChanges.ExtendedUri(p).WriteTo(w);
            }
        };
    }

    /// <summary>The item as the element CreateItem/UpdateItem carry, or why the mapping refuses it.</summary>
    private (XElement? Element, WriteResult? Failure) Render(CollectionInfo collection, ISyncItem item)
    {
        try
        {
            using var text = new StringWriter();
            using (var w = XmlWriter.Create(text, EwsItemXml.WriterSettings))
            {
                switch (item)
                {
                    case CalendarEvent ev when collection.Kind == ItemKind.Event:
                        EwsCalendarItemWriter.Write(w, ev, mapping);
                        break;
                    case Contact c when collection.Kind == ItemKind.Contact:
                        EwsContactMapping.Write(w, c, mapping);
                        break;
                    case TaskItem t when collection.Kind == ItemKind.Task:
                        EwsTaskMapping.Write(w, t, mapping);
                        break;
                    default:
                        return (null, WriteResult.Failed(WriteStatus.Rejected, $"a {item.GetType().Name} cannot go into a {collection.Kind} folder"));
                }
            }

            return (XElement.Parse(text.ToString()), null);
        }
        catch (MappingException ex)
        {
            return (null, WriteResult.Failed(WriteStatus.Rejected, ex.Message));
        }
    }

    private async Task<ChangeFeed> FullListingAsync(EwsFolderRef folder, CancellationToken cancellationToken)
    {
        var items = new Dictionary<string, string?>(StringComparer.Ordinal);
        string? state = null;
        SyncFolderItemsResult page;
        do
        {
            page = await connection.SendAsync(new SyncFolderItemsOperation(folder, state), cancellationToken).ConfigureAwait(false);
            if (page.Status == SyncFolderItemsStatus.InvalidSyncState)
            {
                // Only our own state of a moment ago can be refused here: the folder was reset under us. Try again later.
                throw new TransientStoreException($"EWS SyncFolderItems on {folder} refused its own SyncState mid-listing: {page.MessageText}");
            }

            foreach (var change in page.Changes)
            {
                if (change.Type == EwsChangeType.Delete)
                {
                    items.Remove(change.ItemId.Id);
                }
                else if (change.Type != EwsChangeType.ReadFlagChange || !items.ContainsKey(change.ItemId.Id))
                {
                    items[change.ItemId.Id] = change.ItemId.ChangeKey;
                }
            }

            state = page.SyncState;
        }
        while (!page.IncludesLastItemInRange);

        return new ChangeFeed
        {
            Status = ChangeFeedStatus.FullListing,
            Changes = [.. items.Select(i => new ItemChange(ChangeKind.Upserted, i.Key, i.Value))],
            NewToken = EwsSyncToken.Format(state!),
        };
    }
}

/// <summary>
/// The store's change token: "ews1:" + the SyncState. The prefix lets a token of another store, a truncated or empty
/// one be recognised as invalid (→ <see cref="ChangeFeedStatus.TokenInvalid"/>) without asking the server.
/// </summary>
internal static class EwsSyncToken
{
    private const string Prefix = "ews1:";

    private static readonly System.Buffers.SearchValues<char> NotInState = System.Buffers.SearchValues.Create(" \t\r\n<>&");

    public static string Format(string syncState) => Prefix + syncState;

    /// <summary>The SyncState, or null when <paramref name="token"/> is not one of ours.</summary>
    public static string? Parse(string token) =>
        token.StartsWith(Prefix, StringComparison.Ordinal) && token.Length > Prefix.Length && !token.AsSpan(Prefix.Length).ContainsAny(NotInState)
            ? token[Prefix.Length..]
            : null;
}
