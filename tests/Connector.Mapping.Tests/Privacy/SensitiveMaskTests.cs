using Connector.Domain;
using Connector.Mapping.ICalendar;
using Connector.Mapping.Privacy;
using Connector.Mapping.Tests.ICalendar;
using CsCheck;

namespace Connector.Mapping.Tests.Privacy;

public class SensitiveMaskTests
{
    [Fact]
    public void S17_MaskedEvent_KeepsOnlyTimesFreeBusyAndTitle()
    {
        var source = Assert.Single(ICalendarReader.Read(SharedFixtures.Bytes("outlook-2010-meeting-request.ics")).Events);

        var masked = SensitiveMask.Apply(source, "Occupied");
        var written = ICalendarWriter.Write(masked);

        Assert.Equal("Occupied", masked.Summary);
        Assert.Equal(source.Start, masked.Start);
        Assert.Equal(source.End, masked.End);
        Assert.Equal(source.FreeBusy, masked.FreeBusy);
        Assert.Null(masked.Description);
        Assert.Null(masked.HtmlDescription);
        Assert.Null(masked.Location);
        Assert.Null(masked.Organizer);
        Assert.Empty(masked.Attendees);
        Assert.Empty(masked.Categories);
        Assert.True(SensitiveMask.IsMasked(masked));
        Assert.False(SensitiveMask.IsMasked(source));
        foreach (var secret in new[] { source.Summary!, "ATTENDEE", "ORGANIZER", "LOCATION", "DESCRIPTION", "X-MS-OLK" })
        {
            Assert.DoesNotContain(secret, written, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void S17_MaskedGeneratedEvents_LeakNoTextOfTheOriginal()
    {
        CalendarGenerators.Event.Sample(e =>
        {
            var masked = SensitiveMask.Apply(e);
            var written = ICalendarWriter.Write(masked);
            var reread = Assert.Single(ICalendarReader.Read(written).Events);

            Assert.Equal(masked, reread);
            Assert.Equal(e.Overrides.Count, masked.Overrides.Count);
            Assert.All(masked.Overrides.Prepend(masked), m =>
            {
                Assert.Equal(SensitiveMask.DefaultTitle, m.Summary);
                Assert.Null(m.Description);
                Assert.Null(m.Location);
                Assert.Empty(m.Attendees);
                Assert.Empty(m.Reminders);
                Assert.Equal(Sensitivity.Normal, m.Sensitivity);
            });
            Assert.Equal(e.Overrides.Select(o => (o.RecurrenceId, o.Start, o.End, o.FreeBusy)), masked.Overrides.Select(o => (o.RecurrenceId, o.Start, o.End, o.FreeBusy)));
        }, iter: 200);
    }
}
