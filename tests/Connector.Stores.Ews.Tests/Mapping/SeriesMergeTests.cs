using Connector.Domain;
using Connector.Stores.Ews.Mapping;
using static Connector.Stores.Ews.Tests.Mapping.EwsTestSupport;

namespace Connector.Stores.Ews.Tests.Mapping;

/// <summary>S09: merging a master's exceptions (read on their own) into the series.</summary>
public sealed class SeriesMergeTests
{
    private const string T = EwsFields.TypesNamespace;

    private const string Master = $"""
        <t:CalendarItem xmlns:t="{T}">
          <t:ItemId Id="M1" ChangeKey="CK"/><t:Subject>Series</t:Subject><t:UID>u-1</t:UID>
          <t:Start>2024-03-18T08:00:00Z</t:Start><t:End>2024-03-18T09:00:00Z</t:End><t:Location>Room 1</t:Location>
          <t:Recurrence><t:WeeklyRecurrence><t:Interval>1</t:Interval><t:DaysOfWeek>Monday</t:DaysOfWeek></t:WeeklyRecurrence>
            <t:NumberedRecurrence><t:StartDate>2024-03-18+01:00</t:StartDate><t:NumberOfOccurrences>6</t:NumberOfOccurrences></t:NumberedRecurrence></t:Recurrence>
          <t:ModifiedOccurrences>
            <t:Occurrence><t:ItemId Id="O1" ChangeKey="X1"/><t:Start>2024-03-25T10:00:00Z</t:Start><t:End>2024-03-25T11:00:00Z</t:End><t:OriginalStart>2024-03-25T08:00:00Z</t:OriginalStart></t:Occurrence>
            <t:Occurrence><t:ItemId Id="O2" ChangeKey="X2"/><t:Start>2024-04-08T07:00:00Z</t:Start><t:End>2024-04-08T08:00:00Z</t:End><t:OriginalStart>2024-04-08T07:00:00Z</t:OriginalStart></t:Occurrence>
          </t:ModifiedOccurrences>
          <t:StartTimeZone Id="W. Europe Standard Time"/><t:EndTimeZone Id="W. Europe Standard Time"/>
        </t:CalendarItem>
        """;

    private static string Exception(string id, string start, string end, string original, string location) => $"""
        <t:CalendarItem xmlns:t="{T}">
          <t:ItemId Id="{id}" ChangeKey="E"/><t:Subject>Series</t:Subject><t:UID>u-1</t:UID><t:RecurrenceId>{original}</t:RecurrenceId>
          <t:Start>{start}</t:Start><t:End>{end}</t:End><t:OriginalStart>{original}</t:OriginalStart><t:Location>{location}</t:Location>
          <t:CalendarItemType>Exception</t:CalendarItemType>
          <t:StartTimeZone Id="W. Europe Standard Time"/><t:EndTimeZone Id="W. Europe Standard Time"/>
        </t:CalendarItem>
        """;

    [Fact]
    public void S09_Master_NamesItsExceptionsByItemId()
    {
        var master = EwsCalendarItemReader.Read(ItemReader(Master));

        Assert.Equal(["O1", "O2"], master.ModifiedOccurrenceIds);
    }

    [Fact]
    public void S09_ExceptionsMergeIntoTheSeries_AndOneThatRepeatsItsOccurrenceIsNoOverride()
    {
        var master = EwsCalendarItemReader.Read(ItemReader(Master)).Item;
        var moved = EwsCalendarItemReader.Read(ItemReader(Exception("O1", "2024-03-25T10:00:00Z", "2024-03-25T11:00:00Z", "2024-03-25T08:00:00Z", "Room 2"))).Item;

        // O2 was reset by the store: the series' own time, length and values (EWS cannot undo an exception).
        var reset = EwsCalendarItemReader.Read(ItemReader(Exception("O2", "2024-04-08T07:00:00Z", "2024-04-08T08:00:00Z", "2024-04-08T07:00:00Z", "Room 1"))).Item;

        var series = EwsCalendarItemReader.WithOccurrences(master, [moved, reset]);

        var only = Assert.Single(series.Overrides);
        Assert.Equal("Room 2", only.Location);
        Assert.Equal(CalendarTime.InZone(new DateTime(2024, 3, 25, 9, 0, 0), "Europe/Berlin"), only.RecurrenceId);
        Assert.Equal(CalendarTime.InZone(new DateTime(2024, 3, 25, 11, 0, 0), "Europe/Berlin"), only.Start);
        Assert.True(EwsCalendarItemReader.IsPlainOccurrence(series, reset));
        Assert.False(EwsCalendarItemReader.IsPlainOccurrence(series, moved));
        Assert.False(EwsCalendarItemReader.IsPlainOccurrence(series, reset with { End = reset.End!.Value.WithValue(reset.End.Value.Value.AddMinutes(5)) }));
    }
}
