using Connector.State;
using Connector.Stores.Dav;
using Connector.Sync.Engine;
using Connector.Sync.State;
using Connector.Sync.Stores;
using Connector.Testing;

namespace Connector.EndToEnd.Tests;

/// <summary>
/// What every engine end-to-end test sets up besides its Exchange side: a temporary folder, the state in SQLite with
/// one user, and a DAV store on the Radicale build.sh started. <see cref="Dav"/> is null when Radicale is missing
/// outside CI: the tests that need it are [ServerFact(TestServer.Radicale)] and skip then.
/// </summary>
internal sealed class EndToEndSetup : IAsyncDisposable
{
    private EndToEndSetup(string folder, string userId, SqliteStateStore state, DavItemStore? dav)
    {
        Folder = folder;
        UserId = userId;
        State = state;
        Dav = dav;
    }

    /// <summary>The temporary folder (state.db lives here); deleted on dispose.</summary>
    public string Folder { get; }

    public string UserId { get; }

    public SqliteStateStore State { get; }

    public DavItemStore? Dav { get; }

    /// <param name="folderPrefix">Prefix of the temporary folder's name, e.g. <c>connector-e2e-ews-</c>.</param>
    public static async Task<EndToEndSetup> CreateAsync(string folderPrefix, string userId, string mailbox)
    {
        var folder = Directory.CreateTempSubdirectory(folderPrefix).FullName;
        var state = new SqliteStateStore(Path.Combine(folder, "state.db"));
        await state.MigrateAsync(CancellationToken.None);
        await state.UpsertUserAsync(new UserRecord { UserId = userId, Mailbox = mailbox }, CancellationToken.None);
        DavItemStore? dav = null;
        if (TestServerEnvironment.IsAvailable(TestServer.Radicale) || TestServerEnvironment.IsCi)
        {
            var server = TestServerEnvironment.Radicale;
            dav = new DavItemStore(
                new HttpClient(server.CreateHttpHandler()),
                new DavStoreOptions { BaseUri = server.BaseUri, UserName = server.UserName, Password = server.Password, Quirks = DavServerQuirks.Radicale });
        }

        return new EndToEndSetup(folder, userId, state, dav);
    }

    /// <summary>One engine run of <paramref name="pair"/> (as the state now holds it) between <paramref name="exchangeSide"/> and Radicale.</summary>
    public async Task<SyncReport> SyncAsync(IItemStore exchangeSide, FolderPair pair, CollectionInfo exchange, CollectionInfo nextcloud)
    {
        var current = (await State.GetPairsAsync(UserId, CancellationToken.None)).Single(p => p.PairId == pair.PairId);
        return await new PairSynchronizer(exchangeSide, Dav!, State, new SyncOptions()).SyncAsync(current, exchange, nextcloud, CancellationToken.None);
    }

    public async ValueTask DisposeAsync()
    {
        await State.DisposeAsync();
        Directory.Delete(Folder, recursive: true);
    }
}
