using System.Xml.Linq;

namespace Connector.Emulator.Tests;

public sealed class SyncFolderItemsTests
{
    private static readonly XNamespace M = EwsResponse.M;
    private static readonly XNamespace T = EwsResponse.T;

    [Fact]
    public async Task Paging_FiveItemsTwoPerCall_TakesThreeCallsAndFlagsOnlyTheLast()
    {
        await using var scope = await EmulatorScope.StartAsync();
        await CreateEventsAsync(scope, 5);

        var pages = new List<(int Changes, bool Last)>();
        string? state = null;
        var seen = new List<string>();
        for (var call = 0; call < 10; call++)
        {
            var response = (await scope.CallAsync(Soap.SyncFolderItems("calendar", 2, state))).AssertSuccess();
            var message = response.Messages.Single();
            state = message.Element(M + "SyncState")!.Value;
            var changes = message.Element(M + "Changes")!.Elements().ToList();
            Assert.All(changes, c => Assert.Equal("Create", c.Name.LocalName));
            seen.AddRange(changes.Select(c => (string)c.Descendants(T + "ItemId").Single().Attribute("Id")!));
            var last = bool.Parse(message.Element(M + "IncludesLastItemInRange")!.Value);
            pages.Add((changes.Count, last));
            if (last)
            {
                break;
            }
        }

        Assert.Equal([(2, false), (2, false), (1, true)], pages);
        Assert.Equal(5, seen.Distinct().Count());
    }

    [Fact]
    public async Task Changes_AfterState_AreNetUpdatesAndDeletesWithIdAndChangeKey()
    {
        await using var scope = await EmulatorScope.StartAsync();
        var ids = await CreateEventsAsync(scope, 3);
        var state = (await scope.CallAsync(Soap.SyncFolderItems("calendar", 512))).AssertSuccess().Messages.Single().Element(M + "SyncState")!.Value;

        var updated = (await scope.CallAsync(Soap.UpdateItem(Soap.ItemId(ids[0].Id, ids[0].ChangeKey), Soap.SetField("item:Subject", "CalendarItem", "<t:Subject>Renamed</t:Subject>")))).AssertSuccess().FirstItemId();
        await scope.CallAsync(Soap.DeleteItem(Soap.ItemId(ids[1].Id)));
        var created = (await scope.CallAsync(Soap.CreateItem(Soap.Event("New", "2026-03-04T10:00:00", "2026-03-04T11:00:00")))).AssertSuccess().FirstItemId();
        await scope.CallAsync(Soap.UpdateItem(Soap.ItemId(created.Id, created.ChangeKey), Soap.SetField("item:Subject", "CalendarItem", "<t:Subject>New, renamed</t:Subject>")));

        var changes = (await scope.CallAsync(Soap.SyncFolderItems("calendar", 512, state))).AssertSuccess().Messages.Single().Element(M + "Changes")!.Elements().ToList();

        Assert.Equal(["Update", "Delete", "Create"], changes.Select(c => c.Name.LocalName));
        var updateId = changes[0].Descendants(T + "ItemId").Single();
        Assert.Equal(updated.Id, (string)updateId.Attribute("Id")!);
        Assert.Equal(updated.ChangeKey, (string)updateId.Attribute("ChangeKey")!);
        var deleteId = changes[1].Element(T + "ItemId")!;
        Assert.Equal(ids[1].Id, (string)deleteId.Attribute("Id")!);
        Assert.NotNull(deleteId.Attribute("ChangeKey"));
    }

    [Fact]
    public async Task NoChanges_ReturnsEmptyChangesAndTheLastItemFlag()
    {
        await using var scope = await EmulatorScope.StartAsync();
        await CreateEventsAsync(scope, 1);
        var state = (await scope.CallAsync(Soap.SyncFolderItems("calendar", 10))).Messages.Single().Element(M + "SyncState")!.Value;

        var message = (await scope.CallAsync(Soap.SyncFolderItems("calendar", 10, state))).AssertSuccess().Messages.Single();

        Assert.Empty(message.Element(M + "Changes")!.Elements());
        Assert.Equal("true", message.Element(M + "IncludesLastItemInRange")!.Value);
    }

    [Theory]
    [InlineData("not base64 at all!")]
    [InlineData("H4sIAAAAAAAEAO29B2AcSZYlJi9tynt/SvVK1")]
    public async Task BadSyncState_IsErrorInvalidSyncStateData(string state)
    {
        await using var scope = await EmulatorScope.StartAsync();
        var response = await scope.CallAsync(Soap.SyncFolderItems("calendar", 10, state));

        Assert.Equal(["ErrorInvalidSyncStateData"], response.ResponseCodes);
        Assert.Equal("Error", (string)response.Messages.Single().Attribute("ResponseClass")!);
        response.AssertSchemaValid();
    }

    [Fact]
    public async Task StateOfAnotherFolder_IsErrorInvalidSyncStateData()
    {
        await using var scope = await EmulatorScope.StartAsync();
        var state = (await scope.CallAsync(Soap.SyncFolderItems("contacts", 10))).Messages.Single().Element(M + "SyncState")!.Value;

        var response = await scope.CallAsync(Soap.SyncFolderItems("calendar", 10, state));

        Assert.Equal(["ErrorInvalidSyncStateData"], response.ResponseCodes);
    }

    [Fact]
    public async Task InvalidatedStates_AreErrorInvalidSyncStateData()
    {
        await using var scope = await EmulatorScope.StartAsync();
        var state = (await scope.CallAsync(Soap.SyncFolderItems("calendar", 10))).Messages.Single().Element(M + "SyncState")!.Value;
        scope.Emulator.Mailbox(EmulatorScope.Mailbox).InvalidateSyncStates("calendar");

        var response = await scope.CallAsync(Soap.SyncFolderItems("calendar", 10, state));

        Assert.Equal(["ErrorInvalidSyncStateData"], response.ResponseCodes);
    }

    [Fact]
    public async Task S22_LargeSyncStatesAndChangeKeys_RoundTrip()
    {
        await using var scope = await EmulatorScope.StartAsync(o =>
        {
            o.SyncStatePaddingBytes = 48 * 1024;
            o.ChangeKeyPaddingBytes = 4096;
        });
        var ids = await CreateEventsAsync(scope, 2);
        Assert.True(ids[0].ChangeKey.Length > 5000);

        var first = (await scope.CallAsync(Soap.SyncFolderItems("calendar", 1))).AssertSuccess().Messages.Single();
        var state = first.Element(M + "SyncState")!.Value;
        Assert.True(state.Length > 64 * 1024);
        var second = (await scope.CallAsync(Soap.SyncFolderItems("calendar", 1, state))).AssertSuccess().Messages.Single();
        Assert.Single(second.Element(M + "Changes")!.Elements());

        var updated = await scope.CallAsync(Soap.UpdateItem(Soap.ItemId(ids[1].Id, ids[1].ChangeKey), Soap.SetField("item:Subject", "CalendarItem", "<t:Subject>x</t:Subject>"), "NeverOverwrite"));
        updated.AssertSuccess();
    }

    [Fact]
    public async Task Ignore_SkipsTheListedItems()
    {
        await using var scope = await EmulatorScope.StartAsync();
        var ids = await CreateEventsAsync(scope, 2);
        var body = $"""<m:SyncFolderItems><m:ItemShape><t:BaseShape>IdOnly</t:BaseShape></m:ItemShape><m:SyncFolderId><t:DistinguishedFolderId Id="calendar"/></m:SyncFolderId><m:Ignore><t:ItemId Id="{ids[0].Id}"/></m:Ignore><m:MaxChangesReturned>10</m:MaxChangesReturned></m:SyncFolderItems>""";

        var changes = (await scope.CallAsync(body)).AssertSuccess().Messages.Single().Element(M + "Changes")!.Elements().ToList();

        Assert.Equal([ids[1].Id], changes.Select(c => (string)c.Descendants(T + "ItemId").Single().Attribute("Id")!));
    }

    [Fact]
    public async Task DefaultShape_LeavesOutBodyAndAttendees_AsExchangeDoes()
    {
        await using var scope = await EmulatorScope.StartAsync();
        await scope.CallAsync(Soap.CreateItem(Soap.Event("Meeting", "2026-03-02T10:00:00", "2026-03-02T11:00:00", "<t:RequiredAttendees><t:Attendee><t:Mailbox><t:EmailAddress>bob@contoso.com</t:EmailAddress></t:Mailbox></t:Attendee></t:RequiredAttendees>").Replace("<t:Start>", "<t:Body BodyType=\"Text\">secret</t:Body><t:Start>", StringComparison.Ordinal)));

        var item = (await scope.CallAsync(Soap.SyncFolderItems("calendar", 10, shape: "AllProperties"))).AssertSuccess().Xml.Descendants(T + "CalendarItem").Single();

        Assert.Null(item.Element(T + "Body"));
        Assert.Null(item.Element(T + "RequiredAttendees"));
        Assert.Equal("Meeting", item.Element(T + "Subject")!.Value);
        Assert.Null(item.Element(T + "Organizer")!.Descendants(T + "EmailAddress").FirstOrDefault());
    }

    internal static async Task<List<(string Id, string ChangeKey)>> CreateEventsAsync(EmulatorScope scope, int count)
    {
        var ids = new List<(string, string)>();
        for (var i = 0; i < count; i++)
        {
            var response = await scope.CallAsync(Soap.CreateItem(Soap.Event($"Event {i}", $"2026-03-0{1 + (i % 9)}T10:00:00", $"2026-03-0{1 + (i % 9)}T11:00:00")));
            ids.Add(response.AssertSuccess().FirstItemId());
        }

        return ids;
    }
}
