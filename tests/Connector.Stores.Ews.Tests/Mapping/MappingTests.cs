using Connector.Domain;
using Connector.Stores.Ews.Mapping;
using Connector.Mapping.Text;
using static Connector.Stores.Ews.Tests.Mapping.EwsTestSupport;

namespace Connector.Stores.Ews.Tests.Mapping;

public class MappingTests
{
    private static readonly CalendarEvent Meeting = new()
    {
        Uid = "040000008200E00074C5B7101A82E008-series",
        Summary = "Weekly sync",
        HtmlDescription = "<p>agenda</p>",
        Location = "Room 1",
        Start = CalendarTime.InZone(new DateTime(2024, 3, 18, 9, 0, 0), "Europe/Berlin"),
        End = CalendarTime.InZone(new DateTime(2024, 3, 18, 10, 0, 0), "Europe/Berlin"),
        Recurrence = new RecurrenceRule { Frequency = RecurrenceFrequency.Weekly, ByDay = [new(DayOfWeek.Monday)], Count = 10, WeekStart = DayOfWeek.Monday },
        ExcludedDates = [CalendarTime.InZone(new DateTime(2024, 4, 1, 9, 0, 0), "Europe/Berlin")],
        Organizer = new Organizer { Email = "boss@example.com", Name = "Boss" },
        Attendees =
        [
            new Attendee { Email = "boss@example.com", Name = "Boss", Role = AttendeeRole.Chair, Status = ParticipationStatus.Accepted },
            new Attendee { Email = "a@example.com", Status = ParticipationStatus.Tentative },
            new Attendee { Email = "b@example.com", Role = AttendeeRole.Optional, Status = ParticipationStatus.Declined },
            new Attendee { Email = "room@example.com", Role = AttendeeRole.NonParticipant, Kind = AttendeeKind.Resource },
        ],
        Reminders = [new Reminder { Offset = TimeSpan.FromMinutes(-15) }],
        Categories = ["Work", "Blue"],
        Sensitivity = Sensitivity.Private,
        FreeBusy = FreeBusyStatus.OutOfOffice,
        Status = EventStatus.Cancelled,
        OnlineMeetingUrl = "https://meet.example.com/x",
        Created = new DateTime(2024, 1, 1, 8, 0, 0, DateTimeKind.Utc),
        LastModified = new DateTime(2024, 1, 2, 8, 0, 0, DateTimeKind.Utc),
    };

    [Fact]
    public void CalendarItem_ServerMode_RoundTripsEverything() => Assert.Equal(Meeting, RoundTrip(Meeting, Server()));

    [Fact]
    public void S11_WeeklySeriesAcrossDst_KeepsWallClock()
    {
        var back = RoundTrip(Meeting, Server());
        Assert.Equal(CalendarTimeKind.Zoned, back.Start!.Value.Kind);
        Assert.Equal("Europe/Berlin", back.Start.Value.TimeZoneId);
        var xml = Wrap(Meeting, (w, e) => EwsCalendarItemWriter.Write(w, e));
        Assert.Contains("<t:Start>2024-03-18T08:00:00Z</t:Start>", xml, StringComparison.Ordinal);
        Assert.Contains("StartTimeZone Id=\"W. Europe Standard Time\"", xml, StringComparison.Ordinal);

        // The occurrence two weeks later (after the DST change on 31 March) is still 09:00 in Berlin, i.e. 07:00Z.
        var occurrence = back.Start.Value.Value.AddDays(14);
        Assert.Equal(new DateTime(2024, 4, 1, 7, 0, 0), TimeZoneInfo.ConvertTimeToUtc(occurrence, TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin")));
    }

    [Fact]
    public void CreateMode_LeavesReadOnlyFieldsOut_AndValidatesAgainstSchema()
    {
        var task = new TaskItem { Uid = "t1", Summary = "Pay", Due = CalendarTime.FromDate(new DateOnly(2024, 5, 10)), Priority = 1, Reminders = [new Reminder { At = new DateTime(2024, 5, 9, 8, 0, 0, DateTimeKind.Utc) }], Recurrence = new RecurrenceRule { Frequency = RecurrenceFrequency.Monthly, ByDay = [new(DayOfWeek.Friday, -1)] } };
        var contact = new Contact
        {
            Uid = "c1", FormattedName = "Dr. Ann Lee", Name = new StructuredName { Given = "Ann", Family = "Lee", Prefix = "Dr.", Suffix = "PhD" },
            Emails = [new TypedValue { Value = "ann@example.com" }], Phones = [new TypedValue { Value = "+1 555", Types = ["cell"] }],
            Addresses = [new PostalAddress { Street = "1 Main", Locality = "Town", Types = ["home"] }], Birthday = new PartialDate(null, 3, 21),
        };
        foreach (var options in new[] { EwsMappingOptions.Default, Server("Pacific/Auckland") })
        {
            var request = CreateItemRequest(w =>
            {
                EwsCalendarItemWriter.Write(w, Meeting, options, itemId: options.Mode == EwsWriteMode.Server ? "AAMk" : null);
                EwsContactMapping.Write(w, contact, options);
                EwsTaskMapping.Write(w, task, options);
            });
            Assert.Empty(Validate(request));
            Assert.Equal(options.Mode == EwsWriteMode.Server, request.Contains("DeletedOccurrences", StringComparison.Ordinal));
            Assert.Equal(options.Mode == EwsWriteMode.Server, request.Contains("IsCancelled", StringComparison.Ordinal));
        }
    }

    [Fact]
    public void FieldTables_FollowTypesXsdOrder()
    {
        var xsd = System.Xml.Linq.XDocument.Load(Path.Combine(SharedFixtures.SharedDirectory, "protocols", "ews", "types.xsd"));
        System.Xml.Linq.XNamespace xs = "http://www.w3.org/2001/XMLSchema";
        List<string> Sequence(string type) => xsd.Root!.Elements(xs + "complexType").Single(c => (string?)c.Attribute("name") == type)
            .Descendants(xs + "element").Select(e => (string)e.Attribute("name")!).ToList();
        foreach (var (fields, type) in new[] { (EwsFields.CalendarItem, "CalendarItemType"), (EwsFields.Contact, "ContactItemType"), (EwsFields.Task, "TaskType") })
        {
            var order = Sequence("ItemType").Concat(Sequence(type)).ToList();
            var positions = fields.Select(f => order.IndexOf(f.Element)).ToList();
            Assert.DoesNotContain(-1, positions);
            Assert.Equal(positions.Order(), positions);
        }
    }

    public static TheoryData<string, string> RecurrenceTable() => new()
    {
        { "FREQ=DAILY;INTERVAL=2", "DailyRecurrence|2" },
        { "FREQ=WEEKLY;BYDAY=MO,WE;WKST=SU", "WeeklyRecurrence|1|Monday Wednesday|Sunday" },
        { "FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY=15", "AbsoluteMonthlyRecurrence|3|15" },
        { "FREQ=MONTHLY;BYDAY=2TU", "RelativeMonthlyRecurrence|1|Tuesday|2" },
        { "FREQ=MONTHLY;BYDAY=-1FR", "RelativeMonthlyRecurrence|1|Friday|-1" },
        { "FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=1", "RelativeMonthlyRecurrence|1|Weekday|1" },
        { "FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR,SA,SU;BYSETPOS=-1", "RelativeMonthlyRecurrence|1|Day|-1" },
        { "FREQ=MONTHLY;BYDAY=SA,SU;BYSETPOS=4", "RelativeMonthlyRecurrence|1|WeekendDay|4" },
        { "FREQ=YEARLY;BYMONTH=7;BYMONTHDAY=4", "AbsoluteYearlyRecurrence|7|4" },
        { "FREQ=YEARLY;BYMONTH=11;BYDAY=4TH", "RelativeYearlyRecurrence|11|Thursday|4" },
    };

    [Theory]
    [MemberData(nameof(RecurrenceTable))]
    public void Recurrence_MapsBothWays(string rrule, string expected)
    {
        var rule = Parse(rrule);
        var start = new DateOnly(2024, 1, 1);
        foreach (var (end, count, until) in new (DateOnly?, int?, bool)[] { (null, null, false), (null, 5, false), (new DateOnly(2025, 1, 1), null, true) })
        {
            var withEnd = rule with { Count = count, Until = until ? CalendarTime.FromDate(end!.Value) : null };
            var p = EwsRecurrence.ToPattern(withEnd, start, end);
            var parts = expected.Split('|');
            Assert.Equal(parts[0], p.Kind.ToString());
            Assert.Equal(count, p.NumberOfOccurrences);
            Assert.Equal(end, p.EndDate);
            Assert.Equal(rule with { Count = count }, EwsRecurrence.ToRule(p));

            // And through the XML of an all-day series.
            var ev = new CalendarEvent { Uid = "r", Start = CalendarTime.FromDate(start), End = CalendarTime.FromDate(start.AddDays(1)), Recurrence = withEnd };
            Assert.Equal(ev, RoundTrip(ev, Server()));
        }
    }

    [Theory]
    [InlineData("FREQ=HOURLY")]
    [InlineData("FREQ=MONTHLY;BYDAY=MO,WE;BYSETPOS=2")]
    [InlineData("FREQ=MONTHLY;BYDAY=5MO")]
    [InlineData("FREQ=MONTHLY;BYMONTHDAY=1,15")]
    [InlineData("FREQ=YEARLY;INTERVAL=2")]
    [InlineData("FREQ=WEEKLY;BYHOUR=9")]
    public void S21_UnrepresentableRule_IsMappingExceptionNamingTheItem(string rrule)
    {
        var ev = Meeting with { Recurrence = Parse(rrule), ExcludedDates = [] };
        var ex = Assert.Throws<MappingException>(() => EwsCalendarItemWriter.ToXml(ev));
        Assert.Equal($"CalendarItem UID={Meeting.Uid}", ex.Item);
    }

    [Theory]
    [InlineData("Pacific/Auckland", "2024-06-09T12:00:00Z", "2024-06-10T12:00:00Z")]
    [InlineData("America/Los_Angeles", "2024-06-10T07:00:00Z", "2024-06-11T07:00:00Z")]
    public void S12_AllDayEvent_EastAndWestOfUtc(string zone, string startUtc, string endUtc)
    {
        var ev = new CalendarEvent { Uid = "d", Start = CalendarTime.FromDate(new DateOnly(2024, 6, 10)), End = CalendarTime.FromDate(new DateOnly(2024, 6, 11)) };
        var options = new EwsMappingOptions { MailboxTimeZone = zone };
        var xml = EwsCalendarItemWriter.ToXml(ev, options);
        Assert.Contains($"<t:Start>{startUtc}</t:Start>", xml, StringComparison.Ordinal);
        Assert.Contains($"<t:End>{endUtc}</t:End>", xml, StringComparison.Ordinal);
        Assert.Contains("<t:IsAllDayEvent>true</t:IsAllDayEvent>", xml, StringComparison.Ordinal);

        // Read with a different mailbox zone: the item's own StartTimeZone decides the dates.
        var back = EwsCalendarItemReader.Read(ItemReader(xml), new EwsMappingOptions { MailboxTimeZone = "Asia/Tokyo" }).Item;
        Assert.Equal(ev, back);
    }

    [Fact]
    public void S09_S10_DeletedAndModifiedOccurrences_BecomeExdatesAndOverridesWithSeriesOrganizer()
    {
        var xml = $"""
            <t:CalendarItem xmlns:t="{T}">
              <t:ItemId Id="M1" ChangeKey="CK"/><t:Subject>Series</t:Subject><t:UID>u-1</t:UID>
              <t:Start>2024-03-18T08:00:00Z</t:Start><t:End>2024-03-18T09:00:00Z</t:End>
              <t:Organizer><t:Mailbox><t:Name>Boss</t:Name><t:EmailAddress>boss@example.com</t:EmailAddress></t:Mailbox></t:Organizer>
              <t:Recurrence><t:WeeklyRecurrence><t:Interval>1</t:Interval><t:DaysOfWeek>Monday</t:DaysOfWeek></t:WeeklyRecurrence>
                <t:NumberedRecurrence><t:StartDate>2024-03-18+01:00</t:StartDate><t:NumberOfOccurrences>6</t:NumberOfOccurrences></t:NumberedRecurrence></t:Recurrence>
              <t:ModifiedOccurrences>
                <t:Occurrence><t:ItemId Id="O1"/><t:Start>2024-03-25T10:00:00Z</t:Start><t:End>2024-03-25T11:00:00Z</t:End><t:OriginalStart>2024-03-25T08:00:00Z</t:OriginalStart></t:Occurrence>
                <t:Occurrence><t:ItemId Id="O2"/><t:Start>2024-04-08T08:00:00Z</t:Start><t:End>2024-04-08T10:00:00Z</t:End><t:OriginalStart>2024-04-08T07:00:00Z</t:OriginalStart></t:Occurrence>
              </t:ModifiedOccurrences>
              <t:DeletedOccurrences><t:DeletedOccurrence><t:Start>2024-04-01T07:00:00Z</t:Start></t:DeletedOccurrence></t:DeletedOccurrences>
              <t:StartTimeZone Id="W. Europe Standard Time"/>
            </t:CalendarItem>
            """;
        var ev = EwsCalendarItemReader.Read(ItemReader(xml)).Item;
        Assert.Equal([CalendarTime.InZone(new DateTime(2024, 4, 1, 9, 0, 0), "Europe/Berlin")], ev.ExcludedDates);
        Assert.Equal(2, ev.Overrides.Count);
        Assert.Equal(CalendarTime.InZone(new DateTime(2024, 3, 25, 9, 0, 0), "Europe/Berlin"), ev.Overrides[0].RecurrenceId);
        Assert.Equal(CalendarTime.InZone(new DateTime(2024, 3, 25, 11, 0, 0), "Europe/Berlin"), ev.Overrides[0].Start);
        Assert.All(ev.Overrides, o => Assert.Equal(ev.Organizer, o.Organizer));

        // An exception item read on its own (its organizer as Exchange reports it) replaces the override but keeps the series organizer.
        var exception = ev.Overrides[1] with { Summary = "Moved", Organizer = new Organizer { Email = "someone@example.com" } };
        var merged = EwsCalendarItemReader.WithOccurrence(ev, exception);
        Assert.Equal(2, merged.Overrides.Count);
        Assert.Equal("Moved", merged.Overrides[1].Summary);
        Assert.Equal(ev.Organizer, merged.Overrides[1].Organizer);
    }

    [Theory]
    [InlineData("<t:CalendarItem xmlns:t=\"urn:wrong\"><t:Subject>x</t:Subject></t:CalendarItem>", "expected t:CalendarItem")]
    [InlineData("<t:CalendarItem xmlns:t=\"T\"><t:ItemId Id=\"X1\"/><t:Start>yesterday</t:Start></t:CalendarItem>", "Start 'yesterday' is not an xs:dateTime")]
    [InlineData("<t:CalendarItem xmlns:t=\"T\"><t:ItemId Id=\"X1\"/><t:Start>2024-01-01T00:00:00Z</t:Start><t:Recurrence><t:FortnightlyRecurrence/></t:Recurrence></t:CalendarItem>", "unknown recurrence element FortnightlyRecurrence")]
    public void S21_MalformedCalendarItem_IsMappingExceptionNamingItemAndReason(string xml, string reason)
    {
        var ex = Assert.Throws<MappingException>(() => EwsCalendarItemReader.Read(ItemReader(xml.Replace("\"T\"", $"\"{T}\"", StringComparison.Ordinal))));
        Assert.Contains(reason, ex.Message, StringComparison.Ordinal);
        if (xml.Contains("X1", StringComparison.Ordinal))
        {
            Assert.Equal("CalendarItem ItemId=X1", ex.Item);
        }
    }

    [Fact]
    public void S19_TaskRegeneratingRecurrence_IsMappingException()
    {
        var xml = $"<t:Task xmlns:t=\"{T}\"><t:ItemId Id=\"T9\"/><t:Recurrence><t:WeeklyRegeneration><t:Interval>1</t:Interval></t:WeeklyRegeneration><t:NoEndRecurrence><t:StartDate>2024-01-01</t:StartDate></t:NoEndRecurrence></t:Recurrence></t:Task>";
        var ex = Assert.Throws<MappingException>(() => EwsTaskMapping.Read(ItemReader(xml)));
        Assert.Equal("Task ItemId=T9", ex.Item);
    }

    [Fact]
    public void S19_Task_DateOnlyDueAndStatuses_RoundTrip()
    {
        var options = Server("Pacific/Auckland");
        foreach (var (status, exchange) in new (Connector.Domain.TaskStatus, string?)[] { (Connector.Domain.TaskStatus.NeedsAction, null), (Connector.Domain.TaskStatus.InProcess, null), (Connector.Domain.TaskStatus.Completed, null), (Connector.Domain.TaskStatus.InProcess, "WaitingOnOthers"), (Connector.Domain.TaskStatus.NeedsAction, "Deferred") })
        {
            var t = new TaskItem
            {
                Uid = "task-1", Summary = "File taxes", Description = "notes", Status = status, ExchangeStatus = exchange, Priority = 9,
                Start = CalendarTime.FromDate(new DateOnly(2024, 4, 1)), Due = CalendarTime.FromDate(new DateOnly(2024, 4, 15)),
                PercentComplete = 50, Categories = ["Home"], Sensitivity = Sensitivity.Personal,
                Reminders = [new Reminder { At = new DateTime(2024, 4, 14, 20, 0, 0, DateTimeKind.Utc) }],
                Recurrence = new RecurrenceRule { Frequency = RecurrenceFrequency.Yearly, ByMonth = [4], ByMonthDay = [1], Until = CalendarTime.FromDate(new DateOnly(2030, 4, 1)) },
            };
            Assert.Equal(t, RoundTrip(t, options));
        }
    }

    [Fact]
    public void S18_Contact_RoundTrips_AndFieldsExchangeCannotHoldAreDropped()
    {
        var c = new Contact
        {
            Uid = "contact-1", FormattedName = "Dr. Ann Lee", Name = new StructuredName { Given = "Ann", Additional = "B.", Family = "Lee", Prefix = "Dr.", Suffix = "PhD" },
            Nickname = "Annie", Organization = "Acme", Department = "R&D", Title = "Chief", Role = "Engineer",
            Emails = [new TypedValue { Value = "a@x.com" }, new TypedValue { Value = "b@x.com" }, new TypedValue { Value = "c@x.com" }],
            Phones = [.. EwsContactMapping.PhoneKeys.Select((k, i) => new TypedValue { Value = $"+1 555 {i}", Types = k.Types, Label = k.Label })],
            Addresses = [new PostalAddress { Street = "1 Main", Locality = "Town", Region = "CA", PostalCode = "9000", Country = "US", Types = ["work"] }, new PostalAddress { Street = "2 Side", Types = ["home"] }, new PostalAddress { Locality = "Elsewhere" }],
            Urls = [new TypedValue { Value = "https://acme.example", Types = ["work"] }],
            Birthday = new PartialDate(1980, 5, 12), Anniversary = new PartialDate(null, 6, 1), Note = "met at conf", Categories = ["VIP"],
        };
        Assert.Equal(c, RoundTrip(c, Server()));

        var more = c with { Emails = c.Emails.Add(new TypedValue { Value = "d@x.com" }), Phones = c.Phones.Add(new TypedValue { Value = "+9", Types = ["cell"] }) };
        var back = RoundTrip(more, Server());
        Assert.Equal(3, back.Emails.Count);
        Assert.Equal(c.Phones.Count, back.Phones.Count);
    }

    private static RecurrenceRule Parse(string rrule)
    {
        var rule = new RecurrenceRule { Frequency = RecurrenceFrequency.Daily };
        foreach (var part in rrule.Split(';'))
        {
            var (name, value) = (part.Split('=')[0], part.Split('=')[1]);
            rule = name switch
            {
                "FREQ" => rule with { Frequency = Enum.Parse<RecurrenceFrequency>(value, ignoreCase: true) },
                "INTERVAL" => rule with { Interval = int.Parse(value) },
                "BYMONTHDAY" => rule with { ByMonthDay = value.Split(',').Select(int.Parse).ToValueList() },
                "BYMONTH" => rule with { ByMonth = value.Split(',').Select(int.Parse).ToValueList() },
                "BYSETPOS" => rule with { BySetPosition = value.Split(',').Select(int.Parse).ToValueList() },
                "BYHOUR" => rule with { ByHour = value.Split(',').Select(int.Parse).ToValueList() },
                "WKST" => rule with { WeekStart = Day(value) },
                "BYDAY" => rule with { ByDay = value.Split(',').Select(d => new WeekdayOccurrence(Day(d[^2..]), d.Length > 2 ? int.Parse(d[..^2]) : 0)).ToValueList() },
                _ => throw new ArgumentException(part),
            };
        }

        return rule;
    }

    private static DayOfWeek Day(string code) => code switch
    {
        "MO" => DayOfWeek.Monday, "TU" => DayOfWeek.Tuesday, "WE" => DayOfWeek.Wednesday, "TH" => DayOfWeek.Thursday,
        "FR" => DayOfWeek.Friday, "SA" => DayOfWeek.Saturday, _ => DayOfWeek.Sunday,
    };
}
