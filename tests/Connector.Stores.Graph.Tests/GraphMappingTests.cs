using System.Text.Json;
using Connector.Domain;
using Connector.Mapping.Text;
using Connector.Stores.Graph.Json;
using Connector.Stores.Graph.Mapping;
using TaskStatus = Connector.Domain.TaskStatus;

namespace Connector.Stores.Graph.Tests;

/// <summary>Graph JSON ⇄ domain model: Microsoft's documentation examples, and round trips through what the store writes.</summary>
public sealed class GraphMappingTests
{
    private static readonly GraphMappingOptions Berlin = new() { MailboxTimeZone = "Europe/Berlin" };

    public static IEnumerable<object[]> ExampleFiles() => GraphExamples.Files();

    [Theory]
    [MemberData(nameof(ExampleFiles))]
    public void Examples_EveryGraphBody_ParsesWithTheStoresModels(string file)
    {
        var body = GraphExamples.Body(file);
        if (body is null || file.StartsWith("graph-json-batch", StringComparison.Ordinal))
        {
            // GET requests have no body; the batch example is about other Graph services (drive, planner), read below.
            return;
        }

        using var document = JsonDocument.Parse(body);
        var root = document.RootElement;
        if (root.TryGetProperty("value", out _))
        {
            var page = file switch
            {
                _ when file.Contains("calendarview", StringComparison.Ordinal) => (object?)Deserialize(body, GraphJsonContext.Default.GraphPageGraphEvent).Value!.Select(e => GraphEventMapping.Read(e, Berlin)).ToList(),
                _ when file.Contains("contacts-delta", StringComparison.Ordinal) => Deserialize(body, GraphJsonContext.Default.GraphPageGraphContact).Value!,
                _ when file.Contains("todo-tasks", StringComparison.Ordinal) => Deserialize(body, GraphJsonContext.Default.GraphPageGraphTodoTask).Value!.Select(t => GraphTaskMapping.Read(t)).ToList(),
                _ when file.Contains("todo-list-lists", StringComparison.Ordinal) => Deserialize(body, GraphJsonContext.Default.GraphPageGraphTodoTaskList).Value!,
                _ when file.Contains("list-calendars", StringComparison.Ordinal) => Deserialize(body, GraphJsonContext.Default.GraphPageGraphCalendar).Value!,
                _ when file.Contains("contactfolders", StringComparison.Ordinal) => Deserialize(body, GraphJsonContext.Default.GraphPageGraphContactFolder).Value!,
                _ => throw new InvalidOperationException($"{file}: no model for this collection"),
            };
            Assert.NotNull(page);
            return;
        }

        // A request body has no id yet (the server assigns it); the mapping needs one.
        var id = file.Contains("-request", StringComparison.Ordinal) ? "assigned-by-server" : null;
        object item = file switch
        {
            _ when file.Contains("event", StringComparison.Ordinal) => GraphEventMapping.Read(WithId(Deserialize(body, GraphJsonContext.Default.GraphEvent), id), Berlin),
            _ when file.Contains("contact", StringComparison.Ordinal) => GraphContactMapping.Read(WithId(Deserialize(body, GraphJsonContext.Default.GraphContact), id)),
            _ when file.Contains("todo", StringComparison.Ordinal) => GraphTaskMapping.Read(WithId(Deserialize(body, GraphJsonContext.Default.GraphTodoTask), id)),
            _ => throw new InvalidOperationException($"{file}: no model for this resource"),
        };
        Assert.NotNull(item);
    }

    [Fact]
    public void CalendarViewDelta_Pages_LinksAndUtcTimes()
    {
        var first = Deserialize(GraphExamples.Body("graph-calendarview-delta-round.02-response.http")!, GraphJsonContext.Default.GraphPageGraphEvent);
        var last = Deserialize(GraphExamples.Body("graph-calendarview-delta-round.06-response.http")!, GraphJsonContext.Default.GraphPageGraphEvent);

        Assert.Equal("https://graph.microsoft.com/v1.0/me/calendarView/delta?$skiptoken=R0usmcCM996atia_s", first.NextLink);
        Assert.Null(first.DeltaLink);
        Assert.Equal("https://graph.microsoft.com/v1.0/me/calendarView/delta?$deltatoken=R0usmcMDNGg0J1E", last.DeltaLink);
        var ev = GraphEventMapping.Read(first.Value![0], Berlin);
        Assert.Equal("AAMkADNVxRAAA=", ev.Uid); // the example has no iCalUId: the id stands in
        Assert.Equal("Plan shopping list", ev.Summary);
        Assert.Equal(CalendarTime.FromUtc(new DateTime(2016, 12, 9, 20, 30, 0)), ev.Start);
        Assert.Equal(CalendarTime.FromUtc(new DateTime(2016, 12, 9, 22, 0, 0)), ev.End);
        Assert.Null(ev.Organizer); // no attendees: an appointment, not a meeting
        Assert.Equal("Home", GraphEventMapping.Read(last.Value![0], Berlin).Location);
    }

    [Fact]
    public void CreateEventResponse_Meeting_WindowsZoneAttendeesAndOrganizer()
    {
        var ev = GraphEventMapping.Read(Deserialize(GraphExamples.Body("graph-create-event.02-response.http")!, GraphJsonContext.Default.GraphEvent), Berlin);

        Assert.Equal("040000008200E00074C5B7101A82E00800000000DA2B357D94B5D201000000000000000010000000EC4597557F0CB34EA4CC2887EA7B17C3", ev.Uid);
        Assert.Equal(CalendarTime.InZone(new DateTime(2017, 4, 15, 11, 0, 0), "America/Los_Angeles"), ev.Start);
        Assert.Equal(CalendarTime.InZone(new DateTime(2017, 4, 15, 12, 0, 0), "America/Los_Angeles"), ev.End);
        Assert.Equal("<html><head></head><body>Does late morning work for you?</body></html>", ev.HtmlDescription);
        Assert.Null(ev.Description);
        Assert.Equal("Harry's Bar", ev.Location);
        Assert.Equal(new Organizer { Email = "danas@contoso.onmicrosoft.com", Name = "Dana Swope" }, ev.Organizer);
        var attendee = Assert.Single(ev.Attendees);
        Assert.Equal(new Attendee { Email = "samanthab@contoso.onmicrosoft.com", Name = "Samantha Booth", Status = ParticipationStatus.NeedsAction }, attendee);
        Assert.Equal([new Reminder { Offset = TimeSpan.FromMinutes(-15) }], ev.Reminders);
        Assert.Equal(FreeBusyStatus.Busy, ev.FreeBusy);
        Assert.Equal(new DateTime(2017, 4, 15, 3, 0, 50, DateTimeKind.Utc).AddTicks(7579581), ev.Created);
    }

    [Fact]
    public void CreateEventRequest_IsReadLikeAnEvent()
    {
        var ev = GraphEventMapping.Read(WithId(Deserialize(GraphExamples.Body("graph-create-event.01-request.http")!, GraphJsonContext.Default.GraphEvent), "new"), Berlin);

        Assert.Equal(CalendarTime.InZone(new DateTime(2017, 4, 15, 12, 0, 0), "America/Los_Angeles"), ev.Start);
        Assert.Equal("Does noon work for you?", ev.HtmlDescription);
        Assert.Equal("samanthab@contoso.onmicrosoft.com", Assert.Single(ev.Attendees).Email);
    }

    [Fact]
    public void GetContactResponse_AllMappedFields()
    {
        var c = GraphContactMapping.Read(Deserialize(GraphExamples.Body("graph-get-contact.02-response.http")!, GraphJsonContext.Default.GraphContact));

        Assert.Equal("AAMkAGI2THk0AAA=", c.Uid); // made in Outlook: no connector UID, the id stands in
        Assert.Equal("Garth Fort", c.FormattedName);
        Assert.Equal(new StructuredName { Given = "Garth", Family = "Fort" }, c.Name);
        Assert.Equal("Garth", c.Nickname);
        Assert.Equal("Contoso, Inc.", c.Organization);
        Assert.Equal("Sales & Marketing", c.Department);
        Assert.Equal("Web Marketing Manager", c.Title);
        Assert.Equal([new TypedValue { Value = "garth@a830edad9050849NDA1.onmicrosoft.com" }], c.Emails);
        Assert.Equal([new TypedValue { Value = "+1 918 555 0101", Types = ["work"] }], c.Phones);
        Assert.Equal(
            [new PostalAddress { Street = "10 Contoso Way", Locality = "Redmond", Region = "WA", Country = "USA", PostalCode = "98075", Types = ["work"] }],
            c.Addresses);
        Assert.Equal([new TypedValue { Value = "https://www.contoso.com", Types = ["work"] }], c.Urls);
        Assert.Equal(new PartialDate(1974, 7, 22), c.Birthday);
        Assert.Null(c.Note);
        Assert.Equal(new DateTime(2014, 10, 19, 23, 8, 24, DateTimeKind.Utc), c.Revision);
    }

    [Fact]
    public void ContactsDelta_BirthdayAsDateTime_ReadsTheDate()
    {
        var page = Deserialize(GraphExamples.Body("graph-contacts-delta.02-response.http")!, GraphJsonContext.Default.GraphPageGraphContact);
        var entry = Assert.Single(page.Value!);
        entry.Id = "contact-1"; // the documentation shortened the id away

        var c = GraphContactMapping.Read(entry);

        Assert.Equal(new PartialDate(2016, 10, 19), c.Birthday);
        Assert.Equal("displayName-value", c.FormattedName);
    }

    [Fact]
    public void GetTaskResponse_DueStatusImportance()
    {
        var t = GraphTaskMapping.Read(Deserialize(GraphExamples.Body("graph-todo-get-task.02-response.http")!, GraphJsonContext.Default.GraphTodoTask));

        Assert.Equal("721a35e2-35e2-721a-e235-1a72e2351a72", t.Uid);
        Assert.Equal("Shop for dinner", t.Summary);
        Assert.Null(t.Description); // empty body
        Assert.Equal(TaskStatus.NeedsAction, t.Status);
        Assert.Equal(9, t.Priority);
        Assert.Equal(CalendarTime.FromUtc(new DateTime(2020, 8, 25, 4, 0, 0)), t.Due);
        Assert.Empty(t.Reminders);
    }

    [Fact]
    public void CreateTaskRequest_LinkedResourceOfAnotherApp_IsNotAUid()
    {
        var task = Deserialize(GraphExamples.Body("graph-todo-create-task.01-request.http")!, GraphJsonContext.Default.GraphTodoTask);
        task.Id = "task-1";

        Assert.Equal("task-1", GraphTaskMapping.Read(task).Uid);
    }

    [Fact]
    public void Event_RoundTrip_ThroughWhatTheStoreWrites()
    {
        var ev = new CalendarEvent
        {
            Uid = "round-trip/event@example.org",
            Summary = "Planning",
            Description = "Agenda\nSecond line",
            Location = "Room 4",
            Start = CalendarTime.InZone(new DateTime(2025, 3, 10, 9, 0, 0), "Europe/Berlin"),
            End = CalendarTime.InZone(new DateTime(2025, 3, 10, 10, 30, 0), "Europe/Berlin"),
            Organizer = new Organizer { Email = "olga@example.org", Name = "Olga" },
            Attendees = [new Attendee { Email = "arne@example.org", Name = "Arne", Status = ParticipationStatus.Tentative }, new Attendee { Email = "opt@example.org", Role = AttendeeRole.Optional }],
            Reminders = [new Reminder { Offset = TimeSpan.FromMinutes(-30) }],
            Categories = ["Work", "Planning"],
            Sensitivity = Sensitivity.Private,
            FreeBusy = FreeBusyStatus.OutOfOffice,
            Recurrence = new RecurrenceRule { Frequency = RecurrenceFrequency.Weekly, ByDay = [new WeekdayOccurrence(DayOfWeek.Monday), new WeekdayOccurrence(DayOfWeek.Wednesday)], Count = 10 },
        };

        var back = GraphEventMapping.Read(Stored(GraphEventMapping.Write(ev, Berlin), "seriesMaster"), Berlin);

        Assert.Equal(ev, back);
    }

    [Fact]
    public void Event_Write_NeverPutsAttendeesIntoGraphsOwnList_S01()
    {
        var ev = new CalendarEvent
        {
            Uid = "meeting-from-nextcloud",
            Start = CalendarTime.FromUtc(new DateTime(2025, 3, 10, 9, 0, 0)),
            End = CalendarTime.FromUtc(new DateTime(2025, 3, 10, 10, 0, 0)),
            Organizer = new Organizer { Email = "olga@example.org" },
            Attendees = [new Attendee { Email = "arne@example.org" }],
        };

        var json = JsonSerializer.Serialize(GraphEventMapping.Write(ev, Berlin), GraphJsonContext.Default.GraphEventWrite);

        using var doc = JsonDocument.Parse(json);
        Assert.False(doc.RootElement.TryGetProperty("attendees", out _), json);
        Assert.False(doc.RootElement.TryGetProperty("organizer", out _), json);
        Assert.Contains("arne@example.org", json, StringComparison.Ordinal); // kept in the connector's property
    }

    [Fact]
    public void Event_AllDayAcrossZones_DatesSurvive_S12()
    {
        var ev = new CalendarEvent
        {
            Uid = "all-day",
            Summary = "Holiday",
            Start = CalendarTime.FromDate(new DateOnly(2025, 7, 1)),
            End = CalendarTime.FromDate(new DateOnly(2025, 7, 4)),
        };
        var stored = Stored(GraphEventMapping.Write(ev, Berlin), "singleInstance");

        // What Graph answers under Prefer: outlook.timezone="UTC": midnight Berlin is 22:00 the day before.
        stored.Start = new GraphDateTimeTimeZone { DateTime = "2025-06-30T22:00:00.0000000", TimeZone = "UTC" };
        stored.End = new GraphDateTimeTimeZone { DateTime = "2025-07-03T22:00:00.0000000", TimeZone = "UTC" };
        stored.OriginalStartTimeZone = "W. Europe Standard Time";
        stored.OriginalEndTimeZone = "W. Europe Standard Time";

        Assert.Equal(ev, GraphEventMapping.Read(stored, Berlin));
    }

    [Fact]
    public void Event_UtcAnswerWithOriginalZone_IsWallClockInThatZone_S11()
    {
        var stored = new GraphEvent
        {
            Id = "e1",
            ICalUId = "uid-1",
            Type = "singleInstance",
            Start = new GraphDateTimeTimeZone { DateTime = "2025-07-01T07:00:00.0000000", TimeZone = "UTC" },
            End = new GraphDateTimeTimeZone { DateTime = "2025-07-01T08:00:00.0000000", TimeZone = "UTC" },
            OriginalStartTimeZone = "W. Europe Standard Time",
            OriginalEndTimeZone = "W. Europe Standard Time",
        };

        var ev = GraphEventMapping.Read(stored);

        Assert.Equal(CalendarTime.InZone(new DateTime(2025, 7, 1, 9, 0, 0), "Europe/Berlin"), ev.Start);
    }

    [Fact]
    public void Series_CancelledAndExceptionOccurrences_BecomeExdatesAndOverrides_S09()
    {
        var master = new GraphEvent
        {
            Id = "master",
            ICalUId = "series-uid",
            Type = "seriesMaster",
            Subject = "Stand-up",
            Start = new GraphDateTimeTimeZone { DateTime = "2025-03-03T08:00:00.0000000", TimeZone = "UTC" },
            End = new GraphDateTimeTimeZone { DateTime = "2025-03-03T08:15:00.0000000", TimeZone = "UTC" },
            OriginalStartTimeZone = "W. Europe Standard Time",
            OriginalEndTimeZone = "W. Europe Standard Time",
            Attendees = [new GraphAttendee { EmailAddress = new GraphEmailAddress { Address = "bob@example.org" }, Type = "required" }],
            Organizer = new GraphRecipient { EmailAddress = new GraphEmailAddress { Address = "dave@example.org", Name = "Dave" } },
            Recurrence = new GraphPatternedRecurrence
            {
                Pattern = new GraphRecurrencePattern { Type = "daily", Interval = 1 },
                Range = new GraphRecurrenceRange { Type = "endDate", StartDate = "2025-03-03", EndDate = "2025-03-14", RecurrenceTimeZone = "W. Europe Standard Time" },
            },
            CancelledOccurrences = ["OID.master.2025-03-05"],
            ExceptionOccurrences =
            [
                new GraphEvent
                {
                    Id = "ex1",
                    Type = "exception",
                    Subject = "Stand-up (moved)",
                    OriginalStart = new DateTimeOffset(2025, 3, 6, 8, 0, 0, TimeSpan.Zero),
                    Start = new GraphDateTimeTimeZone { DateTime = "2025-03-06T09:00:00.0000000", TimeZone = "UTC" },
                    End = new GraphDateTimeTimeZone { DateTime = "2025-03-06T09:15:00.0000000", TimeZone = "UTC" },
                    OriginalStartTimeZone = "W. Europe Standard Time",
                    Attendees = [new GraphAttendee { EmailAddress = new GraphEmailAddress { Address = "bob@example.org" }, Type = "required" }],
                    Organizer = new GraphRecipient { EmailAddress = new GraphEmailAddress { Address = "someone-else@example.org" } },
                },
            ],
        };

        var ev = GraphEventMapping.Read(master, Berlin);

        Assert.Equal(new RecurrenceRule { Frequency = RecurrenceFrequency.Daily, Until = CalendarTime.FromUtc(new DateTime(2025, 3, 14, 8, 0, 0)) }, ev.Recurrence);
        Assert.Equal([CalendarTime.InZone(new DateTime(2025, 3, 5, 9, 0, 0), "Europe/Berlin")], ev.ExcludedDates);
        var moved = Assert.Single(ev.Overrides);
        Assert.Equal(CalendarTime.InZone(new DateTime(2025, 3, 6, 9, 0, 0), "Europe/Berlin"), moved.RecurrenceId);
        Assert.Equal(CalendarTime.InZone(new DateTime(2025, 3, 6, 10, 0, 0), "Europe/Berlin"), moved.Start);
        Assert.Equal("series-uid", moved.Uid);
        Assert.Equal(ev.Organizer, moved.Organizer); // S10: the series organizer
        Assert.Null(moved.Recurrence);
    }

    public static TheoryData<string, string> Rules() => new()
    {
        { "daily every 2 days, numbered", "DAILY|2|||||5" },
        { "weekly Mon/Fri every 2 weeks, week starts Sunday", "WEEKLY|2|MO,FR||||" },
        { "absolute monthly on the 15th", "MONTHLY|1||15|||" },
        { "relative monthly, last Friday", "MONTHLY|1|-1FR||||" },
        { "relative monthly, second weekday (BYSETPOS)", "MONTHLY|1|MO,TU,WE,TH,FR|||2|" },
        { "absolute yearly, 3 March", "YEARLY|1||3|3||" },
        { "relative yearly, first Monday of September", "YEARLY|1|1MO||9||" },
    };

    [Theory]
    [MemberData(nameof(Rules))]
    public void Recurrence_EveryPatternType_RoundTrips(string name, string spec)
    {
        var parts = spec.Split('|');
        var rule = new RecurrenceRule
        {
            Frequency = Enum.Parse<RecurrenceFrequency>(parts[0], ignoreCase: true),
            Interval = int.Parse(parts[1]),
            ByDay = parts[2].Length == 0 ? [] : parts[2].Split(',').Select(ParseDay).ToValueList(),
            ByMonthDay = parts[3].Length == 0 ? [] : [int.Parse(parts[3])],
            ByMonth = parts[4].Length == 0 ? [] : [int.Parse(parts[4])],
            BySetPosition = parts[5].Length == 0 ? [] : [int.Parse(parts[5])],
            Count = parts[6].Length == 0 ? null : int.Parse(parts[6]),
            WeekStart = name.Contains("Sunday", StringComparison.Ordinal) ? DayOfWeek.Sunday : null,
        };
        var start = CalendarTime.InZone(new DateTime(2025, 3, 3, 9, 0, 0), "Europe/Berlin");

        var written = GraphRecurrence.Write(rule, start, null);
        var back = GraphRecurrence.Read(written, start);

        Assert.Equal(rule, back);
    }

    [Fact]
    public void Recurrence_Hourly_IsRefusedWithAReason()
    {
        var ex = Assert.Throws<MappingException>(() => GraphRecurrence.Write(new RecurrenceRule { Frequency = RecurrenceFrequency.Hourly }, CalendarTime.FromUtc(new DateTime(2025, 1, 1)), null));
        Assert.Contains("HOURLY", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Contact_RoundTrip_ThroughWhatTheStoreWrites()
    {
        var contact = new Contact
        {
            Uid = "urn:uuid:contact-1",
            FormattedName = "Dr. Ada King",
            Name = new StructuredName { Family = "King", Given = "Ada", Additional = "Augusta", Prefix = "Dr.", Suffix = "Jr." },
            Nickname = "Ada",
            Organization = "Analytical Engines",
            Department = "Research",
            Title = "Countess",
            Role = "Mathematician",
            Emails = [new TypedValue { Value = "ada@example.org" }, new TypedValue { Value = "ada@home.example" }],
            Phones = [new TypedValue { Value = "+44 1", Types = ["work"] }, new TypedValue { Value = "+44 2", Types = ["home"] }, new TypedValue { Value = "+44 3", Types = ["cell"] }],
            Addresses =
            [
                new PostalAddress { Street = "1 Work St", Locality = "London", PostalCode = "W1", Country = "UK", Types = ["work"] },
                new PostalAddress { Street = "2 Home Rd", Locality = "Ockham", Region = "Surrey", Types = ["home"] },
            ],
            Urls = [new TypedValue { Value = "https://example.org/ada", Types = ["work"] }],
            Birthday = new PartialDate(1815, 12, 10),
            Note = "Notes\nacross lines",
            Categories = ["VIP"],
        };

        var write = GraphContactMapping.Write(contact);
        var stored = JsonSerializer.Deserialize(JsonSerializer.Serialize(write, GraphJsonContext.Default.GraphContactWrite), GraphJsonContext.Default.GraphContact)!;
        stored.Id = "c1";

        Assert.Equal(contact, GraphContactMapping.Read(stored));
    }

    [Fact]
    public void Contact_ClearedFields_AreSentEmpty_S18()
    {
        var json = JsonSerializer.Serialize(GraphContactMapping.Write(new Contact { Uid = "u", FormattedName = "Only a name" }), GraphJsonContext.Default.GraphContactWrite);

        using var doc = JsonDocument.Parse(json);
        Assert.Equal(JsonValueKind.Null, doc.RootElement.GetProperty("jobTitle").ValueKind);
        Assert.Equal(JsonValueKind.Null, doc.RootElement.GetProperty("mobilePhone").ValueKind);
        Assert.Equal(0, doc.RootElement.GetProperty("businessPhones").GetArrayLength());
        Assert.Equal(0, doc.RootElement.GetProperty("emailAddresses").GetArrayLength());
    }

    [Fact]
    public void Task_RoundTrip_ThroughWhatTheStoreWrites_S19()
    {
        var task = new TaskItem
        {
            Uid = "task-uid-1",
            Summary = "File the report",
            Description = "Quarterly",
            Status = TaskStatus.Completed,
            Priority = 1,
            Due = CalendarTime.FromDate(new DateOnly(2025, 3, 12)),
            Completed = new DateTime(2025, 3, 11, 15, 30, 0, DateTimeKind.Utc),
            Reminders = [new Reminder { At = new DateTime(2025, 3, 12, 7, 0, 0, DateTimeKind.Utc) }],
            Recurrence = new RecurrenceRule { Frequency = RecurrenceFrequency.Weekly, ByDay = [new WeekdayOccurrence(DayOfWeek.Wednesday)] },
            Categories = ["Office"],
        };

        var write = GraphTaskMapping.Write(task, Berlin);
        var stored = JsonSerializer.Deserialize(JsonSerializer.Serialize(write, GraphJsonContext.Default.GraphTodoTaskWrite), GraphJsonContext.Default.GraphTodoTask)!;
        stored.Id = "t1";

        Assert.Equal(task, GraphTaskMapping.Read(stored, Berlin));
    }

    [Fact]
    public void Task_WaitingOnOthers_KeepsTheExchangeStatus()
    {
        var task = new TaskItem { Uid = "t", Summary = "Wait", ExchangeStatus = "WaitingOnOthers", Priority = 5 };
        var stored = JsonSerializer.Deserialize(JsonSerializer.Serialize(GraphTaskMapping.Write(task), GraphJsonContext.Default.GraphTodoTaskWrite), GraphJsonContext.Default.GraphTodoTask)!;

        Assert.Equal("waitingOnOthers", stored.Status);
        Assert.Equal(task, GraphTaskMapping.Read(stored));
    }

    [Fact]
    public void BadEventTime_IsAMappingErrorNamingTheItem_S21()
    {
        var ev = new GraphEvent { Id = "broken-7", ICalUId = "u", Start = new GraphDateTimeTimeZone { DateTime = "2024-13-99T25:00:00", TimeZone = "UTC" } };

        var ex = Assert.Throws<MappingException>(() => GraphEventMapping.Read(ev));

        Assert.Contains("broken-7", ex.Message, StringComparison.Ordinal);
        Assert.Contains("2024-13-99T25:00:00", ex.Message, StringComparison.Ordinal);
    }

    /// <summary>What Graph would hand back after storing a write: the written properties plus id and type.</summary>
    private static GraphEvent Stored(GraphEventWrite write, string type)
    {
        var stored = JsonSerializer.Deserialize(JsonSerializer.Serialize(write, GraphJsonContext.Default.GraphEventWrite), GraphJsonContext.Default.GraphEvent)!;
        stored.Id = "stored-id";
        stored.Type = type;
        return stored;
    }

    private static T WithId<T>(T entity, string? id)
        where T : GraphEntity
    {
        entity.Id ??= id;
        return entity;
    }

    private static WeekdayOccurrence ParseDay(string text)
    {
        var day = text[^2..] switch
        {
            "MO" => DayOfWeek.Monday,
            "TU" => DayOfWeek.Tuesday,
            "WE" => DayOfWeek.Wednesday,
            "TH" => DayOfWeek.Thursday,
            "FR" => DayOfWeek.Friday,
            "SA" => DayOfWeek.Saturday,
            _ => DayOfWeek.Sunday,
        };
        return new WeekdayOccurrence(day, text.Length > 2 ? int.Parse(text[..^2]) : 0);
    }

    private static T Deserialize<T>(byte[] body, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type) => JsonSerializer.Deserialize(body, type)!;
}
