using System.Net;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Connector.Domain;
using Connector.Mapping.Text;
using Connector.Stores.Graph.Http;
using Connector.Stores.Graph.Json;
using Connector.Stores.Graph.Mapping;
using Connector.Sync.Stores;

namespace Connector.Stores.Graph;

/// <summary>
/// One Microsoft 365 mailbox, through Microsoft Graph v1.0 with app-only access, as an <see cref="IItemStore"/>:
/// calendars (events), contact folders (contacts) and To Do lists (tasks). Ids are Graph immutable ids, versions
/// <c>@odata.etag</c>s (a series with exceptions: the master's etag plus a digest of its exceptions), collection ids
/// the calendar / contact folder / task list ids, tokens wrapped deltaLinks (<see cref="GraphDeltaToken"/>).
/// </summary>
/// <remarks>
/// <para>Why a small typed client and not the Microsoft.Graph SDK: the worker reads tens of thousands of items per
/// mailbox, and here each item is parsed by System.Text.Json source-generated code into a class holding only the
/// properties the mapping uses (the SDK materialises every property of its full model plus a backing store per
/// object); delta paging, <c>$batch</c> lanes, <c>Prefer</c> and <c>If-Match</c> headers, the per-mailbox
/// concurrency limit and the failure policy are explicit here rather than behind the SDK's middleware (which
/// retries on its own, while retrying belongs to <c>ResilientItemStore</c>); and the dependency is the BCL alone
/// instead of the SDK, Kiota and their transitive packages.</para>
/// <para>Costs, in requests: a contact or task poll is one delta request per page; an event poll the same plus one
/// <c>$batch</c> per 20 removed entries (to tell "deleted" from "moved out of the window"); reading N items is
/// ⌈N / 20⌉ <c>$batch</c>es (a series whose exceptions Graph did not expand: plus its instances); create, update
/// and delete are one request each (a series with exceptions: plus one instances listing and one request per
/// exception, and a read before a conditional update or delete).</para>
/// <para>Invitations (S01): the store never puts attendees into Graph's own attendee list, where Graph would send
/// invitations; see the README.</para>
/// </remarks>
public sealed partial class GraphItemStore : IItemStore
{
    private readonly GraphConnection connection;
    private readonly GraphStoreOptions options;
    private readonly GraphMappingOptions mapping;

    public GraphItemStore(HttpClient httpClient, GraphStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(httpClient);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        this.options = options;
        mapping = new GraphMappingOptions { MailboxTimeZone = options.MailboxTimeZone };
        connection = new GraphConnection(httpClient, options);
    }

    public StoreCapabilities Capabilities { get; } = new()
    {
        Kinds = ItemKind.Event | ItemKind.Task | ItemKind.Contact,
        IncrementalChanges = true,
        CreatesCollections = true,
    };

    /// <summary>HTTP requests this store has sent (a <c>$batch</c> counts once).</summary>
    public int RequestCount => connection.RequestCount;

    private string Mailbox => connection.MailboxPath;

    public async Task<IReadOnlyList<CollectionInfo>> DiscoverCollectionsAsync(ItemKind kinds, CancellationToken cancellationToken)
    {
        var result = new List<CollectionInfo>();
        if ((kinds & ItemKind.Event) != 0)
        {
            await ReadPagesAsync(connection.Resolve(Mailbox + "/calendars"), GraphJsonContext.Default.GraphPageGraphCalendar, c =>
            {
                if (c.Id is not null)
                {
                    result.Add(new CollectionInfo(c.Id, c.Name ?? "Calendar", ItemKind.Event));
                }
            }, "calendars", cancellationToken).ConfigureAwait(false);
        }

        if ((kinds & ItemKind.Contact) != 0)
        {
            await ReadPagesAsync(connection.Resolve(Mailbox + "/contactFolders"), GraphJsonContext.Default.GraphPageGraphContactFolder, f =>
            {
                if (f.Id is not null)
                {
                    result.Add(new CollectionInfo(f.Id, f.DisplayName ?? "Contacts", ItemKind.Contact));
                }
            }, "contact folders", cancellationToken).ConfigureAwait(false);
        }

        if ((kinds & ItemKind.Task) != 0)
        {
            await ReadPagesAsync(connection.Resolve(Mailbox + "/todo/lists"), GraphJsonContext.Default.GraphPageGraphTodoTaskList, l =>
            {
                if (l.Id is not null)
                {
                    result.Add(new CollectionInfo(l.Id, l.DisplayName ?? "Tasks", ItemKind.Task));
                }
            }, "To Do lists", cancellationToken).ConfigureAwait(false);
        }

        return result;
    }

    public async Task<CollectionInfo> CreateCollectionAsync(string displayName, ItemKind kind, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(displayName);
        var (path, body) = kind switch
        {
            ItemKind.Event => ("/calendars", new GraphCollectionWrite { Name = displayName }),
            ItemKind.Contact => ("/contactFolders", new GraphCollectionWrite { DisplayName = displayName }),
            ItemKind.Task => ("/todo/lists", new GraphCollectionWrite { DisplayName = displayName }),
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "One kind per collection."),
        };
        var answer = await connection.SendJsonAsync(HttpMethod.Post, connection.Resolve(Mailbox + path), body, GraphJsonContext.Default.GraphCollectionWrite, cancellationToken).ConfigureAwait(false);
        if (!answer.IsSuccess)
        {
            throw new StoreException($"Graph could not create the {kind} collection \"{displayName}\": {answer.Describe()}");
        }

        var id = kind switch
        {
            ItemKind.Event => answer.Read(GraphJsonContext.Default.GraphCalendar, "create calendar").Id,
            ItemKind.Contact => answer.Read(GraphJsonContext.Default.GraphContactFolder, "create contact folder").Id,
            _ => answer.Read(GraphJsonContext.Default.GraphTodoTaskList, "create To Do list").Id,
        };
        return new CollectionInfo(id ?? throw new StoreException($"Graph created the {kind} collection \"{displayName}\" without an id"), displayName, kind);
    }

    public Task<ChangeFeed> GetChangesAsync(CollectionInfo collection, string? sinceToken, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(collection);
        return collection.Kind switch
        {
            ItemKind.Event => EventChangesAsync(collection, sinceToken, cancellationToken),
            ItemKind.Contact => ItemChangesAsync(collection, sinceToken, GraphJsonContext.Default.GraphPageGraphContact, ContactsPath(collection) + "/delta", cancellationToken),
            ItemKind.Task => ItemChangesAsync(collection, sinceToken, GraphJsonContext.Default.GraphPageGraphTodoTask, TasksPath(collection) + "/delta", cancellationToken),
            _ => throw new ArgumentOutOfRangeException(nameof(collection), collection.Kind, "One kind per collection."),
        };
    }

    public async Task<IReadOnlyList<FetchResult>> FetchAsync(CollectionInfo collection, IReadOnlyList<string> ids, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(collection);
        ArgumentNullException.ThrowIfNull(ids);
        if (ids.Count == 0)
        {
            return [];
        }

        var answers = await BatchGetAsync([.. ids.Select(id => (id, ItemUrl(collection, id)))], cancellationToken).ConfigureAwait(false);
        var results = new List<FetchResult>(ids.Count);
        foreach (var id in ids)
        {
            var answer = answers[id];
            results.Add(answer.Status switch
            {
                200 => await ReadFoundAsync(collection, id, answer.Body, cancellationToken).ConfigureAwait(false),
                404 => new FetchResult(id, FetchStatus.NotFound),
                // A malformed id cannot name an existing item of this mailbox.
                400 when answer.ErrorCode is "ErrorInvalidIdMalformed" or "ErrorInvalidId" => new FetchResult(id, FetchStatus.NotFound, Reason: answer.ErrorCode),
                _ => new FetchResult(id, FetchStatus.Unreadable, Reason: $"Graph answered HTTP {answer.Status} {answer.ErrorCode}: {answer.ErrorMessage}"),
            });
        }

        return results;
    }

    public Task<WriteResult> CreateAsync(CollectionInfo collection, ISyncItem item, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(collection);
        ArgumentNullException.ThrowIfNull(item);
        try
        {
            return (item, collection.Kind) switch
            {
                (CalendarEvent ev, ItemKind.Event) => CreateEventAsync(collection, ev, cancellationToken),
                (Contact c, ItemKind.Contact) => SendWriteAsync(HttpMethod.Post, connection.Resolve(ContactsPath(collection)), GraphContactMapping.Write(c), GraphJsonContext.Default.GraphContactWrite, null, null, cancellationToken),
                (TaskItem t, ItemKind.Task) => SendWriteAsync(HttpMethod.Post, connection.Resolve(TasksPath(collection)), GraphTaskMapping.Write(t, mapping, create: true), GraphJsonContext.Default.GraphTodoTaskWrite, null, null, cancellationToken),
                _ => Task.FromResult(WriteResult.Failed(WriteStatus.Rejected, $"a {item.GetType().Name} cannot go into a {collection.Kind} collection")),
            };
        }
        catch (MappingException ex)
        {
            return Task.FromResult(WriteResult.Failed(WriteStatus.Rejected, ex.Message));
        }
    }

    public Task<WriteResult> UpdateAsync(CollectionInfo collection, string id, string expectedVersion, ISyncItem item, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(collection);
        ArgumentException.ThrowIfNullOrEmpty(id);
        ArgumentException.ThrowIfNullOrEmpty(expectedVersion);
        ArgumentNullException.ThrowIfNull(item);
        try
        {
            return (item, collection.Kind) switch
            {
                (CalendarEvent ev, ItemKind.Event) => UpdateEventAsync(collection, id, expectedVersion, ev, cancellationToken),
                (Contact c, ItemKind.Contact) => SendWriteAsync(HttpMethod.Patch, connection.Resolve(ItemPath(collection, id)), GraphContactMapping.Write(c), GraphJsonContext.Default.GraphContactWrite, expectedVersion, id, cancellationToken),
                (TaskItem t, ItemKind.Task) => UpdateTaskAsync(collection, id, expectedVersion, t, cancellationToken),
                _ => Task.FromResult(WriteResult.Failed(WriteStatus.Rejected, $"a {item.GetType().Name} cannot go into a {collection.Kind} collection", id)),
            };
        }
        catch (MappingException ex)
        {
            return Task.FromResult(WriteResult.Failed(WriteStatus.Rejected, ex.Message, id));
        }
    }

    public async Task<WriteResult> DeleteAsync(CollectionInfo collection, string id, string expectedVersion, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(collection);
        ArgumentException.ThrowIfNullOrEmpty(id);
        ArgumentException.ThrowIfNullOrEmpty(expectedVersion);
        if (collection.Kind == ItemKind.Event && await SeriesVersionMismatchAsync(collection, id, expectedVersion, cancellationToken).ConfigureAwait(false) is { } mismatch)
        {
            return mismatch;
        }

        var answer = await connection.SendAsync(HttpMethod.Delete, connection.Resolve(ItemPath(collection, id)), null, cancellationToken, ifMatch: ETagOf(expectedVersion)).ConfigureAwait(false);
        return answer.IsSuccess ? WriteResult.Success(id, null) : Failure(answer, id);
    }

    /// <summary>
    /// Completing a recurring To Do task makes the server regenerate it (S19): a completed copy appears as a new
    /// task and the task itself moves on to its next due date (or, in To Do's other form, the task stays closed
    /// and the next one is new). Either way the item at this id is no longer what was written, which the write's
    /// answer shows: the version is then left out, so the engine reads the item again instead of taking it for
    /// its own echo.
    /// </summary>
    private async Task<WriteResult> UpdateTaskAsync(CollectionInfo collection, string id, string expectedVersion, TaskItem task, CancellationToken cancellationToken)
    {
        var body = GraphTaskMapping.Write(task, mapping, create: false);
        var answer = await connection.SendJsonAsync(HttpMethod.Patch, connection.Resolve(ItemPath(collection, id)), body, GraphJsonContext.Default.GraphTodoTaskWrite, cancellationToken, ifMatch: ETagOf(expectedVersion)).ConfigureAwait(false);
        if (!answer.IsSuccess)
        {
            return Failure(answer, id);
        }

        if (answer.Body.Length == 0)
        {
            return WriteResult.Success(id, null);
        }

        var written = answer.Read(GraphJsonContext.Default.GraphTodoTask, "task update");
        try
        {
            var echo = GraphTaskMapping.Read(written, mapping);
            var isEcho = echo.Status == task.Status && echo.Recurrence == task.Recurrence && echo.Due == task.Due
                && (written.LinkedResources is null || echo.Uid == task.Uid);
            return WriteResult.Success(id, isEcho ? written.ETag : null);
        }
        catch (MappingException)
        {
            return WriteResult.Success(id, null);
        }
    }

    // ---- shared plumbing ----

    private string ContactsPath(CollectionInfo c) => $"{Mailbox}/contactFolders/{Escape(c.Id)}/contacts";

    private string TasksPath(CollectionInfo c) => $"{Mailbox}/todo/lists/{Escape(c.Id)}/tasks";

    private string ItemPath(CollectionInfo c, string id) => c.Kind switch
    {
        ItemKind.Event => $"{Mailbox}/events/{Escape(id)}",
        ItemKind.Contact => $"{ContactsPath(c)}/{Escape(id)}",
        _ => $"{TasksPath(c)}/{Escape(id)}",
    };

    /// <summary>What a fetch reads of an item (relative to the version root, for <c>$batch</c>).</summary>
    private string ItemUrl(CollectionInfo c, string id) => c.Kind switch
    {
        ItemKind.Event => $"{ItemPath(c, id)}?$select={EventSelect}&$expand=exceptionOccurrences,{GraphProperties.EventExpand}",
        ItemKind.Contact => $"{ItemPath(c, id)}?$expand={GraphProperties.ContactExpand}",
        _ => $"{ItemPath(c, id)}?$expand=linkedResources",
    };

    private static string Escape(string id) => Uri.EscapeDataString(id);

    /// <summary>The etag to send as If-Match: a series version carries a digest of its exceptions after a '|'.</summary>
    private static string ETagOf(string version)
    {
        var bar = version.IndexOf('|', StringComparison.Ordinal);
        return bar < 0 ? version : version[..bar];
    }

    private async Task<FetchResult> ReadFoundAsync(CollectionInfo collection, string id, JsonElement body, CancellationToken cancellationToken)
    {
        try
        {
            switch (collection.Kind)
            {
                case ItemKind.Event:
                    var ev = body.Deserialize(GraphJsonContext.Default.GraphEvent) ?? throw new MappingException("empty event");
                    return await ReadEventAsync(id, ev, cancellationToken).ConfigureAwait(false);
                case ItemKind.Contact:
                    var contact = body.Deserialize(GraphJsonContext.Default.GraphContact) ?? throw new MappingException("empty contact");
                    return Found(id, contact.ETag ?? contact.ChangeKey, GraphContactMapping.Read(contact));
                default:
                    var task = body.Deserialize(GraphJsonContext.Default.GraphTodoTask) ?? throw new MappingException("empty task");
                    return Found(id, task.ETag, GraphTaskMapping.Read(task, mapping));
            }
        }
        catch (MappingException ex)
        {
            return new FetchResult(id, FetchStatus.Unreadable, Reason: ex.Message);
        }
        catch (JsonException ex)
        {
            return new FetchResult(id, FetchStatus.Unreadable, Reason: $"not the expected JSON: {ex.Message}");
        }
    }

    private static FetchResult Found(string id, string? version, ISyncItem item) =>
        string.IsNullOrEmpty(version)
            ? new FetchResult(id, FetchStatus.Unreadable, Reason: "the item came without an etag")
            : FetchResult.Found(new StoreItem(id, version, item));

    private async Task<WriteResult> SendWriteAsync<T>(HttpMethod method, Uri uri, T body, JsonTypeInfo<T> type, string? expectedVersion, string? id, CancellationToken cancellationToken)
    {
        var answer = await connection.SendJsonAsync(method, uri, body, type, cancellationToken, ifMatch: expectedVersion is null ? null : ETagOf(expectedVersion)).ConfigureAwait(false);
        if (!answer.IsSuccess)
        {
            return Failure(answer, id);
        }

        var written = answer.Body.Length == 0 ? null : answer.Read(GraphJsonContext.Default.GraphEntityHeader, "write");
        var newId = written?.Id ?? id ?? throw new StoreException($"Graph {method} {uri.AbsolutePath} answered without an id");
        return WriteResult.Success(newId, written?.ETag);
    }

    private static WriteResult Failure(GraphAnswer answer, string? id) => answer.Status switch
    {
        HttpStatusCode.PreconditionFailed => WriteResult.Failed(WriteStatus.PreconditionFailed, answer.Describe(), id),
        HttpStatusCode.NotFound => WriteResult.Failed(WriteStatus.NotFound, answer.Describe(), id),
        HttpStatusCode.BadRequest when answer.ErrorCode is "ErrorInvalidIdMalformed" or "ErrorInvalidId" => WriteResult.Failed(WriteStatus.NotFound, answer.Describe(), id),
        HttpStatusCode.Conflict => WriteResult.Failed(WriteStatus.AlreadyExists, answer.Describe(), id),
        _ => WriteResult.Failed(WriteStatus.Rejected, answer.Describe(), id),
    };

    /// <summary>Reads every page of a collection, following nextLinks on the configured root; returns the deltaLink, if any.</summary>
    private async Task<(string? DeltaLink, GraphAnswer? Failure)> ReadPagesAsync<T>(Uri first, JsonTypeInfo<GraphPage<T>> type, Action<T> each, string what, CancellationToken cancellationToken, bool failureIsAnswer = false)
    {
        Uri? next = first;
        var pages = 0;
        while (next is not null)
        {
            if (++pages > 100_000)
            {
                throw new StoreException($"Graph {what}: the server never stops paging");
            }

            var answer = await connection.SendAsync(HttpMethod.Get, next, null, cancellationToken, paged: true).ConfigureAwait(false);
            if (!answer.IsSuccess)
            {
                if (failureIsAnswer)
                {
                    return (null, answer);
                }

                throw new StoreException($"Graph {what}: {answer.Describe()}");
            }

            var page = answer.Read(type, what);
            foreach (var item in page.Value ?? [])
            {
                each(item);
            }

            if (page.DeltaLink is not null)
            {
                return (page.DeltaLink, null);
            }

            if (page.NextLink is null)
            {
                return (null, null);
            }

            next = connection.TrustedLink(page.NextLink) ?? throw new StoreException($"Graph {what}: the nextLink does not point at {connection.Root}");
        }

        return (null, null);
    }

    /// <summary>True for the answers Graph gives to a delta token it no longer knows (S05).</summary>
    private static bool IsInvalidToken(GraphAnswer answer) =>
        answer.Status == HttpStatusCode.Gone
        || (answer.Status is HttpStatusCode.BadRequest or HttpStatusCode.NotFound
            && answer.ErrorCode is { } code
            && (code.Contains("syncState", StringComparison.OrdinalIgnoreCase) || code.Contains("resync", StringComparison.OrdinalIgnoreCase) || code.Contains("deltaToken", StringComparison.OrdinalIgnoreCase)));

    /// <summary>Contacts and tasks: one delta query per collection; no token means the first round, a full listing.</summary>
    private async Task<ChangeFeed> ItemChangesAsync<T>(CollectionInfo collection, string? sinceToken, JsonTypeInfo<GraphPage<T>> type, string deltaPath, CancellationToken cancellationToken)
        where T : GraphEntity
    {
        Uri start;
        if (sinceToken is null)
        {
            start = connection.Resolve(deltaPath);
        }
        else if (GraphDeltaToken.Parse(sinceToken) is { WindowStart: null } token && connection.TrustedLink(token.DeltaLink) is { } link)
        {
            start = link;
        }
        else
        {
            return ChangeFeed.Invalid;
        }

        var changes = new Dictionary<string, ItemChange>(StringComparer.Ordinal);
        var (deltaLink, failure) = await ReadPagesAsync(start, type, e =>
        {
            if (e.Id is null)
            {
                return;
            }

            changes[e.Id] = e.Removed is not null
                ? new ItemChange(ChangeKind.Deleted, e.Id, null)
                : new ItemChange(ChangeKind.Upserted, e.Id, e.ETag);
        }, $"delta of {collection.Kind} collection", cancellationToken, failureIsAnswer: true).ConfigureAwait(false);
        if (failure is not null)
        {
            if (sinceToken is not null && IsInvalidToken(failure))
            {
                return ChangeFeed.Invalid;
            }

            throw new StoreException($"Graph delta of {collection.Kind} collection {collection.DisplayName}: {failure.Describe()}");
        }

        if (deltaLink is null)
        {
            throw new StoreException($"Graph delta of {collection.Kind} collection {collection.DisplayName} ended without a deltaLink");
        }

        return new ChangeFeed
        {
            Status = sinceToken is null ? ChangeFeedStatus.FullListing : ChangeFeedStatus.Changes,
            Changes = sinceToken is null ? [.. changes.Values.Where(c => c.Kind == ChangeKind.Upserted)] : [.. changes.Values],
            NewToken = new GraphDeltaToken(deltaLink).Format(),
        };
    }
}
