using BenchmarkDotNet.Attributes;
using Connector.Domain;
using Connector.Mapping.ICalendar;
using Connector.Mapping.VCard;
using Ical.Net.Serialization;

namespace Connector.Benchmarks;

/// <summary>
/// Parse and emit cost per item: an Outlook-style recurring meeting (Windows time zone, attendees,
/// EXDATE, alarm, X-MICROSOFT-* properties), a task and a contact. Ical.Net alone is measured on the
/// same event for comparison.
/// </summary>
[MemoryDiagnoser]
public class MappingBenchmarks
{
    private string _eventText = null!;
    private string _taskText = null!;
    private string _contactText = null!;
    private CalendarEvent _event = null!;
    private TaskItem _task = null!;
    private Contact _contact = null!;
    private Ical.Net.Calendar _icalNetCalendar = null!;

    [GlobalSetup]
    public void Setup()
    {
        _eventText = Samples.Read("outlook-series.ics");
        _taskText = Samples.Read("task.ics");
        _contactText = Samples.Read("contact.vcf");
        _event = ICalendarReader.Read(_eventText).Events.Single();
        _task = ICalendarReader.Read(_taskText).Tasks.Single();
        _contact = VCardReader.Read(_contactText).Contacts.Single();
        _icalNetCalendar = Ical.Net.Calendar.Load(_eventText)!;
    }

    [Benchmark]
    public CalendarEvent Event_Parse() => ICalendarReader.Read(_eventText).Events[0];

    [Benchmark]
    public string Event_Emit() => ICalendarWriter.Write(_event);

    [Benchmark]
    public string Event_ParseAndEmit() => ICalendarWriter.Write(ICalendarReader.Read(_eventText).Events[0]);

    [Benchmark]
    public TaskItem Task_Parse() => ICalendarReader.Read(_taskText).Tasks[0];

    [Benchmark]
    public string Task_Emit() => ICalendarWriter.Write(_task);

    [Benchmark]
    public Contact Contact_Parse() => VCardReader.Read(_contactText).Contacts[0];

    [Benchmark]
    public string Contact_Emit() => VCardWriter.Write(_contact);

    [Benchmark]
    public Ical.Net.Calendar IcalNet_Event_Parse() => Ical.Net.Calendar.Load(_eventText)!;

    [Benchmark]
    public string IcalNet_Event_Serialize() => new CalendarSerializer().SerializeToString(_icalNetCalendar)!;
}
