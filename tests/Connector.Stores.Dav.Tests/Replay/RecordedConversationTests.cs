using Connector.Domain;
using Connector.Sync.Stores;
using Connector.Testing;
using Connector.Testing.Conformance;

namespace Connector.Stores.Dav.Tests.Replay;

/// <summary>
/// One recorded conversation per server (Replay/Radicale/conversation, Replay/Xandikos/conversation), replayed
/// without a server: discovery, collection creation, create/update/delete with preconditions, full and incremental
/// listings, multiget, a stale token. It pins the parsing of each server's real answers. Record again with
/// <c>CONNECTOR_DAV_RECORD=1</c> and the servers running (<c>./build.sh servers</c>); the same assertions run then.
/// </summary>
public sealed class RecordedConversationTests
{
    private const string Conversation = "conversation";

    [Theory]
    [InlineData(TestServer.Radicale)]
    [InlineData(TestServer.Xandikos)]
    public async Task Conversation_Replayed_ParsesEveryAnswer(TestServer server)
    {
        if (ReplayFiles.Recording)
        {
            await RecordAsync(server);
            return;
        }

        var replay = new ReplayHandler(ReplayFiles.Load(server.ToString(), Conversation), $"{server}/{Conversation}");
        var store = new DavItemStore(new HttpClient(replay), new DavStoreOptions { BaseUri = ReplayHandler.BaseUri, UserName = "test", Password = "test" });

        await RunAsync(store);

        replay.AssertAllServed();
    }

    private static async Task RecordAsync(TestServer server)
    {
        var dav = DavTestServers.Get(server);
        RecordingHandler? recorder = null;
        var store = DavTestServers.CreateStore(dav, inner => recorder = new RecordingHandler(inner, dav.BaseUri), quirks: null);
        var created = await RunAsync(store);
        ReplayFiles.Save(server.ToString(), Conversation, recorder!.Exchanges);
        foreach (var collection in created)
        {
            await DavTestServers.DeleteCollectionAsync(dav, collection);
        }
    }

    /// <summary>The conversation; returns the collections it created.</summary>
    private static async Task<IReadOnlyList<string>> RunAsync(DavItemStore store)
    {
        var ct = CancellationToken.None;
        var events = await store.CreateCollectionAsync("Replay events", ItemKind.Event, ct);
        Assert.Equal(ItemKind.Event, events.Kind);
        Assert.StartsWith("replay-events-", DavHref.LastSegment(events.Id), StringComparison.Ordinal);

        var discovered = await store.DiscoverCollectionsAsync(ItemKind.Event | ItemKind.Task | ItemKind.Contact, ct);
        Assert.Contains(discovered, c => c.Id == events.Id && c.Kind == ItemKind.Event && c.DisplayName == "Replay events");

        var unsafeUid = "replay/event 3 ü";
        var e1 = await CreateAsync(store, events, ConformanceItems.Event("replay-event-1"));
        var e2 = await CreateAsync(store, events, ConformanceItems.Event("replay-event-2"));
        var e3 = await CreateAsync(store, events, ConformanceItems.Event(unsafeUid));
        Assert.EndsWith("/replay-event-1.ics", e1.Id!, StringComparison.Ordinal);
        Assert.EndsWith("/" + DavResourceName.For(unsafeUid, ".ics"), e3.Id!, StringComparison.Ordinal);

        var full = await store.GetChangesAsync(events, null, ct);
        Assert.Equal(ChangeFeedStatus.FullListing, full.Status);
        Assert.Equal(
            new[] { (e1.Id, e1.Version), (e2.Id, e2.Version), (e3.Id, e3.Version) }.Order(),
            full.Changes.Select(c => ((string?)c.Id, c.Version)).Order());

        var missing = events.Id + "missing.ics";
        var fetched = await store.FetchAsync(events, [e3.Id!, missing, e1.Id!], ct);
        Assert.Equal([FetchStatus.Found, FetchStatus.NotFound, FetchStatus.Found], fetched.Select(f => f.Status));
        Assert.Equal(unsafeUid, fetched[0].Item!.Item.Uid);
        Assert.Equal(e1.Version, fetched[2].Item!.Version);
        Assert.Equal("Conformance event, revision 1", ((CalendarEvent)fetched[2].Item!.Item).Summary);

        var u1 = await store.UpdateAsync(events, e1.Id!, e1.Version!, ConformanceItems.Event("replay-event-1", revision: 2), ct);
        Assert.Equal(WriteStatus.Success, u1.Status);
        Assert.NotEqual(e1.Version, u1.Version);
        Assert.Equal(WriteStatus.Success, (await store.DeleteAsync(events, e2.Id!, e2.Version!, ct)).Status);
        Assert.Equal(WriteStatus.PreconditionFailed, (await store.UpdateAsync(events, e1.Id!, e1.Version!, ConformanceItems.Event("replay-event-1", revision: 3), ct)).Status);
        Assert.Equal(WriteStatus.PreconditionFailed, (await store.DeleteAsync(events, e1.Id!, e1.Version!, ct)).Status);

        var feed = await store.GetChangesAsync(events, full.NewToken, ct);
        Assert.Equal(ChangeFeedStatus.Changes, feed.Status);
        Assert.Equal(
            new[] { (ChangeKind.Upserted, e1.Id, u1.Version), (ChangeKind.Deleted, e2.Id, (string?)null) }.Order(),
            feed.Changes.Select(c => (c.Kind, (string?)c.Id, c.Version)).Order());
        var quiet = await store.GetChangesAsync(events, feed.NewToken, ct);
        Assert.Equal(ChangeFeedStatus.Changes, quiet.Status);
        Assert.Empty(quiet.Changes);

        var duplicate = await store.CreateAsync(events, ConformanceItems.Event("replay-event-1", revision: 4), ct);
        Assert.Equal(WriteStatus.AlreadyExists, duplicate.Status);

        // A token of the server's own form that it never issued: Radicale 403 valid-sync-token, Xandikos 500.
        var unknown = quiet.NewToken![..^8] + "00000000";
        Assert.Equal(ChangeFeedStatus.TokenInvalid, (await store.GetChangesAsync(events, unknown, ct)).Status);

        var tasks = await store.CreateCollectionAsync("Replay tasks", ItemKind.Task, ct);
        var t1 = await CreateAsync(store, tasks, ConformanceItems.Task("replay-task-1"));
        var taskListing = await store.GetChangesAsync(tasks, null, ct);
        Assert.Equal([t1.Id], taskListing.Changes.Select(c => c.Id));
        var task = Assert.Single(await store.FetchAsync(tasks, [t1.Id!], ct));
        Assert.Equal("Conformance task, revision 1", Assert.IsType<TaskItem>(task.Item!.Item).Summary);

        var book = await store.CreateCollectionAsync("Replay contacts", ItemKind.Contact, ct);
        var c1 = await CreateAsync(store, book, ConformanceItems.Contact("replay-contact-1"));
        var cardListing = await store.GetChangesAsync(book, null, ct);
        Assert.Equal([c1.Id], cardListing.Changes.Select(c => c.Id));
        var card = Assert.Single(await store.FetchAsync(book, [c1.Id!], ct));
        Assert.Equal("Ada Lovelace 1", Assert.IsType<Contact>(card.Item!.Item).FormattedName);

        return [events.Id, tasks.Id, book.Id];
    }

    private static async Task<WriteResult> CreateAsync(DavItemStore store, CollectionInfo collection, ISyncItem item)
    {
        var result = await store.CreateAsync(collection, item, CancellationToken.None);
        Assert.True(result.IsSuccess, $"create {item.Uid}: {result.Status} {result.Reason}");
        Assert.NotNull(result.Version);
        return result;
    }
}
