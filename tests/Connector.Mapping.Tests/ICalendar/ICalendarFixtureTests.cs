using Connector.Domain;
using Connector.Mapping.ICalendar;

namespace Connector.Mapping.Tests.ICalendar;

/// <summary>Every real-world .ics fixture parses, and writing then re-reading gives an equal model.</summary>
public class ICalendarFixtureTests
{
    public static IEnumerable<object[]> IcsFiles => SharedFixtures.Files(".ics");

    [Fact]
    public void Fixtures_Exist()
    {
        Assert.True(IcsFiles.Count() >= 10, $"expected the .ics fixtures in {SharedFixtures.Directory}");
    }

    [Theory]
    [MemberData(nameof(IcsFiles))]
    public void Read_Fixture_HasItemsAndNoErrors(string file)
    {
        var result = ICalendarReader.Read(SharedFixtures.Bytes(file));

        Assert.Empty(result.Errors);
        Assert.NotEmpty(result.Events.Cast<object>().Concat(result.Tasks));
    }

    [Theory]
    [MemberData(nameof(IcsFiles))]
    public void WriteThenRead_Fixture_GivesEqualModel(string file)
    {
        var first = ICalendarReader.Read(SharedFixtures.Bytes(file));

        var written = WriteEachAsResource(first);
        var second = ICalendarReader.Read(written);

        Assert.Empty(second.Errors);
        Assert.Equal(first.Events.Count, second.Events.Count);
        for (var i = 0; i < first.Events.Count; i++)
        {
            Assert.Equal(first.Events[i], second.Events[i]);
        }

        Assert.Equal(first.Tasks, second.Tasks);
    }

    [Theory]
    [MemberData(nameof(IcsFiles))]
    public void Write_Fixture_IsReadableByIcalNet(string file)
    {
        var first = ICalendarReader.Read(SharedFixtures.Bytes(file));
        var written = WriteEachAsResource(first);

        var other = Ical.Net.CalendarCollection.Load(written);

        Assert.Equal(first.Events.Sum(e => 1 + e.Overrides.Count), other.Sum(c => c.Events.Count));
        Assert.Equal(first.Tasks.Count, other.Sum(c => c.Todos.Count));
    }

    /// <summary>One VCALENDAR per item, as the connector stores them (one CalDAV resource per UID).</summary>
    private static string WriteEachAsResource(CalendarParseResult result) =>
        string.Concat(result.Events.Select(e => ICalendarWriter.Write(e)).Concat(result.Tasks.Select(t => ICalendarWriter.Write(t))));

    [Fact]
    public void Read_Rfc5545Example2_ResolvesNewYorkZone()
    {
        var result = ICalendarReader.Read(SharedFixtures.Bytes("rfc5545-example2.ics"));

        var e = Assert.Single(result.Events);
        Assert.Equal(CalendarTimeKind.Zoned, e.Start!.Value.Kind);
        Assert.Equal("America/New_York", e.Start.Value.TimeZoneId);
    }

    [Fact]
    public void Read_OutlookMeetingRequest_MapsOutlookProperties()
    {
        var result = ICalendarReader.Read(SharedFixtures.Bytes("outlook-2010-meeting-request.ics"));

        var e = Assert.Single(result.Events);
        Assert.Equal("America/New_York", e.Start!.Value.TimeZoneId);
        Assert.NotNull(e.HtmlDescription);
        Assert.Contains("<html", e.HtmlDescription, StringComparison.OrdinalIgnoreCase);
        Assert.NotNull(e.Organizer);
        Assert.NotEmpty(e.Attendees);
        Assert.Contains(e.ExtraProperties, p => p.Name.StartsWith("X-MS-OLK-", StringComparison.Ordinal) || p.Name.StartsWith("X-MICROSOFT-", StringComparison.Ordinal));
    }

    [Fact]
    public void Read_WindowsTzidNewZealand_UsesNameOverBrokenRules()
    {
        // khal's fixture pairs the Windows name with European rules; the name is what Outlook meant.
        var result = ICalendarReader.Read(SharedFixtures.Bytes("windows-tzid-new-zealand.ics"));

        var e = Assert.Single(result.Events);
        Assert.Equal("Pacific/Auckland", e.Start!.Value.TimeZoneId);
        Assert.Equal(new DateTime(2019, 11, 20, 13, 0, 0), e.Start.Value.Value);
    }

    [Fact]
    public void Read_AppleVtodo_ReadsTasksAndSkipsFreeBusy()
    {
        var result = ICalendarReader.Read(SharedFixtures.Bytes("apple-ical-vtodo-vfreebusy.ics"));

        Assert.NotEmpty(result.Tasks);
        Assert.Contains(result.Warnings, w => w.Contains("VFREEBUSY", StringComparison.Ordinal));
    }

    [Fact]
    public void Read_ItipExamples_KeepsOverridesWithTheirSeries()
    {
        var result = ICalendarReader.Read(SharedFixtures.Bytes("rfc2446-itip-examples.ics"));

        Assert.Empty(result.Errors);
        Assert.Contains(result.Events, e => e.RecurrenceId is not null || !e.Overrides.IsEmpty);
    }
}
