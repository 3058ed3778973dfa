using System.Xml.Linq;
using Connector.Domain;
using Connector.Sync.Stores;

namespace Connector.Stores.Ews.Tests;

/// <summary>
/// S09/S10/S01: recurring series with deleted and modified occurrences written through <see cref="EwsItemStore"/> to
/// the emulator (every request schema-validated by <see cref="EwsEmulatorScope"/>), read back through the store.
/// </summary>
public sealed class EwsSeriesTests
{
    private const string Zone = "Europe/Berlin";

    private static CalendarTime Berlin(int month, int day, int hour, int minute = 0) => CalendarTime.InZone(new DateTime(2026, month, day, hour, minute, 0), Zone);

    /// <summary>Weekly on Mondays 09:00–09:30 Berlin, 10 times from 2 March 2026 (across the DST change of 29 March).</summary>
    private static CalendarEvent Weekly(string uid) => new()
    {
        Uid = uid,
        Summary = "Stand-up",
        Description = "Daily business",
        Location = "Room 1",
        Start = Berlin(3, 2, 9),
        End = Berlin(3, 2, 9, 30),
        Recurrence = new RecurrenceRule { Frequency = RecurrenceFrequency.Weekly, ByDay = [new WeekdayOccurrence(DayOfWeek.Monday)], Count = 10 },
        Categories = ValueList.Of("Team"),
    };

    /// <summary>The series with 9 March deleted, 16 March moved to 11:00 and renamed, 30 March (after DST) in another room.</summary>
    private static CalendarEvent WithExceptions(CalendarEvent series) => series with
    {
        ExcludedDates = [Berlin(3, 9, 9)],
        Overrides =
        [
            Occurrence(series, Berlin(3, 16, 9)) with { Summary = "Stand-up (moved)", Start = Berlin(3, 16, 11), End = Berlin(3, 16, 11, 45) },
            Occurrence(series, Berlin(3, 30, 9)) with { Location = "Room 2" },
        ],
    };

    /// <summary>An override as a CalDAV client writes it: a full copy of the series at that occurrence.</summary>
    private static CalendarEvent Occurrence(CalendarEvent series, CalendarTime recurrenceId) => series with
    {
        RecurrenceId = recurrenceId,
        Start = recurrenceId,
        End = recurrenceId.WithValue(recurrenceId.Value + (series.End!.Value.Value - series.Start!.Value.Value)),
        Recurrence = null,
        ExcludedDates = [],
        Overrides = [],
    };

    [Fact]
    public async Task S09_SeriesWithOneDeletedAndTwoModifiedOccurrences_WrittenThroughTheStore_ReadsBackEqual()
    {
        await using var scope = await EwsEmulatorScope.StartAsync();
        var (store, calendar) = await OpenAsync(scope);
        scope.Emulator.ClearOutbox();
        var series = WithExceptions(Weekly("s09-" + Guid.NewGuid().ToString("N")));
        scope.Emulator.Requests.Clear();
        var sentBefore = scope.SentBodies.Count;

        var created = await store.CreateAsync(calendar, series, CancellationToken.None);

        Assert.True(created.IsSuccess, $"{created.Status} {created.Reason}");

        // The cost: the master, a calendar view per week of original starts (9+16 March, 30 March), one DeleteItem
        // for the EXDATE, one UpdateItem for both overrides, the master's final ChangeKey. Every write sends nothing (S01).
        Assert.Equal(
            ["CreateItem", "FindItem", "FindItem", "DeleteItem", "UpdateItem", "GetItem"],
            scope.Emulator.Requests.Snapshot().Select(r => r.Operation));
        var writes = scope.SentBodies.Skip(sentBefore).Where(b => b.Contains("<m:CreateItem", StringComparison.Ordinal) || b.Contains("<m:UpdateItem", StringComparison.Ordinal) || b.Contains("<m:DeleteItem", StringComparison.Ordinal)).ToList();
        Assert.Equal(3, writes.Count);
        Assert.All(writes, b => Assert.Matches("(SendMeetingInvitations|SendMeetingInvitationsOrCancellations|SendMeetingCancellations)=\"SendToNone\"", b));
        var read = await ReadAsync(store, calendar, created.Id!);
        Assert.Equal(created.Version, read.Version);
        AssertSameSeries(series, (CalendarEvent)read.Item);
        var ev = (CalendarEvent)read.Item;
        Assert.Equal([Berlin(3, 9, 9)], ev.ExcludedDates);
        Assert.Equal(["Stand-up (moved)", "Stand-up"], ev.Overrides.OrderBy(o => o.RecurrenceId!.Value.Value).Select(o => o.Summary));
        Assert.Equal(Berlin(3, 16, 11), ev.Overrides.Single(o => o.Summary == "Stand-up (moved)").Start);
        Assert.Equal(Zone, ev.Start!.Value.TimeZoneId);
        Assert.All(ev.ExcludedDates, x => Assert.Equal((CalendarTimeKind.Zoned, Zone), (x.Kind, x.TimeZoneId)));
        Assert.All(ev.Overrides, o => Assert.Equal((CalendarTimeKind.Zoned, Zone), (o.RecurrenceId!.Value.Kind, o.RecurrenceId.Value.TimeZoneId)));

        // The change feed reports the master once, at the version the store returned (the engine's echo check).
        var feed = await store.GetChangesAsync(calendar, null, CancellationToken.None);
        Assert.Contains(feed.Changes, c => c.Id == created.Id && c.Version == created.Version);
        Assert.Empty(scope.Emulator.AllOutbox());
    }

    [Fact]
    public async Task S09_AllDaySeriesWithExceptions_ReadsBackEqual()
    {
        await using var scope = await EwsEmulatorScope.StartAsync();
        var (store, calendar) = await OpenAsync(scope);
        var day = CalendarTime.FromDate(new DateOnly(2026, 3, 2));
        var series = new CalendarEvent
        {
            Uid = "s09-allday-" + Guid.NewGuid().ToString("N"),
            Summary = "Office day",
            Start = day,
            End = CalendarTime.FromDate(new DateOnly(2026, 3, 3)),
            FreeBusy = FreeBusyStatus.Free,
            Recurrence = new RecurrenceRule { Frequency = RecurrenceFrequency.Weekly, ByDay = [new WeekdayOccurrence(DayOfWeek.Monday)], Count = 6 },
        };
        var moved = CalendarTime.FromDate(new DateOnly(2026, 3, 16));
        series = series with
        {
            ExcludedDates = [CalendarTime.FromDate(new DateOnly(2026, 3, 9))],
            Overrides = [series with { RecurrenceId = moved, Start = moved, End = CalendarTime.FromDate(new DateOnly(2026, 3, 17)), Summary = "Office day (offsite)", Recurrence = null }],
        };

        var created = await store.CreateAsync(calendar, series, CancellationToken.None);

        Assert.True(created.IsSuccess, $"{created.Status} {created.Reason}");
        var read = await ReadAsync(store, calendar, created.Id!);
        AssertSameSeries(series, (CalendarEvent)read.Item);
        Assert.True(((CalendarEvent)read.Item).ExcludedDates[0].IsDate);
    }

    [Fact]
    public async Task S09_EditingTheSameExceptionTwice_KeepsTheLastEdit()
    {
        await using var scope = await EwsEmulatorScope.StartAsync();
        var (store, calendar) = await OpenAsync(scope);
        var series = WithExceptions(Weekly("s09-twice-" + Guid.NewGuid().ToString("N")));
        var created = await store.CreateAsync(calendar, series, CancellationToken.None);
        Assert.True(created.IsSuccess, $"{created.Status} {created.Reason}");

        var once = series with { Overrides = [series.Overrides[0] with { Summary = "Edited once" }, series.Overrides[1]] };
        var first = await store.UpdateAsync(calendar, created.Id!, created.Version!, once, CancellationToken.None);
        Assert.True(first.IsSuccess, $"{first.Status} {first.Reason}");
        var twice = series with { Overrides = [series.Overrides[0] with { Summary = "Edited twice", Location = "Room 9", End = Berlin(3, 16, 12) }, series.Overrides[1]] };
        var second = await store.UpdateAsync(calendar, first.Id!, first.Version!, twice, CancellationToken.None);

        Assert.True(second.IsSuccess, $"{second.Status} {second.Reason}");
        Assert.NotEqual(first.Version, second.Version);
        var read = await ReadAsync(store, calendar, created.Id!);
        Assert.Equal(second.Version, read.Version);
        AssertSameSeries(twice, (CalendarEvent)read.Item);
        Assert.Empty(scope.Emulator.AllOutbox());
    }

    [Fact]
    public async Task S09_RemovingAnOverride_ResetsThatOccurrence_AndAddingAnExdate_DeletesOnlyThatOne()
    {
        await using var scope = await EwsEmulatorScope.StartAsync();
        var (store, calendar) = await OpenAsync(scope);
        var series = WithExceptions(Weekly("s09-reset-" + Guid.NewGuid().ToString("N")));
        var created = await store.CreateAsync(calendar, series, CancellationToken.None);
        Assert.True(created.IsSuccess, $"{created.Status} {created.Reason}");
        scope.Emulator.Requests.Clear();

        var changed = series with { ExcludedDates = series.ExcludedDates.Add(Berlin(4, 6, 8)).Add(Berlin(4, 13, 9)), Overrides = [series.Overrides[1]] };
        var updated = await store.UpdateAsync(calendar, created.Id!, created.Version!, changed, CancellationToken.None);

        Assert.True(updated.IsSuccess, $"{updated.Status} {updated.Reason}");
        var read = await ReadAsync(store, calendar, created.Id!);
        Assert.Equal(updated.Version, read.Version);

        // 6 April 08:00 is no occurrence (the series is at 09:00): an EXDATE that deletes nothing is not kept by Exchange.
        AssertSameSeries(changed with { ExcludedDates = [Berlin(3, 9, 9), Berlin(4, 13, 9)] }, (CalendarEvent)read.Item);

        // The master's pattern did not change, so it kept its exceptions: one master update, one reset, one deletion.
        var operations = scope.Emulator.Requests.Snapshot().Select(r => r.Operation).ToList();
        Assert.Equal(2, operations.Count(o => o == "UpdateItem"));
        Assert.Equal(1, operations.Count(o => o == "DeleteItem"));
    }

    [Fact]
    public async Task S09_UnchangedExceptions_AreNotWrittenAgain()
    {
        await using var scope = await EwsEmulatorScope.StartAsync();
        var (store, calendar) = await OpenAsync(scope);
        var series = WithExceptions(Weekly("s09-same-" + Guid.NewGuid().ToString("N")));
        var created = await store.CreateAsync(calendar, series, CancellationToken.None);
        Assert.True(created.IsSuccess, $"{created.Status} {created.Reason}");
        scope.Emulator.Requests.Clear();

        var renamed = series with { Description = "New agenda", Overrides = [.. series.Overrides.Select(o => o with { Description = "New agenda" })] };
        var updated = await store.UpdateAsync(calendar, created.Id!, created.Version!, renamed, CancellationToken.None);

        Assert.True(updated.IsSuccess, $"{updated.Status} {updated.Reason}");
        AssertSameSeries(renamed, (CalendarEvent)(await ReadAsync(store, calendar, created.Id!)).Item);
        var operations = scope.Emulator.Requests.Snapshot().Select(r => r.Operation).ToList();
        Assert.Equal(1, operations.Count(o => o == "UpdateItem"));
        Assert.DoesNotContain("DeleteItem", operations);
    }

    [Fact]
    public async Task S09_ChangingThePattern_ReappliesEveryDeletionAndOverride()
    {
        await using var scope = await EwsEmulatorScope.StartAsync();
        var (store, calendar) = await OpenAsync(scope);
        var series = WithExceptions(Weekly("s09-pattern-" + Guid.NewGuid().ToString("N")));
        var created = await store.CreateAsync(calendar, series, CancellationToken.None);
        Assert.True(created.IsSuccess, $"{created.Status} {created.Reason}");

        // Mondays and Wednesdays, 12 times: Exchange drops the exceptions when the recurrence is set.
        var rule = series.Recurrence! with { ByDay = [new WeekdayOccurrence(DayOfWeek.Monday), new WeekdayOccurrence(DayOfWeek.Wednesday)], Count = 12 };
        var changed = series with { Recurrence = rule, ExcludedDates = [Berlin(3, 9, 9), Berlin(3, 4, 9)] };
        var updated = await store.UpdateAsync(calendar, created.Id!, created.Version!, changed, CancellationToken.None);

        Assert.True(updated.IsSuccess, $"{updated.Status} {updated.Reason}");
        var read = await ReadAsync(store, calendar, created.Id!);
        Assert.Equal(updated.Version, read.Version);
        AssertSameSeries(changed, (CalendarEvent)read.Item);
    }

    [Fact]
    public async Task S09_AnOverrideOfNoOccurrence_IsRejected_AndLeavesNoHalfSeries()
    {
        await using var scope = await EwsEmulatorScope.StartAsync();
        var (store, calendar) = await OpenAsync(scope);
        var series = Weekly("s09-bad-" + Guid.NewGuid().ToString("N"));
        var bad = series with { Overrides = [Occurrence(series, Berlin(3, 3, 9)) with { Summary = "Tuesday?" }] };

        var created = await store.CreateAsync(calendar, bad, CancellationToken.None);

        Assert.Equal(WriteStatus.Rejected, created.Status);
        Assert.Contains("2026-03-03T08:00:00Z", created.Reason, StringComparison.Ordinal);
        var listing = await store.GetChangesAsync(calendar, null, CancellationToken.None);
        var all = await store.FetchAsync(calendar, [.. listing.Changes.Select(c => c.Id)], CancellationToken.None);
        Assert.DoesNotContain(all, f => f.Item?.Item is CalendarEvent e && e.Uid == series.Uid);
    }

    [Fact]
    public async Task S09_AnOverrideExchangeRefuses_FailsTheUpdate_NeverReportsSuccess()
    {
        await using var scope = await EwsEmulatorScope.StartAsync();
        var (store, calendar) = await OpenAsync(scope);
        var series = WithExceptions(Weekly("s09-cross-" + Guid.NewGuid().ToString("N")));
        var created = await store.CreateAsync(calendar, series, CancellationToken.None);
        Assert.True(created.IsSuccess, $"{created.Status} {created.Reason}");

        // 23 March moved onto Monday 30 March, the next occurrence's day: Exchange refuses (ErrorOccurrenceCrossingBoundary).
        var crossing = series with { Summary = "Renamed", Overrides = series.Overrides.Add(Occurrence(series, Berlin(3, 23, 9)) with { Start = Berlin(3, 30, 15), End = Berlin(3, 30, 16) }) };
        var updated = await store.UpdateAsync(calendar, created.Id!, created.Version!, crossing, CancellationToken.None);

        Assert.Equal(WriteStatus.Rejected, updated.Status);
        Assert.Equal(created.Id, updated.Id);
        Assert.Contains("ErrorOccurrenceCrossingBoundary", updated.Reason, StringComparison.Ordinal);
        Assert.Contains("2026-03-23T08:00:00Z", updated.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task S09_AnUpdateWithAnOverrideOfNoOccurrence_IsRejectedBeforeAnythingIsWritten()
    {
        await using var scope = await EwsEmulatorScope.StartAsync();
        var (store, calendar) = await OpenAsync(scope);
        var series = WithExceptions(Weekly("s09-bad-update-" + Guid.NewGuid().ToString("N")));
        var created = await store.CreateAsync(calendar, series, CancellationToken.None);
        Assert.True(created.IsSuccess, $"{created.Status} {created.Reason}");
        scope.Emulator.Requests.Clear();

        var bad = series with { Summary = "Renamed", Overrides = series.Overrides.Add(Occurrence(series, Berlin(3, 24, 9)) with { Summary = "Tuesday?" }) };
        var updated = await store.UpdateAsync(calendar, created.Id!, created.Version!, bad, CancellationToken.None);

        Assert.Equal(WriteStatus.Rejected, updated.Status);
        Assert.Contains("2026-03-24T08:00:00Z", updated.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain(scope.Emulator.Requests.Snapshot(), r => r.Operation is "UpdateItem" or "DeleteItem" or "CreateItem");
        Assert.Equal(created.Version, (await ReadAsync(store, calendar, created.Id!)).Version);
    }

    [Fact]
    public async Task S10_AnExceptionOfAReceivedSeries_KeepsTheOrganizer_AndNoResponseIsWritten()
    {
        await using var scope = await EwsEmulatorScope.StartAsync();
        var (store, calendar) = await OpenAsync(scope);
        var uid = "s10-" + Guid.NewGuid().ToString("N");
        XNamespace t = "http://schemas.microsoft.com/exchange/services/2006/types";
        var received = XElement.Parse($"""
            <t:CalendarItem xmlns:t="{t.NamespaceName}"><t:Subject>Bob's review</t:Subject><t:UID>{uid}</t:UID>
            <t:Start>2026-03-03T14:00:00</t:Start><t:End>2026-03-03T15:00:00</t:End><t:Location>Room B</t:Location>
            <t:RequiredAttendees><t:Attendee><t:Mailbox><t:EmailAddress>alice@contoso.com</t:EmailAddress></t:Mailbox><t:ResponseType>Accept</t:ResponseType></t:Attendee></t:RequiredAttendees>
            <t:Recurrence><t:WeeklyRecurrence><t:Interval>1</t:Interval><t:DaysOfWeek>Tuesday</t:DaysOfWeek></t:WeeklyRecurrence>
            <t:NumberedRecurrence><t:StartDate>2026-03-03</t:StartDate><t:NumberOfOccurrences>5</t:NumberOfOccurrences></t:NumberedRecurrence></t:Recurrence>
            <t:StartTimeZone Id="W. Europe Standard Time"/><t:EndTimeZone Id="W. Europe Standard Time"/></t:CalendarItem>
            """);
        var master = scope.Emulator.Mailbox(EwsEmulatorScope.Alice).CreateItem("calendar", received, organizerEmail: EwsEmulatorScope.Bob, organizerName: "Bob Builder", myResponseType: "Accept");
        var stored = await ReadAsync(store, calendar, master.ItemId);
        var series = (CalendarEvent)stored.Item;
        Assert.Equal(EwsEmulatorScope.Bob, series.Organizer!.Email);
        scope.Emulator.Requests.Clear();
        scope.Emulator.ClearOutbox();

        // The user moves one occurrence's room in Nextcloud; the copy there names another organizer and a declined
        // PARTSTAT for the user (a client's doing).
        var edited = series with
        {
            Overrides =
            [
                Occurrence(series, series.Start!.Value.WithValue(new DateTime(2026, 3, 10, 14, 0, 0))) with
                {
                    Location = "Room C",
                    Organizer = new Organizer { Email = "someone@example.org" },

                    // A client that lets the user decline in Nextcloud: that answer is not Exchange's to take from us.
                    Attendees = [.. series.Attendees.Select(a => a with { Status = ParticipationStatus.Declined })],
                },
            ],
        };
        var updated = await store.UpdateAsync(calendar, master.ItemId, stored.Version, edited, CancellationToken.None);

        Assert.True(updated.IsSuccess, $"{updated.Status} {updated.Reason}");
        var read = (CalendarEvent)(await ReadAsync(store, calendar, master.ItemId)).Item;
        var exception = Assert.Single(read.Overrides);
        Assert.Equal("Room C", exception.Location);
        Assert.Equal(EwsEmulatorScope.Bob, exception.Organizer!.Email);
        Assert.Equal(EwsEmulatorScope.Bob, read.Organizer!.Email);

        // Only reads and SendToNone writes; never AcceptItem/DeclineItem/CreateItem of a response; the user's own
        // response stays what it was, on the series and on the exception.
        var operations = scope.Emulator.Requests.Snapshot().Select(r => r.Operation).Distinct().ToList();
        Assert.All(operations, o => Assert.Contains(o, new[] { "GetItem", "UpdateItem", "FindItem" }));
        Assert.DoesNotContain(scope.SentBodies, b => b.Contains("AcceptItem", StringComparison.Ordinal) || b.Contains("DeclineItem", StringComparison.Ordinal)
            || b.Contains("MyResponseType", StringComparison.Ordinal) || b.Contains("TentativelyAcceptItem", StringComparison.Ordinal));
        Assert.All(scope.SentBodies.Where(b => b.Contains("<m:UpdateItem", StringComparison.Ordinal)), b => Assert.Contains("SendMeetingInvitationsOrCancellations=\"SendToNone\"", b, StringComparison.Ordinal));
        Assert.Equal(ParticipationStatus.Accepted, exception.Attendees.Single(a => a.Email == EwsEmulatorScope.Alice).Status);
        Assert.Empty(scope.Emulator.AllOutbox());
    }

    private static async Task<(EwsItemStore Store, CollectionInfo Calendar)> OpenAsync(EwsEmulatorScope scope)
    {
        var store = new EwsItemStore(scope.Http, new EwsStoreOptions
        {
            EwsUrl = scope.Emulator.EwsUri,
            UserName = EwsEmulatorScope.ServiceUser,
            Password = EwsEmulatorScope.ServicePassword,
            Mailbox = EwsEmulatorScope.Alice,
            MailboxTimeZone = Zone,
        });
        var calendar = Assert.Single(await store.DiscoverCollectionsAsync(ItemKind.Event, CancellationToken.None));
        return (store, calendar);
    }

    private static async Task<StoreItem> ReadAsync(EwsItemStore store, CollectionInfo calendar, string id)
    {
        var fetched = Assert.Single(await store.FetchAsync(calendar, [id], CancellationToken.None));
        Assert.True(fetched.Status == FetchStatus.Found, $"{fetched.Status} {fetched.Reason}");
        return fetched.Item!;
    }

    /// <summary>
    /// Domain equality of the series, its EXDATEs and its overrides (in RECURRENCE-ID order), except what Exchange sets
    /// itself: Created/LastModified, Sequence, and the organizer (the mailbox owner organizes what it creates; an
    /// exception has the series organizer, S10).
    /// </summary>
    private static void AssertSameSeries(CalendarEvent expected, CalendarEvent actual)
    {
        CalendarEvent Stamped(CalendarEvent e) => e with
        {
            Organizer = actual.Organizer,
            Sequence = 0,
            Created = null,
            LastModified = null,
            ExcludedDates = [.. e.ExcludedDates.OrderBy(x => x.Value)],
        };
        var want = Stamped(expected) with { Overrides = [.. expected.Overrides.OrderBy(o => o.RecurrenceId!.Value.Value).Select(Stamped)] };
        var got = Stamped(actual) with { Overrides = [.. actual.Overrides.OrderBy(o => o.RecurrenceId!.Value.Value).Select(Stamped)] };
        Assert.Equal(want with { Overrides = [] }, got with { Overrides = [] });
        Assert.Equal(want.Overrides.Count, got.Overrides.Count);
        for (var i = 0; i < want.Overrides.Count; i++)
        {
            Assert.Equal(want.Overrides[i], got.Overrides[i]);
        }
    }
}
