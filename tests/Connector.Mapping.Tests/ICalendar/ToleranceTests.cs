using Connector.Domain;
using Connector.Mapping.ICalendar;

namespace Connector.Mapping.Tests.ICalendar;

/// <summary>Real-world deviations from RFC 5545 that are read rather than rejected.</summary>
public class ToleranceTests
{
    private static CalendarParseResult ReadEvent(params string[] lines) =>
        ICalendarReader.Read("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:t1\r\n" + string.Join("\r\n", lines) + "\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n");

    [Fact]
    public void Read_LowerCaseNamesAndLfLineEndings_AreAccepted()
    {
        var result = ICalendarReader.Read("begin:vcalendar\nbegin:vevent\nuid:x\ndtstart:20240101T100000Z\nsummary:hi\nend:vevent\nend:vcalendar\n");

        var e = Assert.Single(result.Events);
        Assert.Equal("hi", e.Summary);
    }

    [Fact]
    public void Read_DateMarkedAsDateTime_BecomesDate()
    {
        var e = Assert.Single(ReadEvent("DTSTART;VALUE=DATE-TIME:20240101").Events);

        Assert.Equal(CalendarTime.FromDate(new DateOnly(2024, 1, 1)), e.Start);
    }

    [Fact]
    public void Read_IsoDateTimeWithOffset_BecomesUtc()
    {
        var e = Assert.Single(ReadEvent("DTSTART:2024-01-01T10:00:00+01:00").Events);

        Assert.Equal(CalendarTime.FromUtc(new DateTime(2024, 1, 1, 9, 0, 0)), e.Start);
    }

    [Fact]
    public void Read_QuoteAfterValue_AsExchange2010Writes_IsRepaired()
    {
        var e = Assert.Single(ReadEvent("DTSTART;TZID=\"W. Europe Standard Time:20200609T090000\"").Events);

        Assert.Equal(CalendarTime.InZone(new DateTime(2020, 6, 9, 9, 0, 0), "Europe/Berlin"), e.Start);
    }

    [Fact]
    public void Read_SecondRrule_IsKeptVerbatim()
    {
        var e = Assert.Single(ReadEvent("DTSTART:20240101T100000Z", "RRULE:FREQ=DAILY;COUNT=2", "RRULE:FREQ=WEEKLY;COUNT=3").Events);

        Assert.Equal(RecurrenceFrequency.Daily, e.Recurrence!.Frequency);
        Assert.Contains(e.ExtraProperties, p => p is { Name: "RRULE", Value: "FREQ=WEEKLY;COUNT=3" });
        Assert.Equal(e, Assert.Single(ICalendarReader.Read(ICalendarWriter.Write(e)).Events));
    }

    [Fact]
    public void Read_SameUidTwiceWithoutRecurrenceId_KeepsTheNewestAndWarns()
    {
        var result = ICalendarReader.Read("""
            BEGIN:VCALENDAR
            BEGIN:VEVENT
            UID:dup
            SEQUENCE:1
            SUMMARY:old
            END:VEVENT
            BEGIN:VEVENT
            UID:dup
            SEQUENCE:3
            SUMMARY:new
            END:VEVENT
            END:VCALENDAR
            """);

        Assert.Equal("new", Assert.Single(result.Events).Summary);
        Assert.Contains(result.Warnings, w => w.Contains("UID=dup", StringComparison.Ordinal));
    }

    [Fact]
    public void Read_EventWithoutUid_GetsAStableDerivedUid()
    {
        const string ics = "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART:20240101T100000Z\r\nSUMMARY:x\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";

        var first = Assert.Single(ICalendarReader.Read(ics).Events);
        var second = Assert.Single(ICalendarReader.Read(ics).Events);

        Assert.StartsWith("derived-", first.Uid, StringComparison.Ordinal);
        Assert.Equal(first.Uid, second.Uid);
    }

    [Fact]
    public void Read_OccurrencesWithoutMaster_AreKeptTogether()
    {
        var result = ICalendarReader.Read("""
            BEGIN:VCALENDAR
            BEGIN:VEVENT
            UID:orphans
            RECURRENCE-ID:20240101T100000Z
            DTSTART:20240101T110000Z
            END:VEVENT
            BEGIN:VEVENT
            UID:orphans
            RECURRENCE-ID:20240108T100000Z
            DTSTART:20240108T110000Z
            END:VEVENT
            END:VCALENDAR
            """);

        var e = Assert.Single(result.Events);
        Assert.NotNull(e.RecurrenceId);
        Assert.Single(e.Overrides);
        Assert.Equal(e, Assert.Single(ICalendarReader.Read(ICalendarWriter.Write(e)).Events));
    }

    [Fact]
    public void Read_CrCrLfLineEndings_AreOneLineEnding()
    {
        var result = ICalendarReader.Read("BEGIN:VCALENDAR\r\r\nBEGIN:VEVENT\r\r\nUID:ip\r\r\nSUMMARY:long\r\r\n  text\r\r\nEND:VEVENT\r\r\nEND:VCALENDAR\r\r\n");

        Assert.Equal("long text", Assert.Single(result.Events).Summary);
    }

    [Fact]
    public void Read_DateWithStrayZ_AsGoogleWrites_IsADate()
    {
        var e = Assert.Single(ReadEvent("DTSTART;VALUE=DATE:20141210", "RDATE:20131210Z").Events);

        Assert.Equal(CalendarTime.FromDate(new DateOnly(2013, 12, 10)), Assert.Single(e.AdditionalDates));
    }
}
