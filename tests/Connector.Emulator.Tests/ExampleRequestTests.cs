using System.Net;
using System.Xml.Linq;
using Connector.Emulator.Ews.Schema;

namespace Connector.Emulator.Tests;

/// <summary>
/// Every request example from Microsoft's EWS documentation (Fixtures/EwsExamples) is accepted:
/// it passes schema validation and is answered as Exchange would — success, or the per-item error
/// the example's data calls for (its shortened sync states are not valid states). Items and folders
/// the examples name by id are seeded under those ids.
/// </summary>
public sealed class ExampleRequestTests
{
    private static readonly XNamespace T = "http://schemas.microsoft.com/exchange/services/2006/types";

    public static TheoryData<string, string> Requests => new()
    {
        { "ews-calendarview-finditem.01-GetFolder.xml", "NoError" },
        { "ews-calendarview-finditem.03-FindItem.xml", "NoError" },
        { "ews-createitem-appointment.01-CreateItem.xml", "NoError" },
        { "ews-createitem-calendar-item.01-CreateItem.xml", "NoError" },
        { "ews-createitem-contact.01-CreateItem.xml", "NoError" },
        { "ews-createitem-task.01-CreateItem.xml", "NoError" },
        { "ews-deleteitem.01-DeleteItem.xml", "NoError" },
        { "ews-exchangeimpersonation-createitem.01-CreateItem.xml", "NoError" },
        { "ews-finditem.01-FindItem.xml", "NoError" },
        { "ews-getfolder.01-GetFolder.xml", "NoError" },
        { "ews-getitem-calendar-item.01-GetItem.xml", "NoError" },
        { "ews-getitem-task.01-GetItem.xml", "NoError" },
        { "ews-syncfolderhierarchy.01-SyncFolderHierarchy.xml", "ErrorInvalidSyncStateData" },
        { "ews-syncfolderitems-initial-sync.01-SyncFolderItems.xml", "NoError" },
        { "ews-syncfolderitems.01-SyncFolderItems.xml", "ErrorInvalidSyncStateData" },
        { "ews-updateitem-contact.01-UpdateItem.xml", "NoError" },
        { "ews-updateitem-set-and-append-field.01-UpdateItem.xml", "NoError" },
        { "ews-updateitem-set-and-append-field.02-UpdateItem.xml", "NoError" },
    };

    public static TheoryData<string> ResponseFiles => new(Directory.GetFiles(ExamplesFolder, "ews-*Response.xml").Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal));

    private static string ExamplesFolder => Path.Combine(AppContext.BaseDirectory, "Fixtures", "EwsExamples");

    [Fact]
    public void Fixtures_EveryRequestExample_IsListed()
    {
        var requests = Directory.GetFiles(ExamplesFolder, "ews-*.xml").Select(Path.GetFileName).Where(f => !f!.Contains("Response", StringComparison.Ordinal));
        Assert.Equal(requests.Order(StringComparer.Ordinal), Requests.Select(r => (string)r[0]).Order(StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Requests))]
    public async Task ExampleRequest_IsAcceptedAndAnswered(string file, string expectedCode)
    {
        await using var scope = await EmulatorScope.StartAsync();
        Seed(scope.Emulator);
        var response = await scope.PostAsync(await File.ReadAllTextAsync(Path.Combine(ExamplesFolder, file)));

        Assert.True(response.Status == HttpStatusCode.OK, $"{file}: HTTP {(int)response.Status} {response.Text}");
        Assert.Null(response.FaultCode);
        Assert.All(response.ResponseCodes, code => Assert.Equal(expectedCode, code));
        Assert.NotEmpty(response.ResponseCodes);
        response.AssertSchemaValid();
    }

    [Fact]
    public async Task CreateItemExample_SendToAllAndSaveCopy_SendsOneInvitationPerAttendee()
    {
        await using var scope = await EmulatorScope.StartAsync();
        var response = await scope.PostAsync(await File.ReadAllTextAsync(Path.Combine(ExamplesFolder, "ews-createitem-calendar-item.01-CreateItem.xml")));

        response.AssertSuccess();
        var outbox = scope.Emulator.Outbox(EmulatorScope.Mailbox);
        Assert.Equal(["User1@example.com", "User2@example.com"], outbox.Select(m => m.Recipient));
        Assert.All(outbox, m => Assert.Equal(ScheduleMessageKind.MeetingRequest, m.Kind));
    }

    [Fact]
    public async Task CalendarViewExample_ReturnsTheSeededAppointmentsInRange()
    {
        await using var scope = await EmulatorScope.StartAsync();
        Seed(scope.Emulator);
        var response = await scope.PostAsync(await File.ReadAllTextAsync(Path.Combine(ExamplesFolder, "ews-calendarview-finditem.03-FindItem.xml")));

        response.AssertSuccess();
        Assert.Equal(["Contoso devs team meeting", "Tennis at the club"], response.Xml.Descendants(T + "Subject").Select(s => s.Value));
    }

    [Theory]
    [MemberData(nameof(ResponseFiles))]
    public async Task ExampleResponse_ValidatesAgainstTheEmbeddedSchema(string file)
    {
        var errors = EwsSchema.ValidateResponse(await File.ReadAllTextAsync(Path.Combine(ExamplesFolder, file)));
        Assert.Empty(errors);
    }

    /// <summary>The items and folders the examples address by their (shortened) documentation ids.</summary>
    private static void Seed(ExchangeEmulator emulator)
    {
        var mailbox = emulator.Mailbox(EmulatorScope.Mailbox);
        mailbox.AliasFolderId("calendar", "AAMk");
        mailbox.CreateItem("calendar", Event("Contoso devs team meeting", "2013-08-21T19:30:00Z", "2013-08-21T20:00:00Z"), itemId: "AsdD89=", changeKey: "Jajs3==");
        mailbox.CreateItem("calendar", Event("Tennis at the club", "2013-08-22T18:00:00Z", "2013-08-22T19:00:00Z"));
        mailbox.CreateItem("calendar", Event("Last year's party", "2012-12-21T18:00:00Z", "2012-12-21T23:00:00Z"));
        mailbox.CreateItem("tasks", new XElement(T + "Task", new XElement(T + "Subject", "Buy new shoes")), itemId: "AAAtAEFkb...", changeKey: "CQAAABYAAAB...");
        mailbox.CreateItem("tasks", new XElement(T + "Task", new XElement(T + "Subject", "Write notes")), itemId: "AAAtAEFkbW...", changeKey: "CQAAABYA...");
        mailbox.CreateItem("contacts", new XElement(T + "Contact", new XElement(T + "GivenName", "Old"), new XElement(T + "EmailAddresses", new XElement(T + "Entry", new XAttribute("Key", "EmailAddress1"), "old@example.com"))), itemId: "AAAtAA=", changeKey: "EQAAABYi");
        mailbox.CreateItem("contacts", new XElement(T + "Contact", new XElement(T + "GivenName", "Gone")), itemId: "AS4AUn==");
    }

    private static XElement Event(string subject, string start, string end) =>
        new(T + "CalendarItem", new XElement(T + "Subject", subject), new XElement(T + "Start", start), new XElement(T + "End", end));
}
