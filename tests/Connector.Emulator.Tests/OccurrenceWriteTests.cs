using System.Xml.Linq;

namespace Connector.Emulator.Tests;

/// <summary>
/// What a client writing exceptions relies on (S09): occurrences named by the ItemIds a CalendarView returns, an
/// exception's own ItemId and ChangeKey, the master's ChangeKey and SyncFolderItems after occurrence writes, and
/// Exchange's refusal to move an occurrence past its neighbours.
/// </summary>
public sealed class OccurrenceWriteTests
{
    private static readonly XNamespace T = EwsResponse.T;

    // Mondays and Wednesdays 09:00 Berlin, 10 times from 2 March 2026.
    private const string Series = """
        <t:CalendarItem><t:Subject>Stand-up</t:Subject><t:UID>occ-writes</t:UID><t:Start>2026-03-02T09:00:00</t:Start><t:End>2026-03-02T09:30:00</t:End>
        <t:Recurrence><t:WeeklyRecurrence><t:Interval>1</t:Interval><t:DaysOfWeek>Monday Wednesday</t:DaysOfWeek></t:WeeklyRecurrence>
        <t:NumberedRecurrence><t:StartDate>2026-03-02</t:StartDate><t:NumberOfOccurrences>10</t:NumberOfOccurrences></t:NumberedRecurrence></t:Recurrence>
        <t:StartTimeZone Id="W. Europe Standard Time"/><t:EndTimeZone Id="W. Europe Standard Time"/></t:CalendarItem>
        """;

    private const string View = """<m:FindItem Traversal="Shallow"><m:ItemShape><t:BaseShape>IdOnly</t:BaseShape><t:AdditionalProperties><t:FieldURI FieldURI="calendar:UID"/><t:FieldURI FieldURI="calendar:OriginalStart"/><t:FieldURI FieldURI="calendar:CalendarItemType"/></t:AdditionalProperties></m:ItemShape><m:CalendarView StartDate="2026-03-01T00:00:00Z" EndDate="2026-03-08T00:00:00Z"/><m:ParentFolderIds><t:DistinguishedFolderId Id="calendar"/></m:ParentFolderIds></m:FindItem>""";

    [Fact]
    public async Task CalendarViewIds_NameOccurrences_ForDeleteAndUpdate_AndTheExceptionGetsItsOwnChangeKey()
    {
        await using var scope = await EmulatorScope.StartAsync();
        var master = (await scope.CallAsync(Soap.CreateItem(Series))).AssertSuccess().FirstItemId();
        var view = (await scope.CallAsync(View)).AssertSuccess().Xml.Descendants(T + "CalendarItem").ToList();
        Assert.Equal(["2026-03-02T08:00:00Z", "2026-03-04T08:00:00Z"], view.Select(v => v.Element(T + "OriginalStart")!.Value));
        Assert.All(view, v => Assert.Equal("occ-writes", v.Element(T + "UID")!.Value));
        var monday = view[0].Element(T + "ItemId")!;
        var wednesday = view[1].Element(T + "ItemId")!;
        Assert.Equal(master.ChangeKey, (string)monday.Attribute("ChangeKey")!);

        (await scope.CallAsync(Soap.DeleteItem(Soap.ItemId((string)wednesday.Attribute("Id")!)))).AssertSuccess();

        // The delete changed the master's ChangeKey, which an occurrence shares until it is an exception: the key the
        // view returned is stale now.
        var stale = await scope.CallAsync(Soap.UpdateItem(Soap.ItemId((string)monday.Attribute("Id")!, (string)monday.Attribute("ChangeKey")!), Soap.SetField("item:Subject", "CalendarItem", "<t:Subject>Moved</t:Subject>"), "NeverOverwrite"));
        Assert.Equal(["ErrorIrresolvableConflict"], stale.ResponseCodes);
        var afterDelete = scope.Emulator.Mailbox(EmulatorScope.Mailbox).Find(master.Id)!;
        Assert.NotEqual(master.ChangeKey, afterDelete.ChangeKey);

        var updated = (await scope.CallAsync(Soap.UpdateItem(Soap.ItemId((string)monday.Attribute("Id")!, afterDelete.ChangeKey), Soap.SetField("item:Subject", "CalendarItem", "<t:Subject>Moved</t:Subject>"), "NeverOverwrite"))).AssertSuccess().FirstItemId();

        Assert.Equal((string)monday.Attribute("Id")!, updated.Id);
        var afterUpdate = scope.Emulator.Mailbox(EmulatorScope.Mailbox).Find(master.Id)!;
        Assert.NotEqual(afterDelete.ChangeKey, afterUpdate.ChangeKey);
        Assert.NotEqual(afterUpdate.ChangeKey, updated.ChangeKey);
        var item = (await scope.CallAsync(Soap.GetItem(Soap.ItemId(master.Id)))).AssertSuccess().Xml.Descendants(T + "CalendarItem").Single();
        Assert.Equal(["2026-03-04T08:00:00Z"], item.Element(T + "DeletedOccurrences")!.Descendants(T + "Start").Select(s => s.Value));
        var modified = item.Element(T + "ModifiedOccurrences")!.Elements(T + "Occurrence").Single();
        Assert.Equal(updated.Id, (string)modified.Element(T + "ItemId")!.Attribute("Id")!);
        Assert.Equal(updated.ChangeKey, (string)modified.Element(T + "ItemId")!.Attribute("ChangeKey")!);
        Assert.Equal("2026-03-02T08:00:00Z", modified.Element(T + "OriginalStart")!.Value);
        var exception = (await scope.CallAsync(Soap.GetItem(Soap.ItemId(updated.Id)))).AssertSuccess().Xml.Descendants(T + "CalendarItem").Single();
        Assert.Equal(("Exception", "Moved"), (exception.Element(T + "CalendarItemType")!.Value, exception.Element(T + "Subject")!.Value));
    }

    [Fact]
    public async Task OccurrenceWrites_AreReportedBySyncFolderItems_AsAnUpdateOfTheMasterOnly()
    {
        await using var scope = await EmulatorScope.StartAsync();
        var master = (await scope.CallAsync(Soap.CreateItem(Series))).AssertSuccess().FirstItemId();
        var state = (await scope.CallAsync(Soap.SyncFolderItems("calendar", 100))).AssertSuccess().Xml.Descendants(EwsResponse.M + "SyncState").Single().Value;

        (await scope.CallAsync(Soap.DeleteItem($"""<t:OccurrenceItemId RecurringMasterId="{master.Id}" InstanceIndex="2"/>"""))).AssertSuccess();
        (await scope.CallAsync(Soap.UpdateItem($"""<t:OccurrenceItemId RecurringMasterId="{master.Id}" InstanceIndex="3"/>""", Soap.SetField("calendar:Location", "CalendarItem", "<t:Location>Room 2</t:Location>"), "AlwaysOverwrite"))).AssertSuccess();

        var changes = (await scope.CallAsync(Soap.SyncFolderItems("calendar", 100, state))).AssertSuccess().Xml.Descendants(EwsResponse.M + "Changes").Single().Elements().ToList();
        var change = Assert.Single(changes);
        Assert.Equal("Update", change.Name.LocalName);
        var id = change.Descendants(T + "ItemId").Single();
        Assert.Equal(master.Id, (string)id.Attribute("Id")!);
        Assert.Equal(scope.Emulator.Mailbox(EmulatorScope.Mailbox).Find(master.Id)!.ChangeKey, (string)id.Attribute("ChangeKey")!);
    }

    [Theory]
    [InlineData("2026-03-04T10:00:00", "onto the next occurrence's day")]
    [InlineData("2026-03-05T09:00:00", "past the next occurrence")]
    [InlineData("2026-03-02T07:00:00", "onto the previous occurrence's day")]
    public async Task MovingAnOccurrenceOntoOrPastANeighbour_IsErrorOccurrenceCrossingBoundary(string start, string why)
    {
        await using var scope = await EmulatorScope.StartAsync();
        var master = (await scope.CallAsync(Soap.CreateItem(Series))).AssertSuccess().FirstItemId();
        var end = start.Replace(":00:00", ":30:00", StringComparison.Ordinal);

        // Occurrence 1 is Monday 2 March, occurrence 2 Wednesday 4 March, occurrence 3 Monday 9 March.
        var response = await scope.CallAsync(Soap.UpdateItem(
            $"""<t:OccurrenceItemId RecurringMasterId="{master.Id}" InstanceIndex="{(start.StartsWith("2026-03-02", StringComparison.Ordinal) ? 2 : 1)}"/>""",
            Soap.SetField("calendar:Start", "CalendarItem", $"<t:Start>{start}</t:Start>") + Soap.SetField("calendar:End", "CalendarItem", $"<t:End>{end}</t:End>"),
            "AlwaysOverwrite"));

        Assert.True(response.ResponseCodes.SequenceEqual(["ErrorOccurrenceCrossingBoundary"]), why + ": " + string.Join(",", response.ResponseCodes));
        response.AssertSchemaValid();
        var item = (await scope.CallAsync(Soap.GetItem(Soap.ItemId(master.Id)))).AssertSuccess().Xml.Descendants(T + "CalendarItem").Single();
        Assert.Null(item.Element(T + "ModifiedOccurrences"));
    }

    [Fact]
    public async Task MovingAnOccurrenceWithinItsGap_IsAllowed()
    {
        await using var scope = await EmulatorScope.StartAsync();
        var master = (await scope.CallAsync(Soap.CreateItem(Series))).AssertSuccess().FirstItemId();

        // Wednesday 4 March to Tuesday 3 March, between Monday 2 and Monday 9 March.
        (await scope.CallAsync(Soap.UpdateItem(
            $"""<t:OccurrenceItemId RecurringMasterId="{master.Id}" InstanceIndex="2"/>""",
            Soap.SetField("calendar:Start", "CalendarItem", "<t:Start>2026-03-03T15:00:00</t:Start>") + Soap.SetField("calendar:End", "CalendarItem", "<t:End>2026-03-03T15:30:00</t:End>"),
            "AlwaysOverwrite"))).AssertSuccess();
    }
}
