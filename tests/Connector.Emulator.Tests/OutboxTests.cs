using System.Net.Http.Json;
using System.Text.Json;

namespace Connector.Emulator.Tests;

/// <summary>S01: every scheduling message the server would send is recorded; the connector's SendToNone writes send none.</summary>
public sealed class OutboxTests
{
    private const string Alice = "alice@contoso.com";

    [Fact]
    public async Task S01_CreateMeeting_SendToAllAndSaveCopy_OneRequestPerAttendee()
    {
        await using var scope = await EmulatorScope.StartAsync();
        (await scope.CallAsync(Soap.CreateItem(Soap.Event("Planning", "2026-03-02T10:00:00", "2026-03-02T11:00:00", Soap.Attendees("bob@contoso.com", "carol@contoso.com", "dave@example.com")), "SendToAllAndSaveCopy"), impersonate: Alice)).AssertSuccess();

        var outbox = scope.Emulator.Outbox(Alice);
        Assert.Equal(3, outbox.Count);
        Assert.All(outbox, m => Assert.Equal(ScheduleMessageKind.MeetingRequest, m.Kind));
        Assert.All(outbox, m => Assert.True(m.SavedCopy));
        Assert.Equal(["bob@contoso.com", "carol@contoso.com", "dave@example.com"], outbox.Select(m => m.Recipient));
    }

    [Fact]
    public async Task S01_ConnectorWrites_SendToNone_SendNothing()
    {
        await using var scope = await EmulatorScope.StartAsync();
        var created = (await scope.CallAsync(Soap.CreateItem(Soap.Event("Planning", "2026-03-02T10:00:00", "2026-03-02T11:00:00", Soap.Attendees("bob@contoso.com", "carol@contoso.com")), "SendToNone"), impersonate: Alice)).AssertSuccess().FirstItemId();
        var updated = (await scope.CallAsync(Soap.UpdateItem(Soap.ItemId(created.Id, created.ChangeKey), Soap.SetField("calendar:Location", "CalendarItem", "<t:Location>Room 2</t:Location>"), sendMode: "SendToNone"), impersonate: Alice)).AssertSuccess().FirstItemId();
        (await scope.CallAsync(Soap.DeleteItem(Soap.ItemId(updated.Id), cancellations: "SendToNone"), impersonate: Alice)).AssertSuccess();

        Assert.Empty(scope.Emulator.Outbox(Alice));
        Assert.Empty(scope.Emulator.AllOutbox());
    }

    [Fact]
    public async Task S01_UpdateSendToAll_UpdatesEveryAttendeeOnce_AndChanged_OnlyTheAddedOne()
    {
        await using var scope = await EmulatorScope.StartAsync();
        var created = (await scope.CallAsync(Soap.CreateItem(Soap.Event("Planning", "2026-03-02T10:00:00", "2026-03-02T11:00:00", Soap.Attendees("bob@contoso.com", "carol@contoso.com")), "SendToNone"), impersonate: Alice)).AssertSuccess().FirstItemId();

        var moved = (await scope.CallAsync(Soap.UpdateItem(Soap.ItemId(created.Id, created.ChangeKey), Soap.SetField("calendar:Location", "CalendarItem", "<t:Location>Room 2</t:Location>"), sendMode: "SendToAllAndSaveCopy"), impersonate: Alice)).AssertSuccess().FirstItemId();
        Assert.Equal(2, scope.Emulator.Outbox(Alice).Count(m => m.Kind == ScheduleMessageKind.MeetingUpdate));
        scope.Emulator.ClearOutbox();

        var attendees = Soap.Attendees("bob@contoso.com", "carol@contoso.com", "dave@example.com");
        (await scope.CallAsync(Soap.UpdateItem(Soap.ItemId(moved.Id, moved.ChangeKey), Soap.SetField("calendar:RequiredAttendees", "CalendarItem", attendees), sendMode: "SendOnlyToChanged"), impersonate: Alice)).AssertSuccess();

        var outbox = scope.Emulator.Outbox(Alice);
        Assert.Equal([("dave@example.com", ScheduleMessageKind.MeetingRequest)], outbox.Select(m => (m.Recipient, m.Kind)));
    }

    [Fact]
    public async Task S01_DeleteMeeting_SendOnlyToAll_CancelsForEachAttendee()
    {
        await using var scope = await EmulatorScope.StartAsync();
        var created = (await scope.CallAsync(Soap.CreateItem(Soap.Event("Planning", "2026-03-02T10:00:00", "2026-03-02T11:00:00", Soap.Attendees("bob@contoso.com", "carol@contoso.com")), "SendToNone"), impersonate: Alice)).AssertSuccess().FirstItemId();

        (await scope.CallAsync(Soap.DeleteItem(Soap.ItemId(created.Id), "MoveToDeletedItems", "SendOnlyToAll"), impersonate: Alice)).AssertSuccess();

        var outbox = scope.Emulator.Outbox(Alice);
        Assert.Equal(2, outbox.Count);
        Assert.All(outbox, m => Assert.Equal(ScheduleMessageKind.MeetingCancellation, m.Kind));
        Assert.All(outbox, m => Assert.False(m.SavedCopy));
        Assert.Single(scope.Emulator.Mailbox(Alice).Items("deleteditems"));
    }

    [Fact]
    public async Task ReceivedMeeting_DeletedByAnAttendee_SendsNothing()
    {
        await using var scope = await EmulatorScope.StartAsync();
        var received = scope.Emulator.Mailbox(Alice).CreateItem(
            "calendar",
            System.Xml.Linq.XElement.Parse("""<t:CalendarItem xmlns:t="http://schemas.microsoft.com/exchange/services/2006/types"><t:Subject>Bob's meeting</t:Subject><t:Start>2026-03-02T10:00:00Z</t:Start><t:End>2026-03-02T11:00:00Z</t:End><t:RequiredAttendees><t:Attendee><t:Mailbox><t:EmailAddress>alice@contoso.com</t:EmailAddress></t:Mailbox></t:Attendee></t:RequiredAttendees></t:CalendarItem>"""),
            organizerEmail: "bob@contoso.com");

        (await scope.CallAsync(Soap.DeleteItem(Soap.ItemId(received.ItemId), cancellations: "SendToAllAndSaveCopy"), impersonate: Alice)).AssertSuccess();

        Assert.Empty(scope.Emulator.AllOutbox());
    }

    [Fact]
    public async Task OutboxEndpoint_ListsMessagesAsJson()
    {
        await using var scope = await EmulatorScope.StartAsync();
        (await scope.CallAsync(Soap.CreateItem(Soap.Event("Planning", "2026-03-02T10:00:00", "2026-03-02T11:00:00", Soap.Attendees("bob@contoso.com")), "SendOnlyToAll"), impersonate: Alice)).AssertSuccess();

        var json = await scope.Http.GetFromJsonAsync<JsonElement>($"emulator/outbox?mailbox={Alice}");

        var message = Assert.Single(json.EnumerateArray());
        Assert.Equal("MeetingRequest", message.GetProperty("kind").GetString());
        Assert.Equal("bob@contoso.com", message.GetProperty("recipient").GetString());
        Assert.Equal("Planning", message.GetProperty("subject").GetString());
        Assert.Equal("CreateItem", message.GetProperty("operation").GetString());
    }
}
