using Connector.Sync.State;
using Connector.Sync.Stores;
using Xunit;

namespace Connector.Testing.Conformance;

/// <summary>
/// What every <see cref="IStateStore"/> must do, as tests. Each implementation (SQLite, PostgreSQL) subclasses
/// this once and gets the whole suite:
/// <code>
/// public sealed class SqliteStateStoreConformanceTests : StateStoreConformanceTests { … }
/// </code>
/// The subclass gives every test instance a fresh, empty database of its own in <see cref="SetUpDatabaseAsync"/>
/// (xunit makes one instance per test), hands out store objects on it in <see cref="CreateStore"/>, and removes
/// it in <see cref="TearDownDatabaseAsync"/>. Times are passed explicitly (a fake clock): the store never reads
/// the clock for leases or due times. Tests are virtual: a store that must deviate overrides one and says why.
/// </summary>
public abstract partial class StateStoreConformanceTests : IAsyncLifetime, IDisposable
{
    /// <summary>Longest a single test may wait on the store; generous for a slow CI server.</summary>
    protected static readonly TimeSpan TestTimeout = TimeSpan.FromMinutes(2);

    /// <summary>The fake clock's start; tests add to it.</summary>
    protected static readonly DateTimeOffset T0 = new(2025, 3, 1, 8, 0, 0, TimeSpan.Zero);

    private readonly CancellationTokenSource _timeout = new(TestTimeout);
    private readonly List<IStateStore> _stores = [];

    /// <summary>Cancelled when the test has run for <see cref="TestTimeout"/>.</summary>
    protected CancellationToken Cancellation => _timeout.Token;

    /// <summary>
    /// The store's log cap (<c>StateStoreOptions.LogLinesPerUser</c>) as <see cref="CreateStore"/> configures it;
    /// keep it small (tens) so that the cap test is quick.
    /// </summary>
    protected abstract int LogLinesPerUser { get; }

    /// <summary>
    /// A new store object on this test's database: every call in one test reaches the same data, as several
    /// worker processes would. Not migrated. The suite disposes it after the test.
    /// </summary>
    protected abstract IStateStore CreateStore();

    /// <summary>Creates this test's empty database (a temporary file, a schema of its own, …).</summary>
    protected abstract Task SetUpDatabaseAsync(CancellationToken cancellationToken);

    /// <summary>Removes this test's database; runs after every store was disposed.</summary>
    protected abstract Task TearDownDatabaseAsync();

    /// <summary>
    /// Makes this test's (migrated) database raise an error whenever a relation with UID <paramref name="uid"/>
    /// is inserted, updated or deleted (a trigger): the atomicity tests use it to fail a commit half way.
    /// </summary>
    protected abstract Task RefuseRelationWritesAsync(string uid, CancellationToken cancellationToken);

    public async Task InitializeAsync() => await SetUpDatabaseAsync(Cancellation);

    public async Task DisposeAsync()
    {
        foreach (var store in _stores)
        {
            await store.DisposeAsync();
        }

        await TearDownDatabaseAsync();
    }

    public void Dispose()
    {
        _timeout.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>A store from <see cref="CreateStore"/>, disposed after the test.</summary>
    protected IStateStore NewStore()
    {
        var store = CreateStore();
        _stores.Add(store);
        return store;
    }

    /// <summary>A store on a migrated database.</summary>
    protected async Task<IStateStore> MigratedStoreAsync()
    {
        var store = NewStore();
        await store.MigrateAsync(Cancellation);
        return store;
    }

    protected static UserRecord User(string userId, DateTimeOffset dueAt, bool enabled = true) => new()
    {
        UserId = userId,
        Mailbox = userId + "@example.org",
        DueAt = dueAt,
        Enabled = enabled,
    };

    protected static FolderPair Pair(string userId, string exchangeCollection = "AAMkCalendar", string nextcloudCollection = "/remote.php/dav/calendars/u/personal/") => new()
    {
        UserId = userId,
        Kind = ItemKind.Event,
        ExchangeCollectionId = exchangeCollection,
        NextcloudCollectionId = nextcloudCollection,
    };

    protected static ItemRelation Relation(string uid, int revision = 1) => new()
    {
        Uid = uid,
        ExchangeId = "AAMkItem-" + uid,
        ExchangeVersion = "CQAAABYAAA" + revision,
        NextcloudId = "/remote.php/dav/calendars/u/personal/" + uid + ".ics",
        NextcloudVersion = "\"etag-" + revision + "\"",
        ContentHash = "sha256:" + uid + ":" + revision,
        UpdatedAt = T0.AddMinutes(revision),
    };

    /// <summary>A migrated store with user <c>alice</c> and one pair of hers.</summary>
    protected async Task<(IStateStore Store, FolderPair Pair)> StoreWithPairAsync()
    {
        var store = await MigratedStoreAsync();
        await store.UpsertUserAsync(User("alice", T0), Cancellation);
        var pair = await store.SavePairAsync(Pair("alice"), Cancellation);
        return (store, pair);
    }

    [ConformanceFact]
    public virtual async Task MigrateAsync_Twice_KeepsData()
    {
        var store = await MigratedStoreAsync();
        await store.UpsertUserAsync(User("alice", T0), Cancellation);

        await store.MigrateAsync(Cancellation);
        var other = NewStore();
        await other.MigrateAsync(Cancellation);

        Assert.Equal(User("alice", T0), await other.GetUserAsync("alice", Cancellation));
    }

    [ConformanceFact]
    public virtual async Task MigrateAsync_FromSeveralStoresAtOnce_MigratesOnce()
    {
        var stores = Enumerable.Range(0, 4).Select(_ => NewStore()).ToList();

        await Task.WhenAll(stores.Select(s => Task.Run(() => s.MigrateAsync(Cancellation))));

        await stores[0].UpsertUserAsync(User("alice", T0), Cancellation);
        Assert.Equal("alice", Assert.Single(await stores[3].ListUsersAsync(Cancellation)).UserId);
    }

    [ConformanceFact]
    public virtual async Task UpsertUser_New_IsReadBackWithEveryField()
    {
        var store = await MigratedStoreAsync();
        var user = new UserRecord
        {
            UserId = "alice",
            Mailbox = "alice@example.org",
            SyncMode = ItemKind.Event | ItemKind.Task,
            Enabled = false,
            IdentityName = "on-prem-1",
            DueAt = T0.AddMinutes(5),
            LastSuccessAt = T0.AddMinutes(-10),
            LastAttemptAt = T0.AddMinutes(-1),
            LastError = "ErrorServerBusy",
            ConsecutiveFailures = 3,
        };

        await store.UpsertUserAsync(user, Cancellation);

        Assert.Equal(user, await store.GetUserAsync("alice", Cancellation));
    }

    [ConformanceFact]
    public virtual async Task UpsertUser_Existing_OverwritesEveryField()
    {
        var store = await MigratedStoreAsync();
        await store.UpsertUserAsync(User("alice", T0) with { IdentityName = "a", LastError = "x", ConsecutiveFailures = 2 }, Cancellation);
        var changed = User("alice", T0.AddHours(1)) with { Mailbox = "alice.new@example.org", SyncMode = ItemKind.Contact, IdentityName = "b" };

        await store.UpsertUserAsync(changed, Cancellation);

        Assert.Equal(changed, await store.GetUserAsync("alice", Cancellation));
        Assert.Single(await store.ListUsersAsync(Cancellation));
    }

    [ConformanceFact]
    public virtual async Task GetUser_Unknown_IsNull()
    {
        var store = await MigratedStoreAsync();

        Assert.Null(await store.GetUserAsync("nobody", Cancellation));
    }

    [ConformanceFact]
    public virtual async Task ListUsers_ReturnsEveryUserByUserId()
    {
        var store = await MigratedStoreAsync();
        foreach (var id in new[] { "carol", "alice", "bob" })
        {
            await store.UpsertUserAsync(User(id, T0), Cancellation);
        }

        var users = await store.ListUsersAsync(Cancellation);

        Assert.Equal(["alice", "bob", "carol"], users.Select(u => u.UserId));
    }

    [ConformanceFact]
    public virtual async Task Times_AreKeptInUtcToTheMicrosecond()
    {
        var store = await MigratedStoreAsync();
        var local = new DateTimeOffset(2025, 3, 30, 3, 30, 0, TimeSpan.FromHours(2)).AddTicks(1_234_567);

        await store.UpsertUserAsync(User("alice", local) with { LastSuccessAt = local }, Cancellation);

        var read = await store.GetUserAsync("alice", Cancellation);
        var expected = new DateTimeOffset(2025, 3, 30, 1, 30, 0, TimeSpan.Zero).AddTicks(1_234_560);
        Assert.Equal(expected.UtcTicks, read!.DueAt.UtcTicks);
        Assert.Equal(TimeSpan.Zero, read.DueAt.Offset);
        Assert.Equal(expected.UtcTicks, read.LastSuccessAt!.Value.UtcTicks);
    }

    [ConformanceFact]
    public virtual async Task SavePair_New_GetsAnIdAndIsReadBack()
    {
        var store = await MigratedStoreAsync();
        await store.UpsertUserAsync(User("alice", T0), Cancellation);
        var pair = Pair("alice") with
        {
            Kind = ItemKind.Task,
            ExchangeToken = "H4sIAAAAAAAEAO29",
            NextcloudToken = "http://sabre.io/ns/sync/42",
            FirstSyncCompleted = true,
            State = PairState.Halted,
            StateReason = "S06: Nextcloud side listed no items, 120 expected",
        };

        var saved = await store.SavePairAsync(pair, Cancellation);

        Assert.True(saved.PairId > 0);
        Assert.Equal(pair with { PairId = saved.PairId }, saved);
        Assert.Equal(saved, Assert.Single(await store.GetPairsAsync("alice", Cancellation)));
    }

    [ConformanceFact]
    public virtual async Task SavePair_Existing_UpdatesEveryField()
    {
        var (store, pair) = await StoreWithPairAsync();
        var changed = pair with
        {
            NextcloudCollectionId = "/remote.php/dav/calendars/u/work/",
            ExchangeToken = "e2",
            NextcloudToken = "n2",
            FirstSyncCompleted = true,
            State = PairState.Halted,
            StateReason = "admin",
        };

        var saved = await store.SavePairAsync(changed, Cancellation);

        Assert.Equal(changed, saved);
        Assert.Equal(changed, Assert.Single(await store.GetPairsAsync("alice", Cancellation)));
    }

    [ConformanceFact]
    public virtual async Task SavePair_NewWithAStoredPairing_UpdatesThatPair()
    {
        var (store, pair) = await StoreWithPairAsync();

        var again = await store.SavePairAsync(Pair("alice") with { ExchangeToken = "e2" }, Cancellation);

        Assert.Equal(pair.PairId, again.PairId);
        Assert.Equal("e2", Assert.Single(await store.GetPairsAsync("alice", Cancellation)).ExchangeToken);
    }

    [ConformanceFact]
    public virtual async Task SavePair_UnknownPairId_Throws()
    {
        var (store, pair) = await StoreWithPairAsync();

        await Assert.ThrowsAsync<InvalidOperationException>(() => store.SavePairAsync(pair with { PairId = pair.PairId + 1000 }, Cancellation));
    }

    [ConformanceFact]
    public virtual async Task SavePair_UnknownUser_Throws()
    {
        var store = await MigratedStoreAsync();

        await Assert.ThrowsAnyAsync<System.Data.Common.DbException>(() => store.SavePairAsync(Pair("nobody"), Cancellation));
    }

    [ConformanceFact]
    public virtual async Task GetPairs_ReturnsOnlyThatUsersPairsById()
    {
        var (store, first) = await StoreWithPairAsync();
        await store.UpsertUserAsync(User("bob", T0), Cancellation);
        var second = await store.SavePairAsync(Pair("alice", "AAMkContacts", "/remote.php/dav/addressbooks/u/contacts/") with { Kind = ItemKind.Contact }, Cancellation);
        await store.SavePairAsync(Pair("bob"), Cancellation);

        var pairs = await store.GetPairsAsync("alice", Cancellation);

        Assert.Equal([first.PairId, second.PairId], pairs.Select(p => p.PairId));
        Assert.Empty(await store.GetPairsAsync("nobody", Cancellation));
    }

    [ConformanceFact]
    public virtual async Task S22_LargeSyncStateAndChangeKeys_AreStoredWhole()
    {
        var (store, pair) = await StoreWithPairAsync();
        var syncState = LargeOpaque(200 * 1024, 'S');
        var otherState = LargeOpaque(200 * 1024, 'N');
        var changeKey = LargeOpaque(16 * 1024, 'C');

        await store.SavePairAsync(pair with { ExchangeToken = syncState }, Cancellation);
        Assert.Equal(syncState, Assert.Single(await store.GetPairsAsync("alice", Cancellation)).ExchangeToken);

        await store.CommitAsync(pair.PairId, [Relation("u1") with { ExchangeVersion = changeKey }], [], new PairTokens(otherState, otherState), Cancellation);
        var stored = Assert.Single(await store.GetPairsAsync("alice", Cancellation));
        Assert.Equal(otherState, stored.ExchangeToken);
        Assert.Equal(otherState, stored.NextcloudToken);
        Assert.Equal(changeKey, Assert.Single(await store.GetRelationsAsync(pair.PairId, Cancellation)).ExchangeVersion);
    }

    [ConformanceFact]
    public virtual async Task ResetUser_RemovesPairsAndRelations_KeepsUserLogAndOtherUsers()
    {
        var (store, pair) = await StoreWithPairAsync();
        await store.CommitAsync(pair.PairId, [Relation("u1"), Relation("u2")], [], null, Cancellation);
        await store.AppendLogAsync(new SyncLogEntry("alice", T0, "Information", "synced"), Cancellation);
        await store.UpsertUserAsync(User("bob", T0), Cancellation);
        var bobs = await store.SavePairAsync(Pair("bob"), Cancellation);
        await store.CommitAsync(bobs.PairId, [Relation("u1")], [], null, Cancellation);

        await store.ResetUserAsync("alice", Cancellation);

        Assert.Empty(await store.GetPairsAsync("alice", Cancellation));
        Assert.Empty(await store.GetRelationsAsync(pair.PairId, Cancellation));
        Assert.Equal(User("alice", T0), await store.GetUserAsync("alice", Cancellation));
        Assert.Single(await store.GetLogAsync("alice", 10, Cancellation));
        Assert.Single(await store.GetPairsAsync("bob", Cancellation));
        Assert.Single(await store.GetRelationsAsync(bobs.PairId, Cancellation));
    }

    [ConformanceFact]
    public virtual async Task Log_IsReadNewestFirst_UpToMax()
    {
        var store = await MigratedStoreAsync();
        await store.UpsertUserAsync(User("alice", T0), Cancellation);
        await store.UpsertUserAsync(User("bob", T0), Cancellation);
        for (var i = 0; i < 5; i++)
        {
            await store.AppendLogAsync(new SyncLogEntry("alice", T0.AddSeconds(i), "Information", "line " + i), Cancellation);
        }

        await store.AppendLogAsync(new SyncLogEntry("bob", T0, "Warning", "bob's line"), Cancellation);

        var log = await store.GetLogAsync("alice", 3, Cancellation);
        Assert.Equal(["line 4", "line 3", "line 2"], log.Select(e => e.Message));
        Assert.Equal(new SyncLogEntry("alice", T0.AddSeconds(4), "Information", "line 4"), log[0]);
        Assert.Equal(new SyncLogEntry("bob", T0, "Warning", "bob's line"), Assert.Single(await store.GetLogAsync("bob", 10, Cancellation)));
        Assert.Empty(await store.GetLogAsync("nobody", 10, Cancellation));
    }

    [ConformanceFact]
    public virtual async Task Log_BeyondTheCap_KeepsTheNewestLines()
    {
        var store = await MigratedStoreAsync();
        await store.UpsertUserAsync(User("alice", T0), Cancellation);
        await store.UpsertUserAsync(User("bob", T0), Cancellation);
        await store.AppendLogAsync(new SyncLogEntry("bob", T0, "Information", "bob"), Cancellation);
        var total = LogLinesPerUser + 7;
        for (var i = 0; i < total; i++)
        {
            await store.AppendLogAsync(new SyncLogEntry("alice", T0.AddSeconds(i), "Information", "line " + i), Cancellation);
        }

        var log = await store.GetLogAsync("alice", total, Cancellation);

        Assert.Equal(LogLinesPerUser, log.Count);
        Assert.Equal("line " + (total - 1), log[0].Message);
        Assert.Equal("line 7", log[^1].Message);
        Assert.Single(await store.GetLogAsync("bob", 10, Cancellation));
    }

    private static string LargeOpaque(int length, char tag)
    {
        // Base64-like text with no repetition a store could shorten by accident.
        var random = new Random(length + tag);
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        return tag + new string(Enumerable.Range(1, length - 1).Select(_ => alphabet[random.Next(alphabet.Length)]).ToArray());
    }
}
