using System.Globalization;
using System.Collections.Concurrent;
using Connector.Domain;
using Connector.Sync.Stores;

namespace Connector.Stores.Vdir;

/// <summary>
/// A store on a vdir: <c>root/&lt;collection&gt;/&lt;item&gt;.ics|.vcf</c>, one item per file, as vdirsyncer,
/// khal and khard keep them. Collection id = folder name; item id = file name; version = SHA-256 of the
/// file's bytes. The change feed rescans the folder and compares with the names and hashes kept in the
/// token. Layout, token format and limits: README.md beside this file.
/// </summary>
/// <remarks>
/// Conditional writes compare the file's current hash and then replace it; writers in this process are
/// serialised per folder, so only another program writing the same file in the microseconds between the
/// check and the rename can be overwritten (the vdir format has no locking).
/// </remarks>
public sealed class VdirItemStore : IItemStore
{
    /// <summary>Writers in this process, per collection folder (full path): check-then-write must not interleave.</summary>
    private static readonly ConcurrentDictionary<string, SemaphoreSlim> FolderLocks = new(StringComparer.Ordinal);

    public VdirItemStore(string rootPath)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(rootPath);
        RootPath = Path.GetFullPath(rootPath);
    }

    /// <summary>The folder holding one sub-folder per collection.</summary>
    public string RootPath { get; }

    public StoreCapabilities Capabilities { get; } = new()
    {
        Kinds = ItemKind.Event | ItemKind.Task | ItemKind.Contact,
        IncrementalChanges = true,
        CreatesCollections = true,
    };

    public async Task<IReadOnlyList<CollectionInfo>> DiscoverCollectionsAsync(ItemKind kinds, CancellationToken cancellationToken)
    {
        if (!Directory.Exists(RootPath))
        {
            return [];
        }

        var result = new List<CollectionInfo>();
        try
        {
            foreach (var folder in Directory.EnumerateDirectories(RootPath).Order(StringComparer.Ordinal))
            {
                if (!VdirFileNames.IsValidCollectionId(Path.GetFileName(folder)))
                {
                    continue;
                }

                var collection = await VdirCollectionMetadata.ReadAsync(folder, cancellationToken);
                if (collection is not null && (collection.Kind & kinds) != 0)
                {
                    result.Add(collection);
                }
            }
        }
        catch (Exception ex) when (IsFileSystemFailure(ex))
        {
            throw Failure($"cannot list the collections in {RootPath}", ex);
        }

        return result;
    }

    public async Task<CollectionInfo> CreateCollectionAsync(string displayName, ItemKind kind, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(displayName);
        if (kind is not (ItemKind.Event or ItemKind.Task or ItemKind.Contact))
        {
            throw new ArgumentOutOfRangeException(nameof(kind), kind, "A vdir collection holds exactly one kind of item.");
        }

        try
        {
            Directory.CreateDirectory(RootPath);
            var baseName = VdirFileNames.ForCollection(displayName);
            for (var attempt = 1; attempt < 10_000; attempt++)
            {
                var id = attempt == 1 ? baseName : $"{baseName}-{attempt}";
                var folder = Path.Combine(RootPath, id);
                if (Directory.Exists(folder))
                {
                    continue;
                }

                // Two creators may pick the same free name; the one that writes the kind file owns it.
                Directory.CreateDirectory(folder);
                if (VdirCollectionMetadata.TryClaim(folder, kind))
                {
                    await VdirCollectionMetadata.WriteDisplayNameAsync(folder, displayName, cancellationToken);
                    return new CollectionInfo(id, displayName, kind);
                }
            }
        }
        catch (Exception ex) when (IsFileSystemFailure(ex))
        {
            throw Failure($"cannot create a collection in {RootPath}", ex);
        }

        throw new StoreException($"vdir: no free folder name for a collection named like '{displayName}' in {RootPath}.");
    }

    public async Task<ChangeFeed> GetChangesAsync(CollectionInfo collection, string? sinceToken, CancellationToken cancellationToken)
    {
        var folder = FolderOf(collection);
        SortedDictionary<string, string> current;
        try
        {
            current = await VdirFolderScanner.ScanAsync(folder, VdirFileNames.ExtensionFor(collection.Kind), cancellationToken);
        }
        catch (Exception ex) when (IsFileSystemFailure(ex))
        {
            // A missing folder (unmounted disk, deleted collection) is never an empty listing (S06).
            throw Failure($"cannot scan the collection folder {folder}", ex);
        }

        // The token also carries the creation journal's position (see VdirCreationJournal).
        var journalPosition = VdirCreationJournal.LastSequence(folder);
        var newToken = JournalPrefix + journalPosition.ToString(CultureInfo.InvariantCulture) + "." + VdirChangeToken.Encode(collection.Id, current);
        if (sinceToken is null)
        {
            return new ChangeFeed
            {
                Status = ChangeFeedStatus.FullListing,
                Changes = current.Select(e => new ItemChange(ChangeKind.Upserted, e.Key, e.Value)).ToList(),
                NewToken = newToken,
            };
        }

        if (!TrySplitJournalPosition(sinceToken, out var sincePosition, out var snapshot)
            || VdirChangeToken.TryDecode(snapshot, collection.Id) is not { } previous)
        {
            return ChangeFeed.Invalid;
        }

        var changes = new List<ItemChange>();
        foreach (var (name, version) in current)
        {
            if (!previous.TryGetValue(name, out var fingerprint) || fingerprint != VdirChangeToken.Fingerprint(version))
            {
                changes.Add(new ItemChange(ChangeKind.Upserted, name, version));
            }
        }

        changes.AddRange(previous.Keys.Where(name => !current.ContainsKey(name)).Order(StringComparer.Ordinal)
            .Select(name => new ItemChange(ChangeKind.Deleted, name, null)));

        // Created by this store after the snapshot and gone again before this listing.
        changes.AddRange(VdirCreationJournal.CreatedAfter(folder, sincePosition)
            .Where(name => !current.ContainsKey(name) && !previous.ContainsKey(name))
            .Distinct(StringComparer.Ordinal)
            .Select(name => new ItemChange(ChangeKind.Deleted, name, null)));
        return new ChangeFeed { Status = ChangeFeedStatus.Changes, Changes = changes, NewToken = newToken };
    }

    private const string JournalPrefix = "j";

    private static bool TrySplitJournalPosition(string token, out long position, out string snapshot)
    {
        position = 0;
        snapshot = string.Empty;
        var dot = token.IndexOf('.', StringComparison.Ordinal);
        if (!token.StartsWith(JournalPrefix, StringComparison.Ordinal) || dot < 2
            || !long.TryParse(token.AsSpan(1, dot - 1), NumberStyles.None, CultureInfo.InvariantCulture, out position))
        {
            return false;
        }

        snapshot = token[(dot + 1)..];
        return true;
    }

    public async Task<IReadOnlyList<FetchResult>> FetchAsync(CollectionInfo collection, IReadOnlyList<string> ids, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ids);
        var folder = FolderOf(collection);
        if (!Directory.Exists(folder))
        {
            throw Failure($"the collection folder {folder} does not exist", null);
        }

        var results = new List<FetchResult>(ids.Count);
        foreach (var id in ids)
        {
            results.Add(await FetchOneAsync(folder, collection.Kind, id, cancellationToken));
        }

        return results;
    }

    public async Task<WriteResult> CreateAsync(CollectionInfo collection, ISyncItem item, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(item);
        if (!VdirItemCodec.Fits(item, collection.Kind))
        {
            return WrongKind(item, collection);
        }

        var folder = FolderOf(collection);
        var id = VdirFileNames.ForItem(item.Uid, collection.Kind);
        var content = VdirItemCodec.Serialize(item);
        return await UnderFolderLockAsync(folder, async () =>
        {
            if (!Directory.Exists(folder))
            {
                throw Failure($"the collection folder {folder} does not exist", null);
            }

            if (!await AtomicFile.TryCreateAsync(Path.Combine(folder, id), content, cancellationToken))
            {
                return WriteResult.Failed(WriteStatus.AlreadyExists, $"the file {id} exists (an item with this UID)", id);
            }

            VdirCreationJournal.Append(folder, id);
            return WriteResult.Success(id, VdirItemCodec.Version(content));
        }, cancellationToken);
    }

    public async Task<WriteResult> UpdateAsync(CollectionInfo collection, string id, string expectedVersion, ISyncItem item, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(item);
        if (!VdirItemCodec.Fits(item, collection.Kind))
        {
            return WrongKind(item, collection);
        }

        var content = VdirItemCodec.Serialize(item);
        return await WriteIfCurrentAsync(collection, id, expectedVersion, async path =>
        {
            await AtomicFile.ReplaceAsync(path, content, cancellationToken);
            return WriteResult.Success(id, VdirItemCodec.Version(content));
        }, cancellationToken);
    }

    public Task<WriteResult> DeleteAsync(CollectionInfo collection, string id, string expectedVersion, CancellationToken cancellationToken) =>
        WriteIfCurrentAsync(collection, id, expectedVersion, path =>
        {
            File.Delete(path);
            return Task.FromResult(WriteResult.Success(id, null));
        }, cancellationToken);

    private async Task<WriteResult> WriteIfCurrentAsync(CollectionInfo collection, string id, string expectedVersion, Func<string, Task<WriteResult>> write, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(id);
        ArgumentNullException.ThrowIfNull(expectedVersion);
        var folder = FolderOf(collection);
        if (!VdirFileNames.IsValidItemId(id, VdirFileNames.ExtensionFor(collection.Kind)))
        {
            return WriteResult.Failed(WriteStatus.NotFound, "not an item of this collection", id);
        }

        var path = Path.Combine(folder, id);
        return await UnderFolderLockAsync(folder, async () =>
        {
            var current = await VdirFolderScanner.TryReadAsync(path, cancellationToken);
            if (current is null)
            {
                return WriteResult.Failed(WriteStatus.NotFound, "the file is gone", id);
            }

            return VdirItemCodec.Version(current) == expectedVersion
                ? await write(path)
                : WriteResult.Failed(WriteStatus.PreconditionFailed, "the file changed since it was read", id);
        }, cancellationToken);
    }

    private static async Task<FetchResult> FetchOneAsync(string folder, ItemKind kind, string id, CancellationToken cancellationToken)
    {
        if (!VdirFileNames.IsValidItemId(id, VdirFileNames.ExtensionFor(kind)))
        {
            return new FetchResult(id, FetchStatus.NotFound, Reason: "not an item of this collection");
        }

        byte[]? content;
        try
        {
            content = await VdirFolderScanner.TryReadAsync(Path.Combine(folder, id), cancellationToken);
        }
        catch (Exception ex) when (IsFileSystemFailure(ex))
        {
            return new FetchResult(id, FetchStatus.Unreadable, Reason: $"cannot read the file: {ex.Message}");
        }

        if (content is null)
        {
            return new FetchResult(id, FetchStatus.NotFound);
        }

        var (item, problem) = VdirItemCodec.Read(content, kind);
        return item is null
            ? new FetchResult(id, FetchStatus.Unreadable, Reason: problem)
            : FetchResult.Found(new StoreItem(id, VdirItemCodec.Version(content), item));
    }

    private static async Task<WriteResult> UnderFolderLockAsync(string folder, Func<Task<WriteResult>> write, CancellationToken cancellationToken)
    {
        var gate = FolderLocks.GetOrAdd(folder, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken);
        try
        {
            return await write();
        }
        catch (Exception ex) when (IsFileSystemFailure(ex))
        {
            throw Failure($"cannot write in {folder}", ex);
        }
        finally
        {
            gate.Release();
        }
    }

    private string FolderOf(CollectionInfo collection)
    {
        ArgumentNullException.ThrowIfNull(collection);
        if (!VdirFileNames.IsValidCollectionId(collection.Id))
        {
            throw new ArgumentException($"'{collection.Id}' is not a vdir collection id (a folder name).", nameof(collection));
        }

        if (collection.Kind is not (ItemKind.Event or ItemKind.Task or ItemKind.Contact))
        {
            throw new ArgumentException($"A vdir collection holds exactly one kind of item, not {collection.Kind}.", nameof(collection));
        }

        return Path.Combine(RootPath, collection.Id);
    }

    private static WriteResult WrongKind(ISyncItem item, CollectionInfo collection) =>
        WriteResult.Failed(WriteStatus.Rejected, $"a {item.GetType().Name} cannot be stored in a collection of {collection.Kind} items");

    private static bool IsFileSystemFailure(Exception ex) => ex is IOException or UnauthorizedAccessException;

    private static StoreException Failure(string what, Exception? inner) =>
        inner is null ? new StoreException("vdir: " + what + ".") : new StoreException($"vdir: {what}: {inner.Message}", inner);
}
