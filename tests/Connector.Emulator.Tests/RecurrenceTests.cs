using System.Xml.Linq;

namespace Connector.Emulator.Tests;

/// <summary>S09/S10: a series with one deleted and two modified occurrences through CreateItem, UpdateItem, DeleteItem and GetItem.</summary>
public sealed class RecurrenceTests
{
    private static readonly XNamespace T = EwsResponse.T;

    private const string Series = """
        <t:CalendarItem><t:Subject>Stand-up</t:Subject><t:Start>2026-03-02T09:00:00</t:Start><t:End>2026-03-02T09:30:00</t:End>
        <t:Location>Room 1</t:Location>
        <t:RequiredAttendees><t:Attendee><t:Mailbox><t:EmailAddress>bob@contoso.com</t:EmailAddress></t:Mailbox></t:Attendee></t:RequiredAttendees>
        <t:Recurrence><t:WeeklyRecurrence><t:Interval>1</t:Interval><t:DaysOfWeek>Monday Wednesday</t:DaysOfWeek></t:WeeklyRecurrence>
        <t:NumberedRecurrence><t:StartDate>2026-03-02</t:StartDate><t:NumberOfOccurrences>10</t:NumberOfOccurrences></t:NumberedRecurrence></t:Recurrence>
        <t:StartTimeZone Id="W. Europe Standard Time"/><t:EndTimeZone Id="W. Europe Standard Time"/></t:CalendarItem>
        """;

    [Fact]
    public async Task S09_SeriesWithOneDeletedAndTwoModifiedOccurrences_RoundTrips()
    {
        await using var scope = await EmulatorScope.StartAsync();
        var master = (await scope.CallAsync(Soap.CreateItem(Series))).AssertSuccess().FirstItemId();

        (await scope.CallAsync(Soap.DeleteItem(Occurrence(master.Id, 2)))).AssertSuccess();
        var moved = (await scope.CallAsync(Soap.UpdateItem(Occurrence(master.Id, 3), Soap.SetField("item:Subject", "CalendarItem", "<t:Subject>Stand-up (moved)</t:Subject>") + Soap.SetField("calendar:Start", "CalendarItem", "<t:Start>2026-03-09T11:00:00</t:Start>") + Soap.SetField("calendar:End", "CalendarItem", "<t:End>2026-03-09T11:30:00</t:End>"), "AlwaysOverwrite"))).AssertSuccess().FirstItemId();
        (await scope.CallAsync(Soap.UpdateItem(Occurrence(master.Id, 5), Soap.SetField("calendar:Location", "CalendarItem", "<t:Location>Room 2</t:Location>"), "AlwaysOverwrite"))).AssertSuccess();

        var item = (await scope.CallAsync(Soap.GetItem(Soap.ItemId(master.Id)))).AssertSuccess().Xml.Descendants(T + "CalendarItem").Single();

        Assert.Equal("RecurringMaster", item.Element(T + "CalendarItemType")!.Value);
        Assert.Equal("2026-03-02T08:00:00Z", item.Element(T + "Start")!.Value);
        var recurrence = item.Element(T + "Recurrence")!;
        Assert.Equal("Monday Wednesday", recurrence.Descendants(T + "DaysOfWeek").Single().Value);
        Assert.Equal("10", recurrence.Descendants(T + "NumberOfOccurrences").Single().Value);
        Assert.Equal(["2026-03-04T08:00:00Z"], item.Element(T + "DeletedOccurrences")!.Elements().Select(d => d.Element(T + "Start")!.Value));
        var modified = item.Element(T + "ModifiedOccurrences")!.Elements(T + "Occurrence").ToList();
        Assert.Equal(["2026-03-09T08:00:00Z", "2026-03-16T08:00:00Z"], modified.Select(o => o.Element(T + "OriginalStart")!.Value));
        Assert.Equal("2026-03-09T10:00:00Z", modified[0].Element(T + "Start")!.Value);
        Assert.Equal("2026-03-02T08:00:00Z", item.Element(T + "FirstOccurrence")!.Element(T + "Start")!.Value);
        Assert.Equal("2026-04-01T07:00:00Z", item.Element(T + "LastOccurrence")!.Element(T + "Start")!.Value);

        var exception = (await scope.CallAsync(Soap.GetItem(Soap.ItemId((string)modified[0].Element(T + "ItemId")!.Attribute("Id")!)))).AssertSuccess().Xml.Descendants(T + "CalendarItem").Single();
        Assert.Equal("Exception", exception.Element(T + "CalendarItemType")!.Value);
        Assert.Equal("Stand-up (moved)", exception.Element(T + "Subject")!.Value);
        Assert.Equal("2026-03-09T10:00:00Z", exception.Element(T + "Start")!.Value);
        Assert.Equal("2026-03-09T08:00:00Z", exception.Element(T + "OriginalStart")!.Value);
        Assert.Equal("Room 1", exception.Element(T + "Location")!.Value);
        Assert.Equal(item.Element(T + "UID")!.Value, exception.Element(T + "UID")!.Value);
        Assert.Equal(moved.Id, (string)modified[0].Element(T + "ItemId")!.Attribute("Id")!);
    }

    [Fact]
    public async Task S10_Exceptions_KeepTheSeriesOrganizer_AndTheSameExceptionCanBeEditedTwice()
    {
        await using var scope = await EmulatorScope.StartAsync();
        var master = (await scope.CallAsync(Soap.CreateItem(Series), impersonate: "alice@contoso.com")).AssertSuccess().FirstItemId();
        var first = (await scope.CallAsync(Soap.UpdateItem(Occurrence(master.Id, 4), Soap.SetField("item:Subject", "CalendarItem", "<t:Subject>Edited once</t:Subject>"), "AlwaysOverwrite"), impersonate: "alice@contoso.com")).AssertSuccess().FirstItemId();
        var second = (await scope.CallAsync(Soap.UpdateItem(Soap.ItemId(first.Id, first.ChangeKey), Soap.SetField("calendar:Location", "CalendarItem", "<t:Location>Edited twice</t:Location>"), "NeverOverwrite"), impersonate: "alice@contoso.com")).AssertSuccess().FirstItemId();

        var exception = (await scope.CallAsync(Soap.GetItem(Soap.ItemId(second.Id)), impersonate: "alice@contoso.com")).AssertSuccess().Xml.Descendants(T + "CalendarItem").Single();

        Assert.Equal(first.Id, second.Id);
        Assert.NotEqual(first.ChangeKey, second.ChangeKey);
        Assert.Equal("Edited once", exception.Element(T + "Subject")!.Value);
        Assert.Equal("Edited twice", exception.Element(T + "Location")!.Value);
        Assert.Equal("alice@contoso.com", exception.Element(T + "Organizer")!.Descendants(T + "EmailAddress").Single().Value);
        Assert.Equal("Organizer", exception.Element(T + "MyResponseType")!.Value);
        Assert.Equal("Unknown", exception.Descendants(T + "Attendee").Single().Element(T + "ResponseType")!.Value);
    }

    [Fact]
    public async Task OccurrenceIds_DeletedAndOutOfRange_GiveExchangesErrors()
    {
        await using var scope = await EmulatorScope.StartAsync();
        var master = (await scope.CallAsync(Soap.CreateItem(Series))).AssertSuccess().FirstItemId();
        (await scope.CallAsync(Soap.DeleteItem(Occurrence(master.Id, 2)))).AssertSuccess();

        var response = await scope.CallAsync(Soap.GetItem(Occurrence(master.Id, 2) + Occurrence(master.Id, 11) + Occurrence(master.Id, 1)));

        Assert.Equal(["ErrorCalendarOccurrenceIsDeletedFromRecurrence", "ErrorCalendarOccurrenceIndexIsOutOfRecurrenceRange", "NoError"], response.ResponseCodes);
        var occurrence = response.Xml.Descendants(T + "CalendarItem").Single();
        Assert.Equal("Occurrence", occurrence.Element(T + "CalendarItemType")!.Value);
        Assert.Equal("true", occurrence.Element(T + "IsRecurring")!.Value);

        var occurrenceId = (string)occurrence.Element(T + "ItemId")!.Attribute("Id")!;
        var viaMaster = await scope.CallAsync(Soap.GetItem($"""<t:RecurringMasterItemId OccurrenceId="{occurrenceId}"/>""", "IdOnly"));
        Assert.Equal(master.Id, viaMaster.AssertSuccess().FirstItemId().Id);
    }

    [Fact]
    public async Task S11_CalendarView_ExpandsTheSeriesAndKeepsWallClockAcrossDst()
    {
        await using var scope = await EmulatorScope.StartAsync();
        var master = (await scope.CallAsync(Soap.CreateItem(Series))).AssertSuccess().FirstItemId();
        (await scope.CallAsync(Soap.DeleteItem(Occurrence(master.Id, 2)))).AssertSuccess();
        var body = """<m:FindItem Traversal="Shallow"><m:ItemShape><t:BaseShape>IdOnly</t:BaseShape><t:AdditionalProperties><t:FieldURI FieldURI="calendar:Start"/><t:FieldURI FieldURI="calendar:CalendarItemType"/></t:AdditionalProperties></m:ItemShape><m:CalendarView StartDate="2026-03-01T00:00:00Z" EndDate="2026-05-01T00:00:00Z"/><m:ParentFolderIds><t:DistinguishedFolderId Id="calendar"/></m:ParentFolderIds></m:FindItem>""";

        var items = (await scope.CallAsync(body)).AssertSuccess().Xml.Descendants(T + "CalendarItem").ToList();

        Assert.Equal(9, items.Count);
        Assert.All(items, i => Assert.Equal("Occurrence", i.Element(T + "CalendarItemType")!.Value));
        Assert.Equal("2026-03-02T08:00:00Z", items[0].Element(T + "Start")!.Value);
        Assert.Equal("2026-04-01T07:00:00Z", items[^1].Element(T + "Start")!.Value);
    }

    [Fact]
    public async Task ChangingTheRecurrence_DropsTheExceptions()
    {
        await using var scope = await EmulatorScope.StartAsync();
        var master = (await scope.CallAsync(Soap.CreateItem(Series))).AssertSuccess().FirstItemId();
        (await scope.CallAsync(Soap.DeleteItem(Occurrence(master.Id, 2)))).AssertSuccess();
        var current = scope.Emulator.Mailbox(EmulatorScope.Mailbox).Find(master.Id)!;
        var daily = """<t:Recurrence><t:DailyRecurrence><t:Interval>1</t:Interval></t:DailyRecurrence><t:NoEndRecurrence><t:StartDate>2026-03-02</t:StartDate></t:NoEndRecurrence></t:Recurrence>""";

        (await scope.CallAsync(Soap.UpdateItem(Soap.ItemId(master.Id, current.ChangeKey), Soap.SetField("calendar:Recurrence", "CalendarItem", daily)))).AssertSuccess();

        var item = (await scope.CallAsync(Soap.GetItem(Soap.ItemId(master.Id)))).AssertSuccess().Xml.Descendants(T + "CalendarItem").Single();
        Assert.Null(item.Element(T + "DeletedOccurrences"));
        Assert.Null(item.Element(T + "LastOccurrence"));
        Assert.NotNull(item.Descendants(T + "DailyRecurrence").SingleOrDefault());
    }

    private static string Occurrence(string masterId, int index) =>
        $"""<t:OccurrenceItemId RecurringMasterId="{masterId}" InstanceIndex="{index}"/>""";
}
