using System.Collections.Concurrent;
using System.Net;
using System.Xml.Linq;
using Connector.Domain;
using Connector.Emulator;
using Connector.Stores.Ews.Http;
using Connector.Sync.Resilience;
using Connector.Sync.Stores;
using Microsoft.AspNetCore.Http;

namespace Connector.Stores.Ews.Tests;

/// <summary>
/// S14 end to end through the EWS store and the emulator: ServerBusy with and without BackOffMilliseconds, HTTP 503
/// with and without (fractional) Retry-After, an exceeded concurrency budget — all slow a read down and never fail
/// it; the back-off is shared by every store of the identity; after a total time the store gives up clearly. The
/// waits are checked in the emulator's request log (when each request was answered), never by timing the test.
/// </summary>
public sealed class EwsThrottlingTests
{
    private const string Service = "svc";
    private const string Other = "svc-other";
    private const string Password = "pw";
    private static readonly XNamespace T = "http://schemas.microsoft.com/exchange/services/2006/types";

    private static async Task<ExchangeEmulator> StartAsync(int mailboxes, int itemsPerMailbox, Action<EmulatorOptions>? configure = null)
    {
        var options = new EmulatorOptions { Port = 0 };
        foreach (var name in new[] { Service, Other })
        {
            var identity = new EmulatorIdentity { Name = name, Password = Password };
            identity.CanImpersonate.Add("*");
            options.Identities.Add(identity);
        }

        configure?.Invoke(options);
        var emulator = await ExchangeEmulator.StartAsync(options, CancellationToken.None);
        for (var m = 0; m < mailboxes; m++)
        {
            var mailbox = emulator.Mailbox(MailboxName(m));
            for (var i = 0; i < itemsPerMailbox; i++)
            {
                mailbox.CreateItem("calendar", new XElement(
                    T + "CalendarItem",
                    new XElement(T + "Subject", $"Event {i}"),
                    new XElement(T + "Start", new DateTime(2026, 3, 2, 9, 0, 0, DateTimeKind.Utc).AddDays(i).ToString("s") + "Z"),
                    new XElement(T + "End", new DateTime(2026, 3, 2, 10, 0, 0, DateTimeKind.Utc).AddDays(i).ToString("s") + "Z")));
            }
        }

        return emulator;
    }

    private static string MailboxName(int index) => $"user{index}@contoso.com";

    private static EwsItemStore Store(ExchangeEmulator emulator, HttpClient http, ThrottleGates gates, string mailbox, string identity = Service, RetryOptions? retry = null, ConcurrentQueue<ThrottleEvent>? events = null, Action<ThrottleEvent>? onThrottled = null) =>
        new(http, new EwsStoreOptions
        {
            EwsUrl = emulator.EwsUri,
            UserName = identity,
            Password = Password,
            Mailbox = mailbox,
            BatchLimit = 10,
            ThrottleGates = gates,
            Retry = retry ?? new RetryOptions { FirstDelay = TimeSpan.FromMilliseconds(100), GiveUpAfter = TimeSpan.FromMinutes(2) },
            Throttled = e =>
            {
                events?.Enqueue(e);
                onThrottled?.Invoke(e);
            },
        });

    /// <summary>Every event of the mailbox's calendar: discovery, a full listing, then fetches in batches.</summary>
    private static async Task<IReadOnlyList<ISyncItem>> ReadCalendarAsync(EwsItemStore store)
    {
        var calendar = (await store.DiscoverCollectionsAsync(ItemKind.Event, CancellationToken.None)).Single();
        var ids = new List<string>();
        string? token = null;
        ChangeFeed feed;
        do
        {
            feed = await store.GetChangesAsync(calendar, token, CancellationToken.None);
            ids.AddRange(feed.Changes.Where(c => c.Kind == ChangeKind.Upserted).Select(c => c.Id));
            token = feed.NewToken;
        }
        while (feed.MoreAvailable);

        var fetched = await store.FetchAsync(calendar, ids, CancellationToken.None);
        Assert.All(fetched, f => Assert.Equal(FetchStatus.Found, f.Status));
        return [.. fetched.Select(f => f.Item!.Item)];
    }

    private static bool IsServerBusy(RequestRecord r) => r.Fault?.Contains("ErrorServerBusy", StringComparison.Ordinal) == true;

    /// <summary>For each throttled answer, the next request of the same identity was answered at least <paramref name="wait"/> later.</summary>
    private static void AssertWaitedAfterEach(IReadOnlyList<RequestRecord> log, Func<RequestRecord, bool> throttled, Func<int, TimeSpan> wait)
    {
        var hits = log.Select((r, i) => (r, i)).Where(p => throttled(p.r)).ToList();
        Assert.NotEmpty(hits);
        for (var n = 0; n < hits.Count; n++)
        {
            var (record, index) = hits[n];
            var next = log.Skip(index + 1).First(r => r.Identity == record.Identity);
            Assert.True(next.Time - record.Time >= wait(n), $"throttle #{n} at {record.Time:HH:mm:ss.fff} ({record.Operation}), next request answered at {next.Time:HH:mm:ss.fff}: waited less than {wait(n)}");
        }
    }

    [Fact]
    public async Task S14_ServerBusyWithBackOff_IsWaitedOut_AndTheReadCompletes()
    {
        await using var emulator = await StartAsync(1, 40, o => o.Throttling.BackOffMilliseconds = 300);
        emulator.Faults.Next(1, FaultKind.ServerBusy, "SyncFolderItems");
        emulator.Faults.Next(2, FaultKind.ServerBusy, "GetItem");
        using var http = new HttpClient();
        var events = new ConcurrentQueue<ThrottleEvent>();
        var store = Store(emulator, http, new ThrottleGates(), MailboxName(0), events: events);

        var items = await ReadCalendarAsync(store);

        Assert.Equal(40, items.Select(i => i.Uid).Distinct().Count());
        Assert.Equal(3, events.Count);
        Assert.All(events, e => Assert.Equal((TimeSpan.FromMilliseconds(300), true, "identity:" + Service), (e.Delay, e.ServerHint, e.Scope)));
        Assert.Equal(3, store.Throttles);
        AssertWaitedAfterEach(emulator.Requests.Snapshot(), IsServerBusy, _ => TimeSpan.FromMilliseconds(300));
    }

    [Fact]
    public async Task S14_Http503WithoutRetryAfter_BacksOffWithDoublingWaits_AndTheReadCompletes()
    {
        await using var emulator = await StartAsync(1, 25);
        emulator.Faults.Next(3, FaultKind.Http503, "GetItem");
        using var http = new HttpClient();
        var events = new ConcurrentQueue<ThrottleEvent>();
        var store = Store(emulator, http, new ThrottleGates(), MailboxName(0), events: events);

        var items = await ReadCalendarAsync(store);

        Assert.Equal(25, items.Count);
        Assert.Equal(3, events.Count);
        Assert.All(events, e => Assert.False(e.ServerHint));
        var delays = events.Select(e => e.Delay).ToList();
        Assert.True(delays[0] >= TimeSpan.FromMilliseconds(100) && delays[1] >= TimeSpan.FromMilliseconds(200) && delays[2] >= TimeSpan.FromMilliseconds(400), string.Join(", ", delays));
        AssertWaitedAfterEach(emulator.Requests.Snapshot(), r => r.HttpStatus == 503, n => TimeSpan.FromMilliseconds(100 * Math.Pow(2, n)));
    }

    [Fact]
    public async Task S14_Http503WithFractionalRetryAfter_OverTheConcurrencyBudget_EveryReadCompletes()
    {
        await using var emulator = await StartAsync(4, 20, o =>
        {
            o.LatencyMilliseconds = 30;
            o.Throttling.MaxConcurrentRequestsPerIdentity = 1;
            o.Throttling.Response = ThrottleResponse.Http503;
            o.Throttling.RetryAfterSeconds = 0.25;
        });
        using var http = new HttpClient();
        var gates = new ThrottleGates();
        var events = new ConcurrentQueue<ThrottleEvent>();

        var reads = await Task.WhenAll(Enumerable.Range(0, 4).Select(m => ReadCalendarAsync(Store(emulator, http, gates, MailboxName(m), events: events))));

        Assert.All(reads, items => Assert.Equal(20, items.Count));
        var log = emulator.Requests.Snapshot();
        Assert.NotEmpty(events);
        Assert.Equal(log.Count(r => r.HttpStatus == 503), events.Count);
        Assert.All(events, e => Assert.Equal((TimeSpan.FromMilliseconds(250), true), (e.Delay, e.ServerHint)));
    }

    [Fact]
    public async Task S14_ManyCallersOverTheConcurrencyBudget_ServerBusy_EveryReadCompletesWithAllItems()
    {
        await using var emulator = await StartAsync(6, 30, o =>
        {
            o.LatencyMilliseconds = 20;
            o.Throttling.MaxConcurrentRequestsPerIdentity = 2;
            o.Throttling.BackOffMilliseconds = 150;
        });
        using var http = new HttpClient();
        var gates = new ThrottleGates();
        var events = new ConcurrentQueue<ThrottleEvent>();

        var reads = await Task.WhenAll(Enumerable.Range(0, 6).Select(m => ReadCalendarAsync(Store(emulator, http, gates, MailboxName(m), events: events))));

        Assert.All(reads, items => Assert.Equal(30, items.Select(i => i.Uid).Distinct().Count()));
        var log = emulator.Requests.Snapshot();
        Assert.True(log.Any(IsServerBusy), "six concurrent callers on a budget of two were never throttled");
        Assert.Equal(log.Count(IsServerBusy), events.Count);
        Assert.Equal(events.Count, gates.ForIdentity(Service).Throttles);
    }

    [Fact]
    public async Task S14_OneStoreThrottled_EveryStoreOfTheSameIdentityWaits_OtherIdentitiesDoNot()
    {
        await using var emulator = await StartAsync(3, 5, o => o.Throttling.BackOffMilliseconds = 800);
        emulator.Faults.Add(new FaultRule { Kind = FaultKind.ServerBusy, Count = 1, Mailbox = MailboxName(0) });
        using var http = new HttpClient();
        var gates = new ThrottleGates();
        var throttled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var first = Store(emulator, http, gates, MailboxName(0), onThrottled: _ => throttled.TrySetResult());
        var sameIdentity = Store(emulator, http, gates, MailboxName(1));
        var otherIdentity = Store(emulator, http, gates, MailboxName(2), identity: Other);

        var firstRead = ReadCalendarAsync(first);
        await throttled.Task;
        var reads = await Task.WhenAll(ReadCalendarAsync(sameIdentity), ReadCalendarAsync(otherIdentity), firstRead);

        Assert.All(reads, items => Assert.Equal(5, items.Count));
        var log = emulator.Requests.Snapshot();
        var busy = log.Single(IsServerBusy);
        var secondStoresFirst = log.First(r => r.ImpersonatedMailbox == MailboxName(1));
        Assert.True(secondStoresFirst.Time - busy.Time >= TimeSpan.FromMilliseconds(800), $"the second store of {Service} went ahead at {secondStoresFirst.Time:HH:mm:ss.fff}, {busy.Time:HH:mm:ss.fff} + 800 ms");
        Assert.Equal(1, gates.ForIdentity(Service).Throttles);
        Assert.Equal(1, gates.ForMailbox(MailboxName(0)).Throttles);
        Assert.Equal(0, gates.ForIdentity(Other).Throttles);
        Assert.Equal(0, gates.ForMailbox(MailboxName(2)).Throttles);
    }

    [Fact]
    public async Task S14_StillThrottledAfterTheGiveUpTime_IsAClearThrottledError()
    {
        await using var emulator = await StartAsync(1, 3, o => o.Throttling.BackOffMilliseconds = 300);
        emulator.Faults.Add(new FaultRule { Kind = FaultKind.ServerBusy, Rate = 1.0 });
        using var http = new HttpClient();
        var store = Store(emulator, http, new ThrottleGates(), MailboxName(0), retry: new RetryOptions { GiveUpAfter = TimeSpan.FromSeconds(3) });

        var ex = await Assert.ThrowsAsync<ThrottledException>(() => store.DiscoverCollectionsAsync(ItemKind.Event, CancellationToken.None));

        Assert.Contains("giving up", ex.Message, StringComparison.Ordinal);
        Assert.Contains("ErrorServerBusy", ex.Message, StringComparison.Ordinal);
        Assert.InRange(emulator.Requests.Snapshot().Count, 2, 11); // every 300 ms for 3 s, however slow the machine
    }

    [Fact]
    public async Task S14_ServerBusyWithoutBackOff_WaitsItsOwnBackOff()
    {
        var example = await File.ReadAllTextAsync(Path.Combine(SharedFixtures.SharedDirectory, "protocols", "examples", "ews-getfolder.02-GetFolderResponse.xml"));
        var answered = 0;
        await using var server = await CannedServer.StartAsync(async http =>
        {
            http.Response.ContentType = "text/xml; charset=utf-8";
            if (Interlocked.Increment(ref answered) <= 2)
            {
                http.Response.StatusCode = StatusCodes.Status500InternalServerError;
                await http.Response.WriteAsync(ServerBusyWithoutBackOff);
                return;
            }

            await http.Response.WriteAsync(example);
        });
        using var http = new HttpClient();
        var events = new ConcurrentQueue<ThrottleEvent>();
        var store = new EwsItemStore(http, new EwsStoreOptions
        {
            EwsUrl = server.EwsUri,
            UserName = Service,
            Password = Password,
            ThrottleGates = new ThrottleGates(),
            Retry = new RetryOptions { FirstDelay = TimeSpan.FromMilliseconds(150) },
            Throttled = events.Enqueue,
        });

        var found = await store.DiscoverCollectionsAsync(ItemKind.Event, CancellationToken.None);

        Assert.Equal("AQApA=", Assert.Single(found).Id);
        Assert.Equal(2, events.Count);
        Assert.All(events, e => Assert.False(e.ServerHint));
        var arrivals = server.Arrivals.ToList();
        Assert.Equal(3, arrivals.Count);
        Assert.True(arrivals[1] - arrivals[0] >= TimeSpan.FromMilliseconds(150) && arrivals[2] - arrivals[1] >= TimeSpan.FromMilliseconds(300), string.Join(", ", arrivals.Select(a => a.ToString("HH:mm:ss.fff"))));
    }

    private const string ServerBusyWithoutBackOff = """
        <?xml version="1.0" encoding="utf-8"?>
        <s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><s:Fault>
        <faultcode xmlns:a="http://schemas.microsoft.com/exchange/services/2006/types">a:ErrorServerBusy</faultcode>
        <faultstring xml:lang="en-US">The server cannot service this request right now. Try again later.</faultstring>
        <detail><e:ResponseCode xmlns:e="http://schemas.microsoft.com/exchange/services/2006/errors">ErrorServerBusy</e:ResponseCode>
        <e:Message xmlns:e="http://schemas.microsoft.com/exchange/services/2006/errors">The server cannot service this request right now. Try again later.</e:Message></detail>
        </s:Fault></s:Body></s:Envelope>
        """;

    [Fact]
    public async Task ImpersonationDenied_IsAPerUserErrorNamingTheMailbox_NeverRetried()
    {
        await using var emulator = await StartAsync(1, 0, o =>
        {
            var limited = new EmulatorIdentity { Name = "limited", Password = Password };
            limited.CanImpersonate.Add("someone-else@contoso.com");
            o.Identities.Add(limited);
        });
        using var http = new HttpClient();
        var store = Store(emulator, http, new ThrottleGates(), MailboxName(0), identity: "limited");

        var ex = await Assert.ThrowsAsync<EwsMailboxAccessException>(() => store.DiscoverCollectionsAsync(ItemKind.Event, CancellationToken.None));

        Assert.Equal("ErrorImpersonateUserDenied", ex.ResponseCode);
        Assert.Equal(MailboxName(0), ex.Mailbox);
        Assert.Contains(MailboxName(0), ex.Message, StringComparison.Ordinal);
        Assert.Single(emulator.Requests.Snapshot());
        Assert.Equal(0, store.Retries);
    }

    [Fact]
    public async Task CutConnection_ReadIsRepeated_WriteIsNot()
    {
        await using var emulator = await StartAsync(1, 3);
        using var http = new HttpClient();
        var store = Store(emulator, http, new ThrottleGates(), MailboxName(0));
        emulator.Faults.Next(1, FaultKind.ConnectionReset, "GetFolder");
        var calendar = (await store.DiscoverCollectionsAsync(ItemKind.Event, CancellationToken.None)).Single();
        Assert.Equal(1, store.Retries);

        emulator.Faults.Next(1, FaultKind.ConnectionReset, "CreateItem", FaultPhase.AfterExecution);
        var item = new CalendarEvent
        {
            Uid = "cut-" + Guid.NewGuid().ToString("N"),
            Summary = "created, answer lost",
            Start = CalendarTime.FromUtc(new DateTime(2026, 4, 1, 9, 0, 0, DateTimeKind.Utc)),
            End = CalendarTime.FromUtc(new DateTime(2026, 4, 1, 10, 0, 0, DateTimeKind.Utc)),
        };
        await Assert.ThrowsAsync<TransientStoreException>(() => store.CreateAsync(calendar, item, CancellationToken.None));

        // The item was created once; the lost answer was reported, not answered by a second CreateItem.
        Assert.Equal(4, emulator.Mailbox(MailboxName(0)).Items("calendar").Count);
        Assert.Equal(1, store.Retries);
    }
}
