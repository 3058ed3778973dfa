using System.Collections.Concurrent;
using Connector.Domain;
using Connector.Stores.Dav.Http;
using Connector.Stores.Dav.Operations;
using Connector.Sync.Stores;

namespace Connector.Stores.Dav;

/// <summary>
/// One user's CalDAV/CardDAV account as an <see cref="IItemStore"/>: calendars (VEVENT), task lists (VTODO) and
/// address books, on Nextcloud or any RFC server. Ids are canonical hrefs (<see cref="DavHref"/>), versions are
/// ETags, tokens are opaque (<see cref="DavSyncToken"/>).
/// </summary>
/// <remarks>
/// <para>Costs, in requests: a change poll is one sync-collection REPORT; reading N changed items is
/// ⌈N / <see cref="DavStoreOptions.BatchLimit"/>⌉ multigets; a write is one PUT or DELETE. Discovery (well-known,
/// principal, home listing) runs once per store instance. None of these depends on the collection's size, except
/// the full listing after a lost token.</para>
/// <para>The <see cref="HttpClient"/> comes from outside (a typed client of <c>IHttpClientFactory</c>, or one built
/// on <see cref="DavHttpMessageHandlers.Create"/>); one client may serve many users, because credentials travel
/// per request. The store never retries: failures surface as <see cref="StoreException"/>s decided by one policy
/// (401 → <see cref="CredentialRejectedException"/>, 429/503 → <see cref="ThrottledException"/> with Retry-After,
/// 5xx and transport failures → <see cref="TransientStoreException"/>).</para>
/// </remarks>
public sealed class DavItemStore : IItemStore
{
    private readonly DavConnection connection;

    // Collections whose server refused sync-collection: list them by PROPFIND from now on.
    private readonly ConcurrentDictionary<string, bool> withoutSyncCollection = new(StringComparer.Ordinal);
    private DavAccount? account;
    private DavServerQuirks? detectedQuirks;

    public DavItemStore(HttpClient httpClient, DavStoreOptions options, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(httpClient);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        connection = new DavConnection(httpClient, options, timeProvider ?? TimeProvider.System);
    }

    public StoreCapabilities Capabilities { get; } = new()
    {
        Kinds = ItemKind.Event | ItemKind.Task | ItemKind.Contact,
        IncrementalChanges = true,
        CreatesCollections = true,
    };

    /// <summary>The quirks in force: the configured ones, else those detected from the server (one OPTIONS request, once).</summary>
    public async Task<DavServerQuirks> GetQuirksAsync(CancellationToken cancellationToken)
    {
        if (connection.Options.Quirks is { } configured)
        {
            return configured;
        }

        return detectedQuirks ??= await DavServerQuirksDetector.DetectAsync(connection, connection.Options.BaseUri.AbsolutePath, cancellationToken);
    }

    public async Task<IReadOnlyList<CollectionInfo>> DiscoverCollectionsAsync(ItemKind kinds, CancellationToken cancellationToken)
    {
        var home = await GetAccountAsync(cancellationToken);
        var homes = new List<(string Home, ItemKind Kinds)>();
        if (home.CalendarHome is { } calendars && (kinds & (ItemKind.Event | ItemKind.Task)) != 0)
        {
            homes.Add((calendars, kinds & (ItemKind.Event | ItemKind.Task)));
        }

        if (home.AddressBookHome is { } books && kinds.HasFlag(ItemKind.Contact))
        {
            // Radicale keeps both kinds in the principal collection: one listing serves both.
            var same = homes.FindIndex(h => h.Home == books);
            if (same >= 0)
            {
                homes[same] = (books, homes[same].Kinds | ItemKind.Contact);
            }
            else
            {
                homes.Add((books, ItemKind.Contact));
            }
        }

        var collections = new List<CollectionInfo>();
        foreach (var (path, wanted) in homes)
        {
            collections.AddRange(await ListCollectionsOperation.RunAsync(connection, path, wanted, cancellationToken));
        }

        return collections;
    }

    public async Task<CollectionInfo> CreateCollectionAsync(string displayName, ItemKind kind, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(displayName);
        RequireSingleKind(kind);
        var home = await GetAccountAsync(cancellationToken);
        var parent = (kind == ItemKind.Contact ? home.AddressBookHome : home.CalendarHome)
            ?? throw new StoreException($"The account has no {(kind == ItemKind.Contact ? "addressbook" : "calendar")}-home-set; cannot create a {kind} collection.");
        return await CreateCollectionOperation.RunAsync(connection, parent, displayName, kind, cancellationToken);
    }

    public async Task<ChangeFeed> GetChangesAsync(CollectionInfo collection, string? sinceToken, CancellationToken cancellationToken)
    {
        var href = CollectionHref(collection);
        if (sinceToken is null)
        {
            return await FullListingAsync(href, cancellationToken);
        }

        if (DavSyncToken.Parse(sinceToken) is not { } token)
        {
            return ChangeFeed.Invalid;
        }

        if (token.Mode == DavSyncMode.CollectionTag)
        {
            // No sync-collection on this server: an unchanged CTag means no changes, else list everything.
            var tag = await EtagListingOperation.CollectionTagAsync(connection, href, cancellationToken);
            return tag is not null && tag == token.Value
                ? new ChangeFeed { Status = ChangeFeedStatus.Changes, NewToken = sinceToken }
                : await EtagListingAsync(href, cancellationToken);
        }

        var result = await SyncCollectionOperation.RunAsync(connection, href, token.Value, GetQuirksAsync, cancellationToken);
        if (result.Outcome != SyncOutcome.Changes)
        {
            return ChangeFeed.Invalid;
        }

        // SabreDAV's rules (Nextcloud) apply to its token form; no request is spent on quirks for them.
        var sabreRules = DavSyncToken.IsSabreForm(token.Value) || connection.Options.Quirks?.HasFlag(DavServerQuirks.Nextcloud) == true;

        // Nextcloud answers a token it does not know with no changes and its current, lower token (S05, S07).
        if (sabreRules && DavSyncToken.WentBackwards(token.Value, result.ServerToken!))
        {
            return ChangeFeed.Invalid;
        }

        if (result.Truncated)
        {
            // RFC 6578 3.6: the token covers the changes returned; ask again for the rest. Nextcloud returns its
            // latest token with a truncated answer, which would skip the rest: distrust it.
            return sabreRules || (await GetQuirksAsync(cancellationToken)).HasFlag(DavServerQuirks.Nextcloud)
                ? ChangeFeed.Invalid
                : new ChangeFeed { Status = ChangeFeedStatus.Changes, Changes = result.Changes, NewToken = Wrap(result.ServerToken!), MoreAvailable = true };
        }

        return new ChangeFeed { Status = ChangeFeedStatus.Changes, Changes = result.Changes, NewToken = Wrap(result.ServerToken!) };
    }

    public async Task<IReadOnlyList<FetchResult>> FetchAsync(CollectionInfo collection, IReadOnlyList<string> ids, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ids);
        var href = CollectionHref(collection);
        var collectionUri = connection.Resolve(href);
        var canonical = ids.Select(id => DavHref.Normalize(id, collectionUri)).ToList();
        var found = new Dictionary<string, MultigetItem>(StringComparer.Ordinal);
        foreach (var batch in canonical.Distinct(StringComparer.Ordinal).Chunk(connection.Options.BatchLimit))
        {
            var answer = await MultigetOperation.RunAsync(connection, href, collection.Kind, batch, cancellationToken);
            foreach (var (key, item) in answer)
            {
                found[key] = item;
            }
        }

        var results = new List<FetchResult>(ids.Count);
        for (var i = 0; i < ids.Count; i++)
        {
            results.Add(ToFetchResult(ids[i], found.GetValueOrDefault(canonical[i]), collection.Kind));
        }

        return results;
    }

    public async Task<WriteResult> CreateAsync(CollectionInfo collection, ISyncItem item, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(item);
        var href = CollectionHref(collection);
        var text = DavItemCodec.Encode(item, collection.Kind);
        var id = href + Uri.EscapeDataString(DavResourceName.For(item.Uid, DavItemCodec.Extension(collection.Kind)));
        var answer = await PutOperation.RunAsync(connection, id, text, DavItemCodec.ContentType(collection.Kind), null, cancellationToken);
        return WriteResponseClassifier.ForCreate(answer, id);
    }

    public async Task<WriteResult> UpdateAsync(CollectionInfo collection, string id, string expectedVersion, ISyncItem item, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        ArgumentException.ThrowIfNullOrEmpty(expectedVersion);
        ArgumentNullException.ThrowIfNull(item);
        var href = CollectionHref(collection);
        var text = DavItemCodec.Encode(item, collection.Kind);
        var canonical = DavHref.Normalize(id, connection.Resolve(href));
        var answer = await PutOperation.RunAsync(connection, canonical, text, DavItemCodec.ContentType(collection.Kind), expectedVersion, cancellationToken);
        return WriteResponseClassifier.ForUpdate(answer, canonical);
    }

    public async Task<WriteResult> DeleteAsync(CollectionInfo collection, string id, string expectedVersion, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        ArgumentException.ThrowIfNullOrEmpty(expectedVersion);
        var canonical = DavHref.Normalize(id, connection.Resolve(CollectionHref(collection)));
        var answer = await DeleteOperation.RunAsync(connection, canonical, expectedVersion, cancellationToken);
        return WriteResponseClassifier.ForDelete(answer, canonical);
    }

    private async Task<ChangeFeed> FullListingAsync(string href, CancellationToken cancellationToken)
    {
        if (!withoutSyncCollection.ContainsKey(href))
        {
            var result = await SyncCollectionOperation.RunAsync(connection, href, string.Empty, GetQuirksAsync, cancellationToken);
            switch (result.Outcome)
            {
                // A truncated first listing cannot be a full listing ("an item not listed is gone"): list by PROPFIND.
                case SyncOutcome.Changes when !result.Truncated:
                    return new ChangeFeed
                    {
                        Status = ChangeFeedStatus.FullListing,
                        Changes = result.Changes.Where(c => c.Kind == ChangeKind.Upserted).ToList(),
                        NewToken = Wrap(result.ServerToken!),
                    };
                case SyncOutcome.NotSupported:
                    withoutSyncCollection[href] = true;
                    break;
            }
        }

        return await EtagListingAsync(href, cancellationToken);
    }

    private async Task<ChangeFeed> EtagListingAsync(string href, CancellationToken cancellationToken)
    {
        var listing = await EtagListingOperation.RunAsync(connection, href, cancellationToken);
        return new ChangeFeed
        {
            Status = ChangeFeedStatus.FullListing,
            Changes = listing.Items,
            NewToken = new DavSyncToken(DavSyncMode.CollectionTag, listing.CollectionTag ?? string.Empty).ToString(),
        };
    }

    private static string Wrap(string serverToken) => new DavSyncToken(DavSyncMode.SyncCollection, serverToken).ToString();

    private static FetchResult ToFetchResult(string id, MultigetItem? item, ItemKind kind)
    {
        if (item is null || item.Status == 404)
        {
            return new FetchResult(id, FetchStatus.NotFound);
        }

        if (item.Status is < 200 or >= 300 || item.Data is null)
        {
            return new FetchResult(id, FetchStatus.Unreadable, Reason: $"the server did not return the object (status {item.Status})");
        }

        var decoded = DavItemCodec.Decode(item.Data, kind);
        return decoded.Outcome switch
        {
            DecodeOutcome.Found => FetchResult.Found(new StoreItem(id, item.ETag ?? string.Empty, decoded.Item!)),

            // A VTODO in a calendar read as events (or the reverse): not an item of this collection's kind.
            DecodeOutcome.Foreign => new FetchResult(id, FetchStatus.NotFound, Reason: decoded.Reason),
            _ => new FetchResult(id, FetchStatus.Unreadable, Reason: decoded.Reason),
        };
    }

    private async Task<DavAccount> GetAccountAsync(CancellationToken cancellationToken)
    {
        if (account is { } known)
        {
            return known;
        }

        // Two concurrent first calls may both discover; the answers are the same, so no lock is needed.
        return account = await DiscoverAccountOperation.RunAsync(connection, cancellationToken);
    }

    private string CollectionHref(CollectionInfo collection)
    {
        ArgumentNullException.ThrowIfNull(collection);
        RequireSingleKind(collection.Kind);
        return DavHref.AsCollection(DavHref.Normalize(collection.Id, connection.Options.BaseUri));
    }

    private static void RequireSingleKind(ItemKind kind)
    {
        if (kind is not (ItemKind.Event or ItemKind.Task or ItemKind.Contact))
        {
            throw new ArgumentException($"A DAV collection holds one kind of item: Event, Task or Contact, not {kind}.", nameof(kind));
        }
    }
}
