using System.Text;
using Connector.Mapping.ICalendar;
using Connector.Mapping.Text;

namespace Connector.Mapping.Tests.ICalendar;

/// <summary>Broken and hostile input gives a clear error (item, line, reason), never a crash or a hang.</summary>
public class MalformedInputTests
{
    private const string Valid = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:x1\r\nDTSTART:20240101T100000Z\r\nSUMMARY:Hello\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";

    [Fact]
    public void Read_Truncated_SaysTruncatedAndWhere()
    {
        var result = ICalendarReader.Read(Valid[..60]);

        var error = Assert.Single(result.Errors);
        Assert.Contains("truncated", error.Message, StringComparison.Ordinal);
        Assert.NotNull(error.Line);
        Assert.Empty(result.Events);
    }

    [Theory]
    [InlineData("DTSTART:20241301T100000Z", "DTSTART")]
    [InlineData("DTSTART:20240230T100000Z", "DTSTART")]
    [InlineData("DTSTART;VALUE=DATE:2024", "DTSTART")]
    [InlineData("DTEND:tomorrow", "DTEND")]
    [InlineData("RRULE:FREQ=SOMETIMES", "RRULE")]
    [InlineData("RRULE:BYDAY=MO", "RRULE")]
    [InlineData("DURATION:P1X", "DURATION")]
    [InlineData("SEQUENCE:many", "SEQUENCE")]
    [InlineData("EXDATE:20240101T10", "EXDATE")]
    public void Read_BadValue_NamesItemLineAndProperty(string badLine, string property)
    {
        var ics = Valid.Replace("DTSTART:20240101T100000Z\r\n", string.Empty, StringComparison.Ordinal)
            .Replace("SUMMARY:Hello", badLine, StringComparison.Ordinal);

        var error = Assert.Single(ICalendarReader.Read(ics).Errors);

        Assert.Equal("VEVENT UID=x1", error.Item);
        Assert.Equal(5, error.Line);
        Assert.Contains(property, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_InvalidUtf8_NamesTheLine()
    {
        var bytes = Encoding.UTF8.GetBytes(Valid.Replace("Hello", "H\u00e9llo", StringComparison.Ordinal)).ToList();
        var at = bytes.IndexOf(0xC3);
        bytes[at] = 0xFF;

        var error = Assert.Single(ICalendarReader.Read(bytes.ToArray()).Errors);

        Assert.Contains("UTF-8", error.Message, StringComparison.Ordinal);
        Assert.Equal(6, error.Line);
    }

    [Fact]
    public void Read_TenMegabyteProperty_IsRefusedWithTheLimit()
    {
        var ics = Valid.Replace("SUMMARY:Hello", "DESCRIPTION:" + new string('x', 10 * 1024 * 1024), StringComparison.Ordinal);

        var error = Assert.Single(ICalendarReader.Read(ics).Errors);

        Assert.Contains("limit", error.Message, StringComparison.Ordinal);
        Assert.Equal(6, error.Line);
    }

    [Fact]
    public void Read_TenMegabytePropertyFolded_IsRefusedWithTheLimit()
    {
        var folded = string.Join("\r\n ", Enumerable.Repeat(new string('y', 74), 10 * 1024 * 1024 / 74));
        var ics = Valid.Replace("SUMMARY:Hello", "DESCRIPTION:" + folded, StringComparison.Ordinal);

        var error = Assert.Single(ICalendarReader.Read(ics).Errors);

        Assert.Contains("limit", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_DeeplyNested_IsRefusedWithoutStackOverflow()
    {
        var sb = new StringBuilder("BEGIN:VCALENDAR\r\n");
        for (var i = 0; i < 100_000; i++)
        {
            sb.Append("BEGIN:VEVENT\r\n");
        }

        var error = Assert.Single(ICalendarReader.Read(sb.ToString()).Errors);

        Assert.Contains("nested deeper", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("\r\n\r\n")]
    [InlineData("hello world")]
    [InlineData("BEGIN:VCARD\r\nFN:x\r\nEND:VCARD\r\n")]
    [InlineData("BEGIN:VCALENDAR\r\nEND:VEVENT\r\n")]
    [InlineData("BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:a\r\nEND:VCALENDAR\r\nEND:VEVENT\r\n")]
    [InlineData("BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:a\r\nDTSTART;TZID=\"unterminated:20240101T000000\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n")]
    [InlineData("BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\n:no name\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n")]
    [InlineData("BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nBAD/NAME:x\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n")]
    public void Read_Garbage_GivesAnErrorNotAnException(string text)
    {
        var result = ICalendarReader.Read(text);

        var error = Assert.Single(result.Errors);
        Assert.False(string.IsNullOrWhiteSpace(error.Reason));
    }

    [Fact]
    public void Read_RandomBytes_NeverThrows()
    {
        var random = new Random(42);
        for (var i = 0; i < 200; i++)
        {
            var bytes = new byte[random.Next(0, 2000)];
            random.NextBytes(bytes);
            var prefix = Encoding.ASCII.GetBytes("BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\n");

            var result = ICalendarReader.Read([.. prefix, .. bytes]);

            Assert.NotEmpty(result.Errors);
        }
    }

    [Fact]
    public void Read_MutatedValidEvent_NeverThrows()
    {
        var source = ICalendarWriter.Write(Assert.Single(ICalendarReader.Read(SharedFixtures.Bytes("outlook-2010-meeting-request.ics")).Events));
        var random = new Random(7);
        for (var i = 0; i < 500; i++)
        {
            var chars = source.ToCharArray();
            for (var j = 0; j < 5; j++)
            {
                const string Noise = ":;=,\"\\\r\n X0";
                chars[random.Next(chars.Length)] = Noise[random.Next(Noise.Length)];
            }

            var result = ICalendarReader.Read(new string(chars));

            Assert.All(result.Errors, e => Assert.False(string.IsNullOrWhiteSpace(e.Reason)));
        }
    }

    [Fact]
    public void MappingException_Message_NamesItemLineAndReason()
    {
        var ex = new MappingException("DTSTART is bad", 12, "VEVENT UID=abc");

        Assert.Equal("VEVENT UID=abc, line 12: DTSTART is bad", ex.Message);
    }
}
