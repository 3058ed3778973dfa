using Connector.Domain;
using Connector.Sync.Stores;

namespace Connector.Stores.Dav.Tests.Replay;

/// <summary>
/// Nextcloud behaviour, replayed from hand-written conversations (Replay/Nextcloud/*/; each folder's README says
/// what it pins and where the behaviour was seen). No Nextcloud server runs in the tests.
/// </summary>
public sealed class NextcloudReplayTests
{
    private static readonly CollectionInfo Personal = new("/remote.php/dav/calendars/alice/personal/", "Personal", ItemKind.Event);

    [Fact]
    public async Task Discovery_WellKnownRedirect_ListsCalendarsPerKindAndSkipsInboxTrashAndSubscriptions()
    {
        var (store, replay) = Replay("discovery");

        var found = await store.DiscoverCollectionsAsync(ItemKind.Event | ItemKind.Task | ItemKind.Contact, CancellationToken.None);

        Assert.Equal(
            [
                ("/remote.php/dav/calendars/alice/personal/", "Personal", ItemKind.Event),
                ("/remote.php/dav/calendars/alice/personal/", "Personal", ItemKind.Task),
                ("/remote.php/dav/calendars/alice/work/", "Work", ItemKind.Event),
                ("/remote.php/dav/calendars/alice/tasks/", "Tasks", ItemKind.Task),
                ("/remote.php/dav/calendars/alice/contact_birthdays/", "Contact birthdays", ItemKind.Event),
                ("/remote.php/dav/addressbooks/users/alice/contacts/", "Contacts", ItemKind.Contact),
            ],
            found.Select(c => (c.Id, c.DisplayName, c.Kind)));
        replay.AssertAllServed();
    }

    [Fact]
    public async Task S05_TokenGoesBackwards_IsTokenInvalidThenFullListingRecovers()
    {
        var (store, replay) = Replay("token-goes-backwards");

        var feed = await store.GetChangesAsync(Personal, "dav1:s:http://sabre.io/ns/sync/120", CancellationToken.None);
        var full = await store.GetChangesAsync(Personal, null, CancellationToken.None);

        Assert.Equal(ChangeFeedStatus.TokenInvalid, feed.Status);
        Assert.Null(feed.NewToken);
        Assert.Equal(ChangeFeedStatus.FullListing, full.Status);
        Assert.Equal(2, full.Changes.Count);
        Assert.Equal("dav1:s:http://sabre.io/ns/sync/95", full.NewToken);
        replay.AssertAllServed();
    }

    [Fact]
    public async Task S05_TruncatedAnswerWithLatestToken_IsTokenInvalidNotAPage()
    {
        var (store, replay) = Replay("limit-truncation");

        var feed = await store.GetChangesAsync(Personal, "dav1:s:http://sabre.io/ns/sync/120", CancellationToken.None);

        Assert.Equal(ChangeFeedStatus.TokenInvalid, feed.Status);
        Assert.False(feed.MoreAvailable);
        replay.AssertAllServed();
    }

    [Fact]
    public async Task Incremental_ChangedAndDeleted_FetchesTheChangedEventFromSabreXml()
    {
        var (store, replay) = Replay("incremental");

        var feed = await store.GetChangesAsync(Personal, "dav1:s:http://sabre.io/ns/sync/120", CancellationToken.None);
        var upserted = Assert.Single(feed.Changes, c => c.Kind == ChangeKind.Upserted);
        var fetched = Assert.Single(await store.FetchAsync(Personal, [upserted.Id], CancellationToken.None));

        Assert.Equal(ChangeFeedStatus.Changes, feed.Status);
        Assert.Equal("dav1:s:http://sabre.io/ns/sync/123", feed.NewToken);
        Assert.Equal(
            [
                (ChangeKind.Upserted, "/remote.php/dav/calendars/alice/personal/nc-event-a.ics", "\"8f2a1c0e5b7d4e3f9a6b1c2d3e4f5a6b\""),
                (ChangeKind.Deleted, "/remote.php/dav/calendars/alice/personal/nc-event-b.ics", null),
            ],
            feed.Changes.Select(c => (c.Kind, c.Id, c.Version)));
        Assert.Equal(FetchStatus.Found, fetched.Status);
        var item = Assert.IsType<CalendarEvent>(fetched.Item!.Item);
        Assert.Equal("nc-event-a", item.Uid);
        Assert.Equal("Planning", item.Summary);
        Assert.Equal("Europe/Berlin", item.Start!.Value.TimeZoneId);
        Assert.Equal("bob@example.org", Assert.Single(item.Attendees).Email);
        Assert.Equal(upserted.Version, fetched.Item.Version);
        replay.AssertAllServed();
    }

    [Fact]
    public async Task S08_CreateUidInTrashBin_RejectedWithTrashBinReason()
    {
        var (store, replay) = Replay("trash-bin-uid");

        var result = await store.CreateAsync(Personal, Event("meeting-42"), CancellationToken.None);

        Assert.Equal(WriteStatus.Rejected, result.Status);
        Assert.StartsWith(DavWriteReasons.TrashBin, result.Reason, StringComparison.Ordinal);
        Assert.Contains("Deleted calendar object with uid already exists", result.Reason, StringComparison.Ordinal);
        replay.AssertAllServed();
    }

    [Fact]
    public async Task Create_UidTakenByAnotherResource_AlreadyExists()
    {
        var (store, replay) = Replay("uid-exists");

        var result = await store.CreateAsync(Personal, Event("meeting-42"), CancellationToken.None);

        Assert.Equal(WriteStatus.AlreadyExists, result.Status);
        Assert.StartsWith(DavWriteReasons.UidInUse, result.Reason, StringComparison.Ordinal);
        replay.AssertAllServed();
    }

    [Fact]
    public async Task Create_TaskIntoEventOnlyCalendar_Rejected()
    {
        var (store, replay) = Replay("vtodo-in-event-calendar");
        var work = new CollectionInfo("/remote.php/dav/calendars/alice/work/", "Work", ItemKind.Task);

        var result = await store.CreateAsync(work, new TaskItem { Uid = "task-7", Summary = "Report" }, CancellationToken.None);

        Assert.Equal(WriteStatus.Rejected, result.Status);
        Assert.StartsWith(DavWriteReasons.ComponentNotSupported, result.Reason, StringComparison.Ordinal);
        replay.AssertAllServed();
    }

    [Fact]
    public async Task Create_ServerWithholdsETag_SuccessWithoutVersion()
    {
        var (store, replay) = Replay("etag-withheld");

        var result = await store.CreateAsync(Personal, Event("meeting-43"), CancellationToken.None);

        Assert.Equal(WriteStatus.Success, result.Status);
        Assert.Equal("/remote.php/dav/calendars/alice/personal/meeting-43.ics", result.Id);
        Assert.Null(result.Version);
        replay.AssertAllServed();
    }

    [Fact]
    public async Task S16_WrongPassword_CredentialRejectedAfterOneRequest()
    {
        var (store, replay) = Replay("unauthorized");

        await Assert.ThrowsAsync<CredentialRejectedException>(() => store.DiscoverCollectionsAsync(ItemKind.Event, CancellationToken.None));

        Assert.Equal(1, replay.Served);
        replay.AssertAllServed();
    }

    [Fact]
    public async Task S14_Throttled_FractionalRetryAfterIsKept()
    {
        var (store, replay) = Replay("throttled");

        var thrown = await Assert.ThrowsAsync<ThrottledException>(
            () => store.GetChangesAsync(Personal, "dav1:s:http://sabre.io/ns/sync/120", CancellationToken.None));

        Assert.Equal(TimeSpan.FromSeconds(1.5), thrown.RetryAfter);
        replay.AssertAllServed();
    }

    private static CalendarEvent Event(string uid) => new()
    {
        Uid = uid,
        Summary = "Meeting",
        Start = CalendarTime.FromUtc(new DateTime(2025, 3, 10, 9, 0, 0, DateTimeKind.Utc)),
        End = CalendarTime.FromUtc(new DateTime(2025, 3, 10, 10, 0, 0, DateTimeKind.Utc)),
    };

    private static (DavItemStore Store, ReplayHandler Replay) Replay(string conversation)
    {
        var replay = new ReplayHandler(ReplayFiles.Load("Nextcloud", conversation), $"Nextcloud/{conversation}");
        var options = new DavStoreOptions { BaseUri = ReplayHandler.BaseUri, UserName = "alice", Password = "app-password" };
        return (new DavItemStore(new HttpClient(replay), options), replay);
    }
}
