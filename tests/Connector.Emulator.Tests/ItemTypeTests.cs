using System.Xml.Linq;

namespace Connector.Emulator.Tests;

public sealed class ItemTypeTests
{
    private static readonly XNamespace T = EwsResponse.T;

    [Fact]
    public async Task CalendarItem_TimesAreReadInTheirZoneAndReturnedInUtcWithTheZoneDefinition()
    {
        await using var scope = await EmulatorScope.StartAsync();
        var id = (await scope.CallAsync(Soap.CreateItem(Soap.Event("Seattle", "2026-01-15T08:00:00", "2026-01-15T09:00:00", zone: "Pacific Standard Time")))).AssertSuccess().FirstItemId();

        var item = (await scope.CallAsync(Soap.GetItem(Soap.ItemId(id.Id)))).AssertSuccess().Xml.Descendants(T + "CalendarItem").Single();

        Assert.Equal("2026-01-15T16:00:00Z", item.Element(T + "Start")!.Value);
        var zone = item.Element(T + "StartTimeZone")!;
        Assert.Equal("Pacific Standard Time", (string)zone.Attribute("Id")!);
        Assert.Equal(["PT8H", "PT7H"], zone.Descendants(T + "Period").Select(p => (string)p.Attribute("Bias")!));
        Assert.Equal(2, zone.Descendants(T + "RecurringDayTransition").Count());
        Assert.StartsWith("040000008200E00074C5B7101A82E008", item.Element(T + "UID")!.Value);
    }

    [Fact]
    public async Task CalendarItem_ZonelessTimesUseTimeZoneContext_AndAClientUidIsKept()
    {
        await using var scope = await EmulatorScope.StartAsync();
        var items = """<t:CalendarItem><t:Subject>Ctx</t:Subject><t:UID>my-uid/with/slashes@example.com</t:UID><t:Start>2026-07-01T10:00:00</t:Start><t:End>2026-07-01T11:00:00</t:End></t:CalendarItem>""";
        var id = (await scope.CallAsync(Soap.CreateItem(items), timeZoneContext: "W. Europe Standard Time")).AssertSuccess().FirstItemId();

        var item = (await scope.CallAsync(Soap.GetItem(Soap.ItemId(id.Id)))).AssertSuccess().Xml.Descendants(T + "CalendarItem").Single();

        Assert.Equal("2026-07-01T08:00:00Z", item.Element(T + "Start")!.Value);
        Assert.Equal("my-uid/with/slashes@example.com", item.Element(T + "UID")!.Value);
        Assert.Equal("W. Europe Standard Time", item.Element(T + "StartTimeZoneId")!.Value);
    }

    [Fact]
    public async Task S11_CustomTimeZoneDefinition_WithAnUnknownId_IsUsedAndReturnedAsSent()
    {
        await using var scope = await EmulatorScope.StartAsync();
        const string zone = """
            <t:StartTimeZone Id="Customized Time Zone" Name="My zone"><t:Periods>
            <t:Period Bias="-PT1H" Name="Standard" Id="std"/><t:Period Bias="-PT2H" Name="Daylight" Id="dlt"/></t:Periods>
            <t:TransitionsGroups><t:TransitionsGroup Id="0">
            <t:RecurringDayTransition><t:To Kind="Period">dlt</t:To><t:TimeOffset>PT2H</t:TimeOffset><t:Month>3</t:Month><t:DayOfWeek>Sunday</t:DayOfWeek><t:Occurrence>-1</t:Occurrence></t:RecurringDayTransition>
            <t:RecurringDayTransition><t:To Kind="Period">std</t:To><t:TimeOffset>PT3H</t:TimeOffset><t:Month>10</t:Month><t:DayOfWeek>Sunday</t:DayOfWeek><t:Occurrence>-1</t:Occurrence></t:RecurringDayTransition>
            </t:TransitionsGroup></t:TransitionsGroups>
            <t:Transitions><t:Transition><t:To Kind="Group">0</t:To></t:Transition></t:Transitions></t:StartTimeZone>
            """;
        var items = $"""<t:CalendarItem><t:Subject>Custom</t:Subject><t:Start>2026-07-01T10:00:00</t:Start><t:End>2026-07-01T11:00:00</t:End>{zone}</t:CalendarItem>""";
        var id = (await scope.CallAsync(Soap.CreateItem(items))).AssertSuccess().FirstItemId();

        var item = (await scope.CallAsync(Soap.GetItem(Soap.ItemId(id.Id)))).AssertSuccess().Xml.Descendants(T + "CalendarItem").Single();

        Assert.Equal("2026-07-01T08:00:00Z", item.Element(T + "Start")!.Value);
        Assert.Equal("Customized Time Zone", (string)item.Element(T + "StartTimeZone")!.Attribute("Id")!);
        Assert.Equal(["std", "dlt"], item.Element(T + "StartTimeZone")!.Descendants(T + "Period").Select(p => (string)p.Attribute("Id")!));
    }

    [Fact]
    public async Task UnknownTimeZoneId_IsErrorTimeZone()
    {
        await using var scope = await EmulatorScope.StartAsync();
        var response = await scope.CallAsync(Soap.CreateItem(Soap.Event("x", "2026-01-15T08:00:00", "2026-01-15T09:00:00", zone: "Europe/Berlin")));

        Assert.Equal(["ErrorTimeZone"], response.ResponseCodes);
    }

    [Fact]
    public async Task OperationNotEmulated_IsAFaultNamingIt()
    {
        await using var scope = await EmulatorScope.StartAsync();
        var response = await scope.CallAsync("""<m:ResolveNames ReturnFullContactData="true"><m:UnresolvedEntry>alice</m:UnresolvedEntry></m:ResolveNames>""");

        Assert.Equal("ErrorInvalidRequest", response.FaultCode);
        Assert.Contains("ResolveNames", response.Text);
    }

    [Fact]
    public async Task S12_AllDayEvent_IsSnappedToLocalMidnights()
    {
        await using var scope = await EmulatorScope.StartAsync();
        var id = (await scope.CallAsync(Soap.CreateItem(Soap.Event("Holiday", "2026-05-01T10:00:00", "2026-05-01T12:00:00", "<t:IsAllDayEvent>true</t:IsAllDayEvent>", "Tokyo Standard Time")))).AssertSuccess().FirstItemId();

        var item = (await scope.CallAsync(Soap.GetItem(Soap.ItemId(id.Id)))).AssertSuccess().Xml.Descendants(T + "CalendarItem").Single();

        Assert.Equal("2026-04-30T15:00:00Z", item.Element(T + "Start")!.Value);
        Assert.Equal("2026-05-01T15:00:00Z", item.Element(T + "End")!.Value);
    }

    [Fact]
    public async Task CalendarItem_WithoutSendMeetingInvitations_IsRefused()
    {
        await using var scope = await EmulatorScope.StartAsync();
        var response = await scope.CallAsync(Soap.CreateItem(Soap.Event("x", "2026-01-15T08:00:00", "2026-01-15T09:00:00"), sendInvitations: null));

        Assert.Equal(["ErrorSendMeetingInvitationsRequired"], response.ResponseCodes);
        response.AssertSchemaValid();
    }

    [Fact]
    public async Task CalendarItem_EndBeforeStart_IsRefused()
    {
        await using var scope = await EmulatorScope.StartAsync();
        var response = await scope.CallAsync(Soap.CreateItem(Soap.Event("x", "2026-01-15T09:00:00", "2026-01-15T08:00:00")));

        Assert.Equal(["ErrorCalendarEndDateIsEarlierThanStartDate"], response.ResponseCodes);
    }

    [Fact]
    public async Task Contact_MultipleEmailsPhonesAddresses_AndIndexedUpdates()
    {
        await using var scope = await EmulatorScope.StartAsync();
        const string contact = """
            <t:Contact><t:Body BodyType="Text">notes</t:Body><t:GivenName>Jan</t:GivenName><t:CompanyName>Fabrikam</t:CompanyName>
            <t:EmailAddresses><t:Entry Key="EmailAddress1">jan@fabrikam.example</t:Entry><t:Entry Key="EmailAddress2">jan@home.example</t:Entry></t:EmailAddresses>
            <t:PhysicalAddresses><t:Entry Key="Business"><t:Street>Herengracht 1</t:Street><t:City>Amsterdam</t:City></t:Entry><t:Entry Key="Home"><t:City>Utrecht</t:City></t:Entry></t:PhysicalAddresses>
            <t:PhoneNumbers><t:Entry Key="BusinessPhone">+31 20 1</t:Entry><t:Entry Key="MobilePhone">+31 6 2</t:Entry></t:PhoneNumbers>
            <t:JobTitle>Buyer</t:JobTitle><t:Surname>de Vries</t:Surname></t:Contact>
            """;
        var id = (await scope.CallAsync(Soap.CreateItem(contact, sendInvitations: null, folder: "contacts"))).AssertSuccess().FirstItemId();
        var updates = """
            <t:SetItemField><t:IndexedFieldURI FieldURI="contacts:PhysicalAddress:City" FieldIndex="Home"/><t:Contact><t:PhysicalAddresses><t:Entry Key="Home"><t:City>Haarlem</t:City></t:Entry></t:PhysicalAddresses></t:Contact></t:SetItemField>
            <t:DeleteItemField><t:IndexedFieldURI FieldURI="contacts:PhoneNumber" FieldIndex="MobilePhone"/></t:DeleteItemField>
            <t:SetItemField><t:IndexedFieldURI FieldURI="contacts:EmailAddress" FieldIndex="EmailAddress3"/><t:Contact><t:EmailAddresses><t:Entry Key="EmailAddress3">jan@third.example</t:Entry></t:EmailAddresses></t:Contact></t:SetItemField>
            """;
        (await scope.CallAsync(Soap.UpdateItem(Soap.ItemId(id.Id, id.ChangeKey), updates, sendMode: null))).AssertSuccess();

        var item = (await scope.CallAsync(Soap.GetItem(Soap.ItemId(id.Id)))).AssertSuccess().Xml.Descendants(T + "Contact").Single();
        Assert.Equal("Jan de Vries", item.Element(T + "DisplayName")!.Value);
        Assert.Equal("de Vries", item.Element(T + "CompleteName")!.Element(T + "LastName")!.Value);
        Assert.Equal(3, item.Element(T + "EmailAddresses")!.Elements().Count());
        Assert.Equal(["BusinessPhone"], item.Element(T + "PhoneNumbers")!.Elements().Select(e => (string)e.Attribute("Key")!));
        Assert.Equal("Haarlem", item.Element(T + "PhysicalAddresses")!.Elements().Single(e => (string)e.Attribute("Key")! == "Home").Element(T + "City")!.Value);

        var partial = (await scope.CallAsync(Soap.GetItem(Soap.ItemId(id.Id), "IdOnly", """<t:IndexedFieldURI FieldURI="contacts:EmailAddress" FieldIndex="EmailAddress2"/><t:FieldURI FieldURI="contacts:Surname"/>"""))).AssertSuccess().Xml.Descendants(T + "Contact").Single();
        Assert.Equal(["ItemId", "EmailAddresses", "Surname"], partial.Elements().Select(e => e.Name.LocalName));
        Assert.Equal("jan@home.example", partial.Element(T + "EmailAddresses")!.Elements().Single().Value);
    }

    [Fact]
    public async Task S19_Task_CompletingSetsPercentAndCompleteDate_AndARecurringTaskMovesOn()
    {
        await using var scope = await EmulatorScope.StartAsync();
        const string task = """
            <t:Task><t:Subject>Water plants</t:Subject><t:DueDate>2026-03-07T00:00:00Z</t:DueDate>
            <t:Recurrence><t:WeeklyRecurrence><t:Interval>1</t:Interval><t:DaysOfWeek>Saturday</t:DaysOfWeek></t:WeeklyRecurrence><t:NoEndRecurrence><t:StartDate>2026-03-07</t:StartDate></t:NoEndRecurrence></t:Recurrence>
            <t:StartDate>2026-03-07T00:00:00Z</t:StartDate><t:Status>NotStarted</t:Status></t:Task>
            """;
        var id = (await scope.CallAsync(Soap.CreateItem(task, sendInvitations: null))).AssertSuccess().FirstItemId();

        (await scope.CallAsync(Soap.UpdateItem(Soap.ItemId(id.Id, id.ChangeKey), Soap.SetField("task:Status", "Task", "<t:Status>Completed</t:Status>"), sendMode: null))).AssertSuccess();

        var tasks = scope.Emulator.Mailbox(EmulatorScope.Mailbox).Items("tasks");
        Assert.Equal(2, tasks.Count);
        var all = (await scope.CallAsync(Soap.GetItem(string.Concat(tasks.Select(t => Soap.ItemId(t.ItemId)))))).AssertSuccess().Xml.Descendants(T + "Task").ToList();
        var series = all.Single(t => t.Element(T + "Recurrence") is not null);
        var done = all.Single(t => t.Element(T + "Recurrence") is null);
        Assert.Equal("2026-03-14T00:00:00Z", series.Element(T + "DueDate")!.Value);
        Assert.Equal("NotStarted", series.Element(T + "Status")!.Value);
        Assert.Equal("Completed", done.Element(T + "Status")!.Value);
        Assert.Equal("100", done.Element(T + "PercentComplete")!.Value);
        Assert.Equal("true", done.Element(T + "IsComplete")!.Value);
        Assert.NotNull(done.Element(T + "CompleteDate"));
    }

    [Fact]
    public async Task ExtendedProperties_AreStoredAndReturnedOnRequest()
    {
        await using var scope = await EmulatorScope.StartAsync();
        const string uri = """<t:ExtendedFieldURI PropertySetId="20B5C09F-7CAD-44C6-BDBF-8FCBEEA08544" PropertyName="SyncId" PropertyType="String"/>""";
        var items = $"""<t:CalendarItem><t:Subject>x</t:Subject><t:ExtendedProperty>{uri}<t:Value>nc-123</t:Value></t:ExtendedProperty><t:Start>2026-01-15T08:00:00Z</t:Start><t:End>2026-01-15T09:00:00Z</t:End></t:CalendarItem>""";
        var id = (await scope.CallAsync(Soap.CreateItem(items))).AssertSuccess().FirstItemId();

        var withoutRequest = (await scope.CallAsync(Soap.GetItem(Soap.ItemId(id.Id)))).AssertSuccess().Xml.Descendants(T + "ExtendedProperty");
        var requested = (await scope.CallAsync(Soap.GetItem(Soap.ItemId(id.Id), "IdOnly", uri.Replace("20B5C09F-7CAD-44C6-BDBF-8FCBEEA08544", "20b5c09f-7cad-44c6-bdbf-8fcbeea08544", StringComparison.Ordinal)))).AssertSuccess().Xml.Descendants(T + "ExtendedProperty").Single();

        Assert.Empty(withoutRequest);
        Assert.Equal("nc-123", requested.Element(T + "Value")!.Value);
    }

    [Fact]
    public async Task FindItem_IndexedPaging_AndARestriction()
    {
        await using var scope = await EmulatorScope.StartAsync();
        await SyncFolderItemsTests.CreateEventsAsync(scope, 5);
        static string Find(int offset, string restriction = "") =>
            $"""<m:FindItem Traversal="Shallow"><m:ItemShape><t:BaseShape>Default</t:BaseShape></m:ItemShape><m:IndexedPageItemView MaxEntriesReturned="2" Offset="{offset}" BasePoint="Beginning"/>{restriction}<m:ParentFolderIds><t:DistinguishedFolderId Id="calendar"/></m:ParentFolderIds></m:FindItem>""";

        var first = (await scope.CallAsync(Find(0))).AssertSuccess().Xml.Descendants(EwsResponse.M + "RootFolder").Single();
        var last = (await scope.CallAsync(Find(4))).AssertSuccess().Xml.Descendants(EwsResponse.M + "RootFolder").Single();
        var filtered = (await scope.CallAsync(Find(0, """<m:Restriction><t:IsEqualTo><t:FieldURI FieldURI="item:Subject"/><t:FieldURIOrConstant><t:Constant Value="Event 3"/></t:FieldURIOrConstant></t:IsEqualTo></m:Restriction>"""))).AssertSuccess().Xml;

        Assert.Equal(("2", "5", "false"), ((string)first.Attribute("IndexedPagingOffset")!, (string)first.Attribute("TotalItemsInView")!, (string)first.Attribute("IncludesLastItemInRange")!));
        Assert.Equal(2, first.Descendants(T + "CalendarItem").Count());
        Assert.Equal("true", (string)last.Attribute("IncludesLastItemInRange")!);
        Assert.Equal(["Event 3"], filtered.Descendants(T + "Subject").Select(s => s.Value));
    }

    [Fact]
    public async Task Folders_GetFindAndSyncHierarchy()
    {
        await using var scope = await EmulatorScope.StartAsync();
        var get = (await scope.CallAsync("""<m:GetFolder><m:FolderShape><t:BaseShape>AllProperties</t:BaseShape></m:FolderShape><m:FolderIds><t:DistinguishedFolderId Id="calendar"/><t:DistinguishedFolderId Id="contacts"/><t:DistinguishedFolderId Id="tasks"/><t:DistinguishedFolderId Id="msgfolderroot"/></m:FolderIds></m:GetFolder>""")).AssertSuccess();
        var find = (await scope.CallAsync("""<m:FindFolder Traversal="Shallow"><m:FolderShape><t:BaseShape>Default</t:BaseShape></m:FolderShape><m:ParentFolderIds><t:DistinguishedFolderId Id="msgfolderroot"/></m:ParentFolderIds></m:FindFolder>""")).AssertSuccess();
        var sync = (await scope.CallAsync("""<m:SyncFolderHierarchy><m:FolderShape><t:BaseShape>AllProperties</t:BaseShape></m:FolderShape></m:SyncFolderHierarchy>""")).AssertSuccess();
        var state = sync.Messages.Single().Element(EwsResponse.M + "SyncState")!.Value;
        var again = (await scope.CallAsync($"""<m:SyncFolderHierarchy><m:FolderShape><t:BaseShape>AllProperties</t:BaseShape></m:FolderShape><m:SyncState>{state}</m:SyncState></m:SyncFolderHierarchy>""")).AssertSuccess();

        Assert.Equal(["CalendarFolder", "ContactsFolder", "TasksFolder", "Folder"], get.Xml.Descendants(EwsResponse.M + "Folders").Elements().Select(f => f.Name.LocalName));
        Assert.Contains("Calendar", find.Xml.Descendants(T + "DisplayName").Select(d => d.Value));
        Assert.Contains("IPF.Appointment", sync.Xml.Descendants(T + "FolderClass").Select(d => d.Value));
        Assert.Empty(again.Xml.Descendants(EwsResponse.M + "Changes").Elements());
    }
}
