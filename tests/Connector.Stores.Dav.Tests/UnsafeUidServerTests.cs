using Connector.Domain;
using Connector.Sync.Stores;
using Connector.Testing;
using Connector.Testing.Conformance;

namespace Connector.Stores.Dav.Tests;

/// <summary>S22: UIDs that are unsafe in a path survive create, listing, fetch, update and delete on both servers.</summary>
public sealed class UnsafeUidServerTests
{
    // No ';', ',' or '\': the mapping layer does not yet escape UID as TEXT (see DavStoreConformanceTests).
    public static TheoryData<TestServer, string> Uids()
    {
        string[] uids =
        [
            "plain-uid@example.org",
            "040000008200E00074C5B7101A82E00800000000D0A5F3F2",
            "slash/in/uid",
            "with space and ü",
            ".hidden",
            "percent%2Fencoded%20",
            "question?and#hash",
            "plus+amp&equals=",
            "emoji-😀",
            new string('L', 300),
        ];
        var data = new TheoryData<TestServer, string>();
        foreach (var server in new[] { TestServer.Radicale, TestServer.Xandikos })
        {
            foreach (var uid in uids)
            {
                data.Add(server, uid);
            }
        }

        return data;
    }

    [ServerTheory(TestServer.Radicale, TestServer.Xandikos)]
    [MemberData(nameof(Uids))]
    public async Task S22_UnsafeUid_FullLifecycle(TestServer which, string uid)
    {
        var server = DavTestServers.Get(which);
        var store = DavTestServers.CreateStore(server);
        var collection = await DavTestServers.NewCollectionAsync(store, ItemKind.Event, "S22");
        try
        {
            var created = await store.CreateAsync(collection, ConformanceItems.Event(uid), CancellationToken.None);
            Assert.True(created.IsSuccess, $"{created.Status} {created.Reason}");
            Assert.EndsWith("/" + Uri.EscapeDataString(DavResourceName.For(uid, ".ics")), created.Id, StringComparison.Ordinal);

            var listed = await store.GetChangesAsync(collection, null, CancellationToken.None);
            var fetched = Assert.Single(await store.FetchAsync(collection, [created.Id!], CancellationToken.None));
            var again = await store.CreateAsync(collection, ConformanceItems.Event(uid, 2), CancellationToken.None);
            var updated = await store.UpdateAsync(collection, created.Id!, fetched.Item!.Version, ConformanceItems.Event(uid, 3), CancellationToken.None);
            var refetched = Assert.Single(await store.FetchAsync(collection, [created.Id!], CancellationToken.None));
            var deleted = await store.DeleteAsync(collection, created.Id!, updated.Version ?? refetched.Item!.Version, CancellationToken.None);

            Assert.Equal([created.Id], listed.Changes.Select(c => c.Id));
            Assert.Equal(uid, fetched.Item.Item.Uid);
            Assert.Equal(WriteStatus.AlreadyExists, again.Status);
            Assert.Equal(WriteStatus.Success, updated.Status);
            Assert.Equal("Conformance event, revision 3", ((CalendarEvent)refetched.Item!.Item).Summary);
            Assert.Equal(WriteStatus.Success, deleted.Status);
        }
        finally
        {
            await DavTestServers.DeleteCollectionAsync(server, collection.Id);
        }
    }
}
