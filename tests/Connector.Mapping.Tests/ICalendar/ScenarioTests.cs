using Connector.Domain;
using Connector.Mapping.ICalendar;
using Connector.Mapping.TimeZones;

namespace Connector.Mapping.Tests.ICalendar;

/// <summary>The mapping side of the scenarios in shared/SCENARIOS.md (S09, S11, S12, S21).</summary>
public class ScenarioTests
{
    private const string SeriesWithExceptions = """
        BEGIN:VCALENDAR
        VERSION:2.0
        PRODID:-//Test//EN
        BEGIN:VEVENT
        UID:series-1
        DTSTART;TZID=Europe/Berlin:20240304T090000
        DTEND;TZID=Europe/Berlin:20240304T093000
        RRULE:FREQ=WEEKLY;BYDAY=MO;COUNT=10
        EXDATE;TZID=Europe/Berlin:20240311T090000
        SUMMARY:Standup
        ORGANIZER;CN=Olga:mailto:olga@example.com
        ATTENDEE;PARTSTAT=ACCEPTED:mailto:ann@example.com
        END:VEVENT
        BEGIN:VEVENT
        UID:series-1
        RECURRENCE-ID;TZID=Europe/Berlin:20240318T090000
        DTSTART;TZID=Europe/Berlin:20240318T100000
        DTEND;TZID=Europe/Berlin:20240318T103000
        SUMMARY:Standup (moved)
        ORGANIZER;CN=Olga:mailto:olga@example.com
        END:VEVENT
        BEGIN:VEVENT
        UID:series-1
        RECURRENCE-ID;TZID=Europe/Berlin:20240401T090000
        DTSTART;TZID=Europe/Berlin:20240401T090000
        DTEND;TZID=Europe/Berlin:20240401T100000
        SUMMARY:Standup (long)
        ORGANIZER;CN=Olga:mailto:olga@example.com
        END:VEVENT
        END:VCALENDAR
        """;

    [Fact]
    public void S09_SeriesWithDeletedAndModifiedOccurrences_RoundTripsInOneResource()
    {
        var read = ICalendarReader.Read(SeriesWithExceptions);
        var series = Assert.Single(read.Events);
        Assert.Equal(2, series.Overrides.Count);
        var exdate = Assert.Single(series.ExcludedDates);
        Assert.Equal(series.Start!.Value.Kind, exdate.Kind);
        Assert.Equal(series.Start.Value.TimeZoneId, exdate.TimeZoneId);

        var written = ICalendarWriter.Write(series);

        Assert.Equal(1, CountOf(written, "BEGIN:VCALENDAR"));
        Assert.Equal(3, CountOf(written, "BEGIN:VEVENT"));
        Assert.Contains("EXDATE;TZID=Europe/Berlin:20240311T090000", written, StringComparison.Ordinal);
        Assert.Contains("RECURRENCE-ID;TZID=Europe/Berlin:20240318T090000", written, StringComparison.Ordinal);
        Assert.Equal(series, Assert.Single(ICalendarReader.Read(written).Events));
    }

    [Fact]
    public void S09_AllDaySeries_ExdateUsesDateValueType()
    {
        var series = new CalendarEvent
        {
            Uid = "allday-series",
            Start = CalendarTime.FromDate(new DateOnly(2024, 5, 6)),
            End = CalendarTime.FromDate(new DateOnly(2024, 5, 7)),
            Recurrence = new RecurrenceRule { Frequency = RecurrenceFrequency.Daily, Count = 5 },
            ExcludedDates = ValueList.Of(CalendarTime.FromDate(new DateOnly(2024, 5, 8))),
        };

        var written = ICalendarWriter.Write(series);

        Assert.Contains("EXDATE;VALUE=DATE:20240508", written, StringComparison.Ordinal);
        Assert.Equal(series, Assert.Single(ICalendarReader.Read(written).Events));
    }

    [Fact]
    public void S09_EditingTheSameExceptionTwice_KeepsOneOverride()
    {
        var series = Assert.Single(ICalendarReader.Read(SeriesWithExceptions).Events);

        var current = series;
        foreach (var title in new[] { "first edit", "second edit" })
        {
            var edited = current.Overrides[0] with { Summary = title };
            current = current with { Overrides = current.Overrides.Select(o => o.RecurrenceId == edited.RecurrenceId ? edited : o).ToValueList() };
            current = Assert.Single(ICalendarReader.Read(ICalendarWriter.Write(current)).Events);
        }

        Assert.Equal(2, current.Overrides.Count);
        Assert.Equal("second edit", current.Overrides[0].Summary);
        Assert.Equal(series.Overrides[1], current.Overrides[1]);
    }

    [Fact]
    public void S10_ExceptionsKeepTheSeriesOrganizer_AndNoPartstatIsInvented()
    {
        var series = Assert.Single(ICalendarReader.Read(SeriesWithExceptions).Events);
        var written = ICalendarWriter.Write(series);
        var reread = Assert.Single(ICalendarReader.Read(written).Events);

        Assert.All(reread.Overrides, o => Assert.Equal(series.Organizer, o.Organizer));
        Assert.Equal(ParticipationStatus.Accepted, Assert.Single(reread.Attendees).Status);
    }

    [Theory]
    [InlineData("W. Europe Standard Time", "Europe/Berlin")]
    [InlineData("Eastern Standard Time", "America/New_York")]
    [InlineData("New Zealand Standard Time", "Pacific/Auckland")]
    [InlineData("tzone://Microsoft/Utc", "Etc/UTC")]
    [InlineData("UTC", "Etc/UTC")]
    [InlineData("Europe/Paris", "Europe/Paris")]
    [InlineData("/mozilla.org/20070129_1/Europe/Berlin", "Europe/Berlin")]
    [InlineData("/softwarestudio.org/Olson_20011030_5/America/New_York", "America/New_York")]
    [InlineData("(UTC+01:00) Amsterdam, Berlin, Bern, Rome, Stockholm, Vienna", "Europe/Berlin")]
    [InlineData("(GMT-05:00) Eastern Time (US & Canada)", "America/New_York")]
    public void S11_TzidNames_ResolveToIana(string tzid, string expected)
    {
        Assert.Equal(expected, TimeZoneResolver.Default.ResolveName(tzid));
    }

    [Fact]
    public void S11_IanaZones_MapBackToWindows()
    {
        Assert.Equal("W. Europe Standard Time", WindowsZoneMap.Instance.IanaToWindows("Europe/Berlin"));
        Assert.Equal("Pacific Standard Time", WindowsZoneMap.Instance.IanaToWindows("America/Los_Angeles"));
        Assert.Equal("AUS Eastern Standard Time", WindowsZoneMap.Instance.IanaToWindows("Australia/Sydney"));
    }

    [Fact]
    public void S11_CustomVtimezoneWithUnknownTzid_IsResolvedByItsRules()
    {
        var ics = """
            BEGIN:VCALENDAR
            VERSION:2.0
            BEGIN:VTIMEZONE
            TZID:Customized Time Zone
            BEGIN:STANDARD
            DTSTART:16010101T020000
            TZOFFSETFROM:-0400
            TZOFFSETTO:-0500
            RRULE:FREQ=YEARLY;BYDAY=1SU;BYMONTH=11
            END:STANDARD
            BEGIN:DAYLIGHT
            DTSTART:16010101T020000
            TZOFFSETFROM:-0500
            TZOFFSETTO:-0400
            RRULE:FREQ=YEARLY;BYDAY=2SU;BYMONTH=3
            END:DAYLIGHT
            END:VTIMEZONE
            BEGIN:VEVENT
            UID:custom-tz
            DTSTART;TZID=Customized Time Zone:20240710T090000
            DTEND;TZID=Customized Time Zone:20240710T100000
            END:VEVENT
            END:VCALENDAR
            """;

        var e = Assert.Single(ICalendarReader.Read(ics).Events);

        Assert.Equal(CalendarTimeKind.Zoned, e.Start!.Value.Kind);
        var zone = TimeZoneInfo.FindSystemTimeZoneById(e.Start.Value.TimeZoneId!);
        Assert.Equal(TimeSpan.FromHours(-4), zone.GetUtcOffset(new DateTime(2024, 7, 10, 13, 0, 0, DateTimeKind.Utc)));
        Assert.Equal(TimeSpan.FromHours(-5), zone.GetUtcOffset(new DateTime(2024, 1, 10, 13, 0, 0, DateTimeKind.Utc)));
        Assert.Equal(new DateTime(2024, 7, 10, 9, 0, 0), e.Start.Value.Value);
    }

    [Fact]
    public void S11_VtimezoneMatchingNoZone_ConvertsToUtcByItsRules()
    {
        var ics = """
            BEGIN:VCALENDAR
            VERSION:2.0
            BEGIN:VTIMEZONE
            TZID:Nowhere
            BEGIN:STANDARD
            DTSTART:19700101T000000
            TZOFFSETFROM:+0317
            TZOFFSETTO:+0317
            END:STANDARD
            END:VTIMEZONE
            BEGIN:VEVENT
            UID:odd-offset
            DTSTART;TZID=Nowhere:20240710T090000
            END:VEVENT
            END:VCALENDAR
            """;

        var result = ICalendarReader.Read(ics);
        var e = Assert.Single(result.Events);

        Assert.Equal(CalendarTime.FromUtc(new DateTime(2024, 7, 10, 5, 43, 0)), e.Start);
        Assert.Contains(result.Warnings, w => w.Contains("Nowhere", StringComparison.Ordinal));
    }

    [Fact]
    public void S11_WeeklySeriesAcrossDstChange_KeepsWallClockTime()
    {
        var series = Assert.Single(ICalendarReader.Read(SeriesWithExceptions).Events);

        // 4 March (CET, UTC+1) and 1 April (CEST, UTC+2) are both 09:00 in Berlin.
        Assert.Equal(new TimeOnly(9, 0), TimeOnly.FromDateTime(series.Start!.Value.Value));
        Assert.Equal(new DateTime(2024, 3, 4, 8, 0, 0, DateTimeKind.Utc), TimeZoneResolver.Default.ToUtc(series.Start.Value.Value, "Europe/Berlin"));
        Assert.Equal(new DateTime(2024, 4, 1, 7, 0, 0, DateTimeKind.Utc), TimeZoneResolver.Default.ToUtc(series.Start.Value.Value.AddDays(28), "Europe/Berlin"));
        Assert.Contains("DTSTART;TZID=Europe/Berlin:20240304T090000", ICalendarWriter.Write(series), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Europe/Berlin", 2024)]
    [InlineData("America/New_York", 2024)]
    [InlineData("Australia/Sydney", 2025)]
    [InlineData("Asia/Tokyo", 2024)]
    [InlineData("Pacific/Auckland", 2023)]
    public void S11_WrittenVtimezone_HasTheZonesOffsets(string zoneId, int year)
    {
        var e = new CalendarEvent { Uid = "tz", Start = CalendarTime.InZone(new DateTime(year, 6, 1, 12, 0, 0), zoneId) };
        var written = ICalendarWriter.Write(e);

        var vtimezone = Text.ContentReader.Read(written)[0].Children.Single(c => c.Name == "VTIMEZONE");
        var definition = VTimeZoneDefinition.Parse(vtimezone);
        var zone = TimeZoneInfo.FindSystemTimeZoneById(zoneId);
        for (var t = new DateTime(year, 1, 1, 0, 0, 0, DateTimeKind.Utc); t.Year == year; t = t.AddHours(7))
        {
            Assert.Equal(zone.GetUtcOffset(t), definition.OffsetAtUtc(t));
        }
    }

    [Theory]
    [InlineData("Pacific/Auckland")]
    [InlineData("America/Los_Angeles")]
    [InlineData("Europe/Berlin")]
    public void S12_OutlookAllDayInAnyZone_BecomesDatesWithExclusiveEnd(string zone)
    {
        var ics = $"""
            BEGIN:VCALENDAR
            VERSION:2.0
            BEGIN:VEVENT
            UID:allday-{zone}
            DTSTART;TZID={zone}:20240229T000000
            DTEND;TZID={zone}:20240301T000000
            X-MICROSOFT-CDO-ALLDAYEVENT:TRUE
            SUMMARY:Leap day
            END:VEVENT
            END:VCALENDAR
            """;

        var e = Assert.Single(ICalendarReader.Read(ics).Events);

        Assert.True(e.IsAllDay);
        Assert.Equal(CalendarTime.FromDate(new DateOnly(2024, 2, 29)), e.Start);
        Assert.Equal(CalendarTime.FromDate(new DateOnly(2024, 3, 1)), e.End);
    }

    [Fact]
    public void S12_AllDayEvent_SecondWriteIsIdentical()
    {
        var e = new CalendarEvent
        {
            Uid = "allday",
            Summary = "Holiday",
            Start = CalendarTime.FromDate(new DateOnly(2024, 12, 24)),
            End = CalendarTime.FromDate(new DateOnly(2024, 12, 27)),
        };

        var first = ICalendarWriter.Write(e);
        var second = ICalendarWriter.Write(Assert.Single(ICalendarReader.Read(first).Events));

        Assert.Equal(first, second);
        Assert.Contains("DTSTART;VALUE=DATE:20241224", first, StringComparison.Ordinal);
        Assert.Contains("DTEND;VALUE=DATE:20241227", first, StringComparison.Ordinal);
        Assert.DoesNotContain("VTIMEZONE", first, StringComparison.Ordinal);
    }

    [Fact]
    public void S12_DateWithoutEnd_LastsOneDay()
    {
        var ics = "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:d\r\nDTSTART;VALUE=DATE:20240101\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";

        var e = Assert.Single(ICalendarReader.Read(ics).Events);

        Assert.Equal(CalendarTime.FromDate(new DateOnly(2024, 1, 2)), e.End);
    }

    [Fact]
    public void S21_OneBrokenEvent_IsReportedAndTheOthersAreRead()
    {
        var ics = """
            BEGIN:VCALENDAR
            VERSION:2.0
            BEGIN:VEVENT
            UID:good-1
            DTSTART:20240101T100000Z
            END:VEVENT
            BEGIN:VEVENT
            UID:bad-1
            DTSTART:2024-13-45T99
            END:VEVENT
            BEGIN:VEVENT
            UID:good-2
            DTSTART:20240102T100000Z
            END:VEVENT
            END:VCALENDAR
            """;

        var result = ICalendarReader.Read(ics);

        Assert.Equal(["good-1", "good-2"], result.Events.Select(e => e.Uid));
        var error = Assert.Single(result.Errors);
        Assert.Equal("VEVENT UID=bad-1", error.Item);
        Assert.Equal(9, error.Line);
        Assert.Contains("DTSTART", error.Message, StringComparison.Ordinal);
        Assert.Contains("not a valid DATE-TIME", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void S01_WrittenOrganizerAndAttendees_CarryScheduleAgentClient()
    {
        var series = Assert.Single(ICalendarReader.Read(SeriesWithExceptions).Events);

        var written = ICalendarWriter.Write(series).Replace("\r\n ", string.Empty, StringComparison.Ordinal);

        var people = written.Split("\r\n").Where(l => l.StartsWith("ORGANIZER", StringComparison.Ordinal) || l.StartsWith("ATTENDEE", StringComparison.Ordinal)).ToList();
        Assert.Equal(4, people.Count);
        Assert.All(people, l => Assert.Contains(";SCHEDULE-AGENT=CLIENT", l, StringComparison.Ordinal));
    }

    private static int CountOf(string text, string what) => text.Split("\r\n").Count(l => l == what);
}
