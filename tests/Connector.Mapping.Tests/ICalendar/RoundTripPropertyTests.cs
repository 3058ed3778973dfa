using Connector.Mapping.ICalendar;
using CsCheck;

namespace Connector.Mapping.Tests.ICalendar;

/// <summary>Generated models survive iCalendar write → read unchanged.</summary>
public class RoundTripPropertyTests
{
    [Fact]
    public void WriteThenRead_GeneratedEvents_AreEqual()
    {
        CalendarGenerators.Event.Sample(e =>
        {
            var text = ICalendarWriter.Write(e);
            var result = ICalendarReader.Read(text);

            Assert.Empty(result.Errors);
            Assert.Equal(e, Assert.Single(result.Events));
        }, iter: 400);
    }

    [Fact]
    public void WriteThenRead_GeneratedTasks_AreEqual()
    {
        CalendarGenerators.Task.Sample(t =>
        {
            var text = ICalendarWriter.Write(t);
            var result = ICalendarReader.Read(text);

            Assert.Empty(result.Errors);
            Assert.Equal(t, Assert.Single(result.Tasks));
        }, iter: 400);
    }

    [Fact]
    public void Write_GeneratedEvents_FoldsEveryLineWithin75Octets()
    {
        CalendarGenerators.Event.Sample(e =>
        {
            var text = ICalendarWriter.Write(e);

            foreach (var line in text.Split("\r\n"))
            {
                Assert.True(System.Text.Encoding.UTF8.GetByteCount(line) <= 75, line);
            }
        }, iter: 200);
    }
}
