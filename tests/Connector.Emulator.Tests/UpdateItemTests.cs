using System.Xml.Linq;

namespace Connector.Emulator.Tests;

public sealed class UpdateItemTests
{
    private static readonly XNamespace T = EwsResponse.T;

    [Fact]
    public async Task EachUpdate_KeepsTheItemIdAndIssuesANewChangeKey()
    {
        await using var scope = await EmulatorScope.StartAsync();
        var (id, changeKey) = (await SyncFolderItemsTests.CreateEventsAsync(scope, 1))[0];
        var keys = new List<string> { changeKey };

        for (var i = 0; i < 3; i++)
        {
            var (newId, newKey) = (await scope.CallAsync(Soap.UpdateItem(Soap.ItemId(id, keys[^1]), Soap.SetField("item:Subject", "CalendarItem", $"<t:Subject>v{i}</t:Subject>"), "NeverOverwrite"))).AssertSuccess().FirstItemId();
            Assert.Equal(id, newId);
            keys.Add(newKey);
        }

        Assert.Equal(4, keys.Distinct().Count());
        var item = (await scope.CallAsync(Soap.GetItem(Soap.ItemId(id)))).AssertSuccess().Xml.Descendants(T + "CalendarItem").Single();
        Assert.Equal("v2", item.Element(T + "Subject")!.Value);
        Assert.Equal(keys[^1], (string)item.Element(T + "ItemId")!.Attribute("ChangeKey")!);
    }

    [Fact]
    public async Task StaleChangeKey_NeverOverwrite_IsErrorIrresolvableConflict()
    {
        await using var scope = await EmulatorScope.StartAsync();
        var (id, staleKey) = (await SyncFolderItemsTests.CreateEventsAsync(scope, 1))[0];
        (await scope.CallAsync(Soap.UpdateItem(Soap.ItemId(id, staleKey), Soap.SetField("item:Subject", "CalendarItem", "<t:Subject>first</t:Subject>"), "NeverOverwrite"))).AssertSuccess();

        var response = await scope.CallAsync(Soap.UpdateItem(Soap.ItemId(id, staleKey), Soap.SetField("calendar:Location", "CalendarItem", "<t:Location>elsewhere</t:Location>"), "NeverOverwrite"));

        Assert.Equal(["ErrorIrresolvableConflict"], response.ResponseCodes);
        response.AssertSchemaValid();
        var item = (await scope.CallAsync(Soap.GetItem(Soap.ItemId(id)))).Xml.Descendants(T + "CalendarItem").Single();
        Assert.Null(item.Element(T + "Location"));
    }

    [Fact]
    public async Task StaleChangeKey_AutoResolve_SucceedsForOtherFieldsAndConflictsOnTheSameField()
    {
        await using var scope = await EmulatorScope.StartAsync();
        var (id, staleKey) = (await SyncFolderItemsTests.CreateEventsAsync(scope, 1))[0];
        (await scope.CallAsync(Soap.UpdateItem(Soap.ItemId(id, staleKey), Soap.SetField("item:Subject", "CalendarItem", "<t:Subject>first</t:Subject>")))).AssertSuccess();

        var otherField = await scope.CallAsync(Soap.UpdateItem(Soap.ItemId(id, staleKey), Soap.SetField("calendar:Location", "CalendarItem", "<t:Location>Room 1</t:Location>")));
        var sameField = await scope.CallAsync(Soap.UpdateItem(Soap.ItemId(id, staleKey), Soap.SetField("item:Subject", "CalendarItem", "<t:Subject>second</t:Subject>")));

        otherField.AssertSuccess();
        Assert.Equal(["ErrorIrresolvableConflict"], sameField.ResponseCodes);
    }

    [Fact]
    public async Task StaleChangeKey_AlwaysOverwrite_Succeeds()
    {
        await using var scope = await EmulatorScope.StartAsync();
        var (id, staleKey) = (await SyncFolderItemsTests.CreateEventsAsync(scope, 1))[0];
        (await scope.CallAsync(Soap.UpdateItem(Soap.ItemId(id, staleKey), Soap.SetField("item:Subject", "CalendarItem", "<t:Subject>first</t:Subject>")))).AssertSuccess();

        (await scope.CallAsync(Soap.UpdateItem(Soap.ItemId(id, staleKey), Soap.SetField("item:Subject", "CalendarItem", "<t:Subject>forced</t:Subject>"), "AlwaysOverwrite"))).AssertSuccess();
    }

    [Fact]
    public async Task MissingChangeKey_WithNeverOverwrite_IsRefused()
    {
        await using var scope = await EmulatorScope.StartAsync();
        var (id, _) = (await SyncFolderItemsTests.CreateEventsAsync(scope, 1))[0];

        var response = await scope.CallAsync(Soap.UpdateItem(Soap.ItemId(id), Soap.SetField("item:Subject", "CalendarItem", "<t:Subject>x</t:Subject>"), "NeverOverwrite"));

        Assert.Equal(["ErrorChangeKeyRequiredForWriteOperations"], response.ResponseCodes);
    }

    [Fact]
    public async Task CalendarUpdate_WithoutSendMeetingInvitationsOrCancellations_IsRefused()
    {
        await using var scope = await EmulatorScope.StartAsync();
        var (id, key) = (await SyncFolderItemsTests.CreateEventsAsync(scope, 1))[0];

        var response = await scope.CallAsync(Soap.UpdateItem(Soap.ItemId(id, key), Soap.SetField("item:Subject", "CalendarItem", "<t:Subject>x</t:Subject>"), sendMode: null));

        Assert.Equal(["ErrorSendMeetingInvitationsOrCancellationsRequired"], response.ResponseCodes);
    }

    [Fact]
    public async Task ReadOnlyProperty_IsErrorInvalidPropertySet()
    {
        await using var scope = await EmulatorScope.StartAsync();
        var (id, key) = (await SyncFolderItemsTests.CreateEventsAsync(scope, 1))[0];

        var response = await scope.CallAsync(Soap.UpdateItem(Soap.ItemId(id, key), Soap.SetField("calendar:IsCancelled", "CalendarItem", "<t:IsCancelled>true</t:IsCancelled>")));

        Assert.Equal(["ErrorInvalidPropertySet"], response.ResponseCodes);
    }

    [Fact]
    public async Task AppendAndDelete_ChangeBodyAndRemoveLocation()
    {
        await using var scope = await EmulatorScope.StartAsync();
        var created = (await scope.CallAsync(Soap.CreateItem(Soap.Event("E", "2026-03-02T10:00:00", "2026-03-02T11:00:00", "<t:Location>Here</t:Location>").Replace("<t:Start>", "<t:Body BodyType=\"Text\">one</t:Body><t:Start>", StringComparison.Ordinal)))).AssertSuccess().FirstItemId();
        var updates = """<t:AppendToItemField><t:FieldURI FieldURI="item:Body"/><t:CalendarItem><t:Body BodyType="Text"> two</t:Body></t:CalendarItem></t:AppendToItemField><t:DeleteItemField><t:FieldURI FieldURI="calendar:Location"/></t:DeleteItemField>""";

        (await scope.CallAsync(Soap.UpdateItem(Soap.ItemId(created.Id, created.ChangeKey), updates))).AssertSuccess();

        var item = (await scope.CallAsync(Soap.GetItem(Soap.ItemId(created.Id)))).AssertSuccess().Xml.Descendants(T + "CalendarItem").Single();
        Assert.Equal("one two", item.Element(T + "Body")!.Value);
        Assert.Null(item.Element(T + "Location"));
    }

    [Fact]
    public async Task Batch_UnknownIdsFailPerItem_OthersSucceed()
    {
        await using var scope = await EmulatorScope.StartAsync();
        var (id, _) = (await SyncFolderItemsTests.CreateEventsAsync(scope, 1))[0];
        var unknown = Store.OpaqueIds.Encode(Store.IdKind.Item, Store.OpaqueIds.MailboxKey(EmulatorScope.Mailbox), 999_999);

        var response = await scope.CallAsync(Soap.GetItem(Soap.ItemId(id) + Soap.ItemId("bm90LWFuLWlk") + Soap.ItemId(unknown), shape: "IdOnly"));

        Assert.Equal(["NoError", "ErrorInvalidIdMalformed", "ErrorItemNotFound"], response.ResponseCodes);
        Assert.Equal(["Success", "Error", "Error"], response.Messages.Select(m => (string)m.Attribute("ResponseClass")!));
        response.AssertSchemaValid();

        await scope.CallAsync(Soap.DeleteItem(Soap.ItemId(id)));
        var gone = await scope.CallAsync(Soap.GetItem(Soap.ItemId(id), shape: "IdOnly"));
        Assert.Equal(["ErrorItemNotFound"], gone.ResponseCodes);
        gone.AssertSchemaValid();
    }
}
