using System.Text;
using Connector.Domain;
using Connector.Sync.Stores;
using Connector.Testing.Conformance;

namespace Connector.Stores.Vdir.Tests;

/// <summary>vdir-only behaviour; the contract itself is covered by <see cref="VdirStoreConformanceTests"/>.</summary>
public sealed class VdirItemStoreTests : IDisposable
{
    private readonly TempFolder _root = new();
    private readonly VdirItemStore _store;

    public VdirItemStoreTests() => _store = new VdirItemStore(_root.Path);

    public void Dispose() => _root.Dispose();

    private static CancellationToken Ct => CancellationToken.None;

    private string FolderOf(CollectionInfo collection) => Path.Combine(_root.Path, collection.Id);

    [Fact]
    public async Task Writes_CreateUpdateDelete_LeaveNoTemporaryFiles()
    {
        var calendar = await _store.CreateCollectionAsync("Calendar", ItemKind.Event, Ct);
        var created = await _store.CreateAsync(calendar, ConformanceItems.Event("a"), Ct);
        var updated = await _store.UpdateAsync(calendar, created.Id!, created.Version!, ConformanceItems.Event("a", 2), Ct);
        await _store.CreateAsync(calendar, ConformanceItems.Event("b"), Ct);
        var refused = await _store.CreateAsync(calendar, ConformanceItems.Event("b", 2), Ct);
        await _store.DeleteAsync(calendar, updated.Id!, updated.Version!, Ct);

        Assert.Equal(WriteStatus.AlreadyExists, refused.Status);
        var files = Directory.GetFiles(FolderOf(calendar)).Select(Path.GetFileName).Order();
        Assert.Equal([".connector-created", "b.ics", "connector-kind", "displayname"], files);
    }

    [Fact]
    public async Task Changes_ItemCreatedAfterTheListingAndDeletedBeforeTheNext_IsReportedDeleted()
    {
        var calendar = await _store.CreateCollectionAsync("Calendar", ItemKind.Event, Ct);
        var listing = await _store.GetChangesAsync(calendar, null, Ct);
        var created = await _store.CreateAsync(calendar, ConformanceItems.Event("short-lived"), Ct);
        File.Delete(Path.Combine(FolderOf(calendar), created.Id!));

        var changes = await _store.GetChangesAsync(calendar, listing.NewToken, Ct);

        var change = Assert.Single(changes.Changes);
        Assert.Equal((ChangeKind.Deleted, created.Id), (change.Kind, change.Id));
    }

    [Fact]
    public async Task Create_SameUidFromManyWritersAtOnce_ExactlyOneWins()
    {
        var calendar = await _store.CreateCollectionAsync("Calendar", ItemKind.Event, Ct);
        var otherStoreSameFolder = new VdirItemStore(_root.Path);

        var results = await Task.WhenAll(Enumerable.Range(1, 16).Select(i =>
            Task.Run(() => (i % 2 == 0 ? _store : otherStoreSameFolder).CreateAsync(calendar, ConformanceItems.Event("race", i), Ct))));

        Assert.Single(results, r => r.IsSuccess);
        Assert.Equal(15, results.Count(r => r.Status == WriteStatus.AlreadyExists));
    }

    [Fact]
    public async Task Create_WhenTheFileAppearedOutOfBand_IsAlreadyExistsAndKeepsTheFile()
    {
        var calendar = await _store.CreateCollectionAsync("Calendar", ItemKind.Event, Ct);
        var path = Path.Combine(FolderOf(calendar), "hand-made.ics");
        await File.WriteAllTextAsync(path, "not ours", Ct);

        var result = await _store.CreateAsync(calendar, ConformanceItems.Event("hand-made"), Ct);

        Assert.Equal(WriteStatus.AlreadyExists, result.Status);
        Assert.Equal("not ours", await File.ReadAllTextAsync(path, Ct));
    }

    [Fact]
    public async Task Create_ItemOfAnotherKind_IsRejected()
    {
        var contacts = await _store.CreateCollectionAsync("Contacts", ItemKind.Contact, Ct);

        var result = await _store.CreateAsync(contacts, ConformanceItems.Event("e"), Ct);

        Assert.Equal(WriteStatus.Rejected, result.Status);
        Assert.Contains("Contact", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Changes_FileEditedByHand_IsUpsertedWithItsNewVersion()
    {
        var calendar = await _store.CreateCollectionAsync("Calendar", ItemKind.Event, Ct);
        var created = await _store.CreateAsync(calendar, ConformanceItems.Event("edited"), Ct);
        var token = (await _store.GetChangesAsync(calendar, null, Ct)).NewToken;
        var path = Path.Combine(FolderOf(calendar), created.Id!);
        var text = (await File.ReadAllTextAsync(path, Ct)).Replace("SUMMARY:Conformance event", "SUMMARY:Edited in an editor", StringComparison.Ordinal);
        await File.WriteAllTextAsync(path, text, Ct);

        var feed = await _store.GetChangesAsync(calendar, token, Ct);

        var change = Assert.Single(feed.Changes);
        Assert.Equal(new ItemChange(ChangeKind.Upserted, created.Id!, VdirItemCodec.Version(Encoding.UTF8.GetBytes(text))), change);
        var fetched = Assert.Single(await _store.FetchAsync(calendar, [created.Id!], Ct));
        Assert.StartsWith("Edited in an editor", ((CalendarEvent)fetched.Item!.Item).Summary, StringComparison.Ordinal);
        Assert.Equal(change.Version, fetched.Item.Version);
    }

    [Fact]
    public async Task Changes_FilesThatAreNotItems_AreIgnored()
    {
        var calendar = await _store.CreateCollectionAsync("Calendar", ItemKind.Event, Ct);
        var folder = FolderOf(calendar);
        var item = Encoding.UTF8.GetBytes("BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n");
        foreach (var name in new[] { ".hidden.ics", "x.ics.tmp", ".connector-0123.tmp", "color", "notes.txt", "card.vcf" })
        {
            await File.WriteAllBytesAsync(Path.Combine(folder, name), item, Ct);
        }

        Directory.CreateDirectory(Path.Combine(folder, "sub.ics"));
        await File.WriteAllBytesAsync(Path.Combine(folder, "real.ics"), item, Ct);

        var feed = await _store.GetChangesAsync(calendar, null, Ct);

        Assert.Equal(["real.ics"], feed.Changes.Select(c => c.Id));
    }

    [Fact]
    public async Task Changes_StaleTemporaryFileOfOurs_IsRemoved()
    {
        var calendar = await _store.CreateCollectionAsync("Calendar", ItemKind.Event, Ct);
        var stale = Path.Combine(FolderOf(calendar), ".connector-stale.tmp");
        var fresh = Path.Combine(FolderOf(calendar), ".connector-fresh.tmp");
        await File.WriteAllTextAsync(stale, "half", Ct);
        await File.WriteAllTextAsync(fresh, "half", Ct);
        File.SetLastWriteTimeUtc(stale, DateTime.UtcNow.AddDays(-1));

        await _store.GetChangesAsync(calendar, null, Ct);

        Assert.False(File.Exists(stale));
        Assert.True(File.Exists(fresh), "a temporary file being written right now must stay");
    }

    [Fact]
    public async Task Scan_FileDeletedBetweenListingAndHashing_IsLeftOut()
    {
        var folder = Path.Combine(_root.Path, "f");
        Directory.CreateDirectory(folder);
        await File.WriteAllTextAsync(Path.Combine(folder, "here.ics"), "x", Ct);

        var versions = await VdirFolderScanner.HashAsync(folder, ["here.ics", "vanished.ics"], Ct);

        Assert.Equal(["here.ics"], versions.Keys);
    }

    [Fact]
    public async Task Changes_CollectionFolderGone_ThrowsInsteadOfListingNothing()
    {
        var calendar = await _store.CreateCollectionAsync("Calendar", ItemKind.Event, Ct);
        var created = await _store.CreateAsync(calendar, ConformanceItems.Event("x"), Ct);
        var token = (await _store.GetChangesAsync(calendar, null, Ct)).NewToken;
        Directory.Delete(FolderOf(calendar), recursive: true);

        await Assert.ThrowsAsync<StoreException>(() => _store.GetChangesAsync(calendar, token, Ct));
        await Assert.ThrowsAsync<StoreException>(() => _store.GetChangesAsync(calendar, null, Ct));
        await Assert.ThrowsAsync<StoreException>(() => _store.FetchAsync(calendar, [created.Id!], Ct));
        await Assert.ThrowsAsync<StoreException>(() => _store.CreateAsync(calendar, ConformanceItems.Event("y"), Ct));
    }

    [Fact]
    public async Task Changes_TokenOfAnotherCollection_IsTokenInvalid()
    {
        var first = await _store.CreateCollectionAsync("First", ItemKind.Event, Ct);
        var second = await _store.CreateCollectionAsync("Second", ItemKind.Event, Ct);
        var token = (await _store.GetChangesAsync(first, null, Ct)).NewToken!;

        Assert.Equal(ChangeFeedStatus.TokenInvalid, (await _store.GetChangesAsync(second, token, Ct)).Status);
    }

    [Fact]
    public async Task S22_Changes_TenThousandFiles_TokenRoundTripsAndStaysReasonable()
    {
        var calendar = await _store.CreateCollectionAsync("Big", ItemKind.Event, Ct);
        var folder = FolderOf(calendar);
        var template = Encoding.UTF8.GetString(VdirItemCodec.Serialize(ConformanceItems.Event("UID-PLACEHOLDER")));
        for (var i = 0; i < 10_000; i++)
        {
            var uid = $"big-{i:D5}-{Guid.NewGuid():N}";
            await File.WriteAllTextAsync(Path.Combine(folder, uid + ".ics"), template.Replace("UID-PLACEHOLDER", uid, StringComparison.Ordinal), Ct);
        }

        var full = await _store.GetChangesAsync(calendar, null, Ct);
        File.Delete(Path.Combine(folder, full.Changes[0].Id));
        var next = await _store.GetChangesAsync(calendar, full.NewToken, Ct);

        Assert.Equal(10_000, full.Changes.Count);
        Assert.True(full.NewToken!.Length < 600_000, $"token of {full.NewToken.Length} characters");
        Assert.Equal(ChangeFeedStatus.Changes, next.Status);
        Assert.Equal(new ItemChange(ChangeKind.Deleted, full.Changes[0].Id, null), Assert.Single(next.Changes));
    }

    [Fact]
    public async Task Fetch_IdOutsideTheCollection_IsNotFound()
    {
        var calendar = await _store.CreateCollectionAsync("Calendar", ItemKind.Event, Ct);
        await File.WriteAllTextAsync(Path.Combine(_root.Path, "outside.ics"), "x", Ct);

        var results = await _store.FetchAsync(calendar, ["../outside.ics", "/etc/passwd", "connector-kind"], Ct);

        Assert.All(results, r => Assert.Equal(FetchStatus.NotFound, r.Status));
    }

    [Fact]
    public async Task Fetch_TaskFileInAnEventCollection_IsUnreadableSayingWhy()
    {
        var calendar = await _store.CreateCollectionAsync("Calendar", ItemKind.Event, Ct);
        await File.WriteAllBytesAsync(Path.Combine(FolderOf(calendar), "t.ics"), VdirItemCodec.Serialize(ConformanceItems.Task("t")), Ct);

        var result = Assert.Single(await _store.FetchAsync(calendar, ["t.ics"], Ct));

        Assert.Equal(FetchStatus.Unreadable, result.Status);
        Assert.Contains("VTODO", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task S21_Fetch_BrokenFile_ReasonIsTheMappingError()
    {
        var calendar = await _store.CreateCollectionAsync("Calendar", ItemKind.Event, Ct);
        await File.WriteAllBytesAsync(Path.Combine(FolderOf(calendar), "broken.ics"), ConformanceItems.Unreadable(ItemKind.Event, "broken-7"), Ct);

        var result = Assert.Single(await _store.FetchAsync(calendar, ["broken.ics"], Ct));

        Assert.Equal(FetchStatus.Unreadable, result.Status);
        Assert.Contains("UID=broken-7", result.Reason, StringComparison.Ordinal);
        Assert.Contains("20241399T250000Z", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Fetch_TwoItemsInOneFile_IsUnreadable()
    {
        var calendar = await _store.CreateCollectionAsync("Calendar", ItemKind.Event, Ct);
        var text = Mapping.ICalendar.ICalendarWriter.WriteCalendar([ConformanceItems.Event("a"), ConformanceItems.Event("b")], []);
        await File.WriteAllTextAsync(Path.Combine(FolderOf(calendar), "two.ics"), text, Ct);

        var result = Assert.Single(await _store.FetchAsync(calendar, ["two.ics"], Ct));

        Assert.Equal(FetchStatus.Unreadable, result.Status);
        Assert.Contains("holds one", result.Reason, StringComparison.Ordinal);
    }
}
