using Connector.Domain;
using Connector.Stores.Ews.Mapping;
using static Connector.Stores.Ews.Tests.Mapping.EwsTestSupport;

namespace Connector.Stores.Ews.Tests.Mapping;

public class ExampleFileTests
{
    public static TheoryData<string> ItemFiles() =>
    [
        .. Directory.EnumerateFiles(Path.Combine(SharedFixtures.SharedDirectory, "protocols", "examples"), "ews-*.xml")
            .Where(f => File.ReadAllText(f) is var x && (x.Contains("CalendarItem>", StringComparison.Ordinal) || x.Contains(":Contact>", StringComparison.Ordinal) || x.Contains(":Task>", StringComparison.Ordinal)))
            .Select(Path.GetFileName)
            .Order(StringComparer.Ordinal)
            .Select(f => f!),
    ];

    [Theory]
    [MemberData(nameof(ItemFiles))]
    public void ExampleFile_EveryItem_Reads(string file)
    {
        var items = ReadExample(file);
        Assert.NotEmpty(items);
    }

    [Fact]
    public void CreateItemCalendarItem_ReadsValues()
    {
        var ev = Assert.IsType<CalendarEvent>(Assert.Single(ReadExample("ews-createitem-calendar-item.01-CreateItem.xml")).Item);
        Assert.Equal("Planning Meeting", ev.Summary);
        Assert.Equal("Plan the agenda for next week's meeting.", ev.Description);
        Assert.Equal("Conference Room 721", ev.Location);
        Assert.Equal(CalendarTime.FromUtc(new DateTime(2006, 11, 2, 14, 0, 0)), ev.Start);
        Assert.Equal(CalendarTime.FromUtc(new DateTime(2006, 11, 2, 15, 0, 0)), ev.End);
        Assert.Equal(FreeBusyStatus.Busy, ev.FreeBusy);
        Assert.False(ev.IsAllDay);
        Assert.Equal(TimeSpan.FromMinutes(-60), Assert.Single(ev.Reminders).Offset);
        Assert.Equal(["User1@example.com", "User2@example.com"], ev.Attendees.Select(a => a.Email));
        Assert.All(ev.Attendees, a => Assert.Equal(AttendeeRole.Required, a.Role));
    }

    [Theory]
    [InlineData("ews-createitem-appointment.01-CreateItem.xml")]
    [InlineData("ews-exchangeimpersonation-createitem.01-CreateItem.xml")]
    public void CreateItemAppointment_MeetingTimeZone_GivesPacificWallClock(string file)
    {
        var ev = Assert.IsType<CalendarEvent>(Assert.Single(ReadExample(file)).Item);
        Assert.Equal("Tennis lesson", ev.Summary);
        Assert.Equal("Focus on backhand this week.", ev.HtmlDescription);
        Assert.Null(ev.Description);
        Assert.Equal("Tennis club", ev.Location);
        Assert.Equal(CalendarTime.InZone(new DateTime(2013, 9, 21, 12, 0, 0), "America/Los_Angeles"), ev.Start);
        Assert.Equal(CalendarTime.InZone(new DateTime(2013, 9, 21, 13, 0, 0), "America/Los_Angeles"), ev.End);
    }

    [Fact]
    public void CreateItemContact_ReadsValues()
    {
        var c = Assert.IsType<Contact>(Assert.Single(ReadExample("ews-createitem-contact.01-CreateItem.xml")).Item);
        Assert.Equal("SampleContact", c.FormattedName);
        Assert.Equal("Tanja", c.Name!.Given);
        Assert.Equal("Plate", c.Name.Family);
        Assert.Equal("Blue Yonder Airlines", c.Organization);
        Assert.Equal("Manager", c.Title);
        Assert.Equal("tplate@example.com", Assert.Single(c.Emails).Value);
        var phone = Assert.Single(c.Phones);
        Assert.Equal("4255550199", phone.Value);
        Assert.Equal(["work", "voice"], phone.Types);
        var adr = Assert.Single(c.Addresses);
        Assert.Equal(("1234 56th Ave", "La Habra", "CA", "USA"), (adr.Street, adr.Locality, adr.Region, adr.Country));
        Assert.Equal(["work"], adr.Types);
    }

    [Fact]
    public void CreateItemTask_ReadsValues()
    {
        var t = Assert.IsType<TaskItem>(Assert.Single(ReadExample("ews-createitem-task.01-CreateItem.xml")).Item);
        Assert.Equal("My task", t.Summary);
        Assert.Equal(CalendarTime.FromDate(new DateOnly(2006, 10, 26)), t.Due);
        Assert.Equal(Connector.Domain.TaskStatus.NeedsAction, t.Status);
    }

    [Fact]
    public void GetItemTask_ReadsValues()
    {
        var item = Assert.Single(ReadExample("ews-getitem-task.02-GetItemResponse.xml"));
        var t = Assert.IsType<TaskItem>(item.Item);
        Assert.Equal(("AAAtAEA=", "EwAAAB"), (item.ItemId, item.ChangeKey));
        Assert.Equal("AAAtAEA=", t.Uid);
        Assert.Equal("Buy new shoes", t.Summary);
        Assert.Null(t.Description);
        Assert.Equal(5, t.Priority);
        Assert.Equal(0, t.PercentComplete);
        Assert.Equal(new DateTime(2006, 9, 15, 15, 23, 8, DateTimeKind.Utc), t.Created);
    }

    [Fact]
    public void GetItemAndFindItem_CalendarItems_ReadIdsAndTimes()
    {
        var only = Assert.Single(ReadExample("ews-getitem-calendar-item.02-GetItemResponse.xml"));
        Assert.Equal(("ASUAd", "otlIqB=="), (only.ItemId, only.ChangeKey));
        var found = ReadExample("ews-calendarview-finditem.04-FindItemResponse.xml");
        Assert.Equal(5, found.Count);
        var first = Assert.IsType<CalendarEvent>(found[0].Item);
        Assert.Equal("Contoso devs team meeting", first.Summary);
        Assert.Equal(CalendarTime.FromUtc(new DateTime(2013, 8, 21, 19, 30, 0)), first.Start);
    }
}
