using System.Net;
using System.Text;
using Connector.Domain;
using Connector.Sync.Stores;
using Connector.Testing.Conformance;

namespace Connector.Stores.Dav.Tests;

/// <summary>The store's decisions against scripted answers: failures, fallbacks, batching, mapping outcomes.</summary>
public sealed class DavItemStoreTests
{
    private static readonly CollectionInfo Calendar = new("/cal/", "Calendar", ItemKind.Event);

    [Fact]
    public async Task S16_Unauthorized_ThrowsCredentialRejectedAndNeverRetries()
    {
        var handler = new StubHandler(_ => new HttpResponseMessage(HttpStatusCode.Unauthorized));
        var store = StubHandler.Store(handler);

        await Assert.ThrowsAsync<CredentialRejectedException>(() => store.GetChangesAsync(Calendar, null, CancellationToken.None));
        await Assert.ThrowsAsync<CredentialRejectedException>(() => store.FetchAsync(Calendar, ["/cal/a.ics"], CancellationToken.None));

        Assert.Equal(2, handler.Requests.Count);
    }

    [Theory]
    [InlineData(HttpStatusCode.InternalServerError)]
    [InlineData(HttpStatusCode.BadGateway)]
    [InlineData(HttpStatusCode.GatewayTimeout)]
    public async Task ServerError_IsTransient(HttpStatusCode status)
    {
        var store = StubHandler.Store(new StubHandler(_ => new HttpResponseMessage(status)));

        await Assert.ThrowsAsync<TransientStoreException>(() => store.GetChangesAsync(Calendar, null, CancellationToken.None));
    }

    [Fact]
    public async Task S14_ServiceUnavailableWithDate_ThrottledWithTheWait()
    {
        var now = new DateTimeOffset(2025, 3, 10, 12, 0, 0, TimeSpan.Zero);
        var handler = new StubHandler(_ =>
        {
            var response = new HttpResponseMessage(HttpStatusCode.ServiceUnavailable);
            response.Headers.TryAddWithoutValidation("Retry-After", "Mon, 10 Mar 2025 12:00:45 GMT");
            return response;
        });
        var store = StubHandler.Store(handler, new FixedTimeProvider(now));

        var thrown = await Assert.ThrowsAsync<ThrottledException>(() => store.FetchAsync(Calendar, ["/cal/a.ics"], CancellationToken.None));

        Assert.Equal(TimeSpan.FromSeconds(45), thrown.RetryAfter);
    }

    [Fact]
    public async Task Timeout_IsTransient_CallerCancellationIsNot()
    {
        var slow = new StubHandler(async (_, ct) =>
        {
            await Task.Delay(TimeSpan.FromSeconds(30), ct);
            return new HttpResponseMessage(HttpStatusCode.OK);
        });
        var store = StubHandler.Store(slow, timeout: TimeSpan.FromMilliseconds(100));

        await Assert.ThrowsAsync<TransientStoreException>(() => store.GetChangesAsync(Calendar, null, CancellationToken.None));

        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(50));
        var patient = StubHandler.Store(slow, timeout: TimeSpan.FromSeconds(20));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => patient.GetChangesAsync(Calendar, null, cancel.Token));
    }

    [Fact]
    public async Task ConnectionReset_IsTransient()
    {
        var store = StubHandler.Store(new StubHandler(_ => throw new HttpRequestException("Connection reset by peer", new IOException("reset"))));

        await Assert.ThrowsAsync<TransientStoreException>(() => store.GetChangesAsync(Calendar, null, CancellationToken.None));
    }

    [Fact]
    public async Task MalformedXml_IsAStoreFailureNotTransient()
    {
        var store = StubHandler.Store(new StubHandler(_ => Xml(HttpStatusCode.MultiStatus, "<multistatus xmlns=\"DAV:\"><response>")));

        var thrown = await Assert.ThrowsAsync<StoreException>(() => store.GetChangesAsync(Calendar, null, CancellationToken.None));

        Assert.IsNotType<TransientStoreException>(thrown);
    }

    [Theory]
    [InlineData(DavServerQuirks.Xandikos, true)]
    [InlineData(DavServerQuirks.None, false)]
    public async Task Xandikos500ForUnknownToken_IsTokenInvalidOnlyForXandikos(DavServerQuirks quirks, bool invalid)
    {
        var store = StubHandler.Store(new StubHandler(_ => new HttpResponseMessage(HttpStatusCode.InternalServerError)), quirks: quirks);

        var call = store.GetChangesAsync(Calendar, "dav1:s:4b825dc642cb6eb9a060e54bf8d69288fbee4904", CancellationToken.None);

        if (invalid)
        {
            Assert.Equal(ChangeFeedStatus.TokenInvalid, (await call).Status);
        }
        else
        {
            await Assert.ThrowsAsync<TransientStoreException>(() => call);
        }
    }

    [Fact]
    public async Task Xandikos500ForUnknownToken_QuirksDetectedWithOneOptionsRequest()
    {
        var handler = new StubHandler(request =>
        {
            if (request.Method == HttpMethod.Options)
            {
                var options = new HttpResponseMessage(HttpStatusCode.OK);
                options.Headers.TryAddWithoutValidation("DAV", "1, 2, 3, calendar-access, calendar-auto-scheduling, addressbook, sync-collection");
                return options;
            }

            return new HttpResponseMessage(HttpStatusCode.InternalServerError);
        });
        var store = StubHandler.Store(handler);

        var first = await store.GetChangesAsync(Calendar, "dav1:s:abc", CancellationToken.None);
        var second = await store.GetChangesAsync(Calendar, "dav1:s:def", CancellationToken.None);

        Assert.Equal(ChangeFeedStatus.TokenInvalid, first.Status);
        Assert.Equal(ChangeFeedStatus.TokenInvalid, second.Status);
        Assert.Equal(1, handler.Requests.Count(r => r.Method == HttpMethod.Options));
        Assert.Equal(DavServerQuirks.Xandikos, await store.GetQuirksAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Xandikos500WithoutToken_StaysTransient()
    {
        var store = StubHandler.Store(new StubHandler(_ => new HttpResponseMessage(HttpStatusCode.InternalServerError)), quirks: DavServerQuirks.Xandikos);

        await Assert.ThrowsAsync<TransientStoreException>(() => store.GetChangesAsync(Calendar, null, CancellationToken.None));
    }

    [Fact]
    public async Task TruncatedAnswer_RfcServer_IsAPageWithMoreAvailable()
    {
        var handler = new StubHandler(_ => Xml(HttpStatusCode.MultiStatus, """
            <multistatus xmlns="DAV:">
              <response><href>/cal/a.ics</href><propstat><prop><getetag>"1"</getetag></prop><status>HTTP/1.1 200 OK</status></propstat></response>
              <response><href>/cal/</href><status>HTTP/1.1 507 Insufficient Storage</status></response>
              <sync-token>https://dav.example/sync/page-1</sync-token>
            </multistatus>
            """));
        var store = StubHandler.Store(handler, quirks: DavServerQuirks.None);

        var feed = await store.GetChangesAsync(Calendar, "dav1:s:https://dav.example/sync/start", CancellationToken.None);

        Assert.Equal(ChangeFeedStatus.Changes, feed.Status);
        Assert.True(feed.MoreAvailable);
        Assert.Equal("dav1:s:https://dav.example/sync/page-1", feed.NewToken);
        Assert.Equal(["/cal/a.ics"], feed.Changes.Select(c => c.Id));
    }

    [Fact]
    public async Task SyncCollection_NeverSendsALimit()
    {
        var handler = new StubHandler(_ => Xml(HttpStatusCode.MultiStatus, "<multistatus xmlns=\"DAV:\"><sync-token>t</sync-token></multistatus>"));
        var store = StubHandler.Store(handler);

        await store.GetChangesAsync(Calendar, null, CancellationToken.None);
        await store.GetChangesAsync(Calendar, "dav1:s:t", CancellationToken.None);

        Assert.Equal(2, handler.Requests.Count);
        Assert.All(handler.Requests, r =>
        {
            Assert.Contains("sync-collection", r.Body, StringComparison.Ordinal);
            Assert.DoesNotContain("limit", r.Body, StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task ServerWithoutSyncCollection_FallsBackToPropfindAndCTag()
    {
        var ctag = "\"ctag-1\"";
        var handler = new StubHandler(request => (request.Method.Method, request.Headers.GetValues("Depth").Single()) switch
        {
            ("REPORT", _) => new HttpResponseMessage(HttpStatusCode.NotImplemented),
            ("PROPFIND", "1") => Xml(HttpStatusCode.MultiStatus, $"""
                <multistatus xmlns="DAV:" xmlns:cs="http://calendarserver.org/ns/">
                  <response><href>/cal/</href><propstat><prop><resourcetype><collection/></resourcetype><cs:getctag>{ctag}</cs:getctag></prop><status>HTTP/1.1 200 OK</status></propstat></response>
                  <response><href>/cal/a.ics</href><propstat><prop><getetag>"a1"</getetag><resourcetype/></prop><status>HTTP/1.1 200 OK</status></propstat></response>
                  <response><href>/cal/sub/</href><propstat><prop><resourcetype><collection/></resourcetype></prop><status>HTTP/1.1 200 OK</status></propstat></response>
                </multistatus>
                """),
            ("PROPFIND", "0") => Xml(HttpStatusCode.MultiStatus, $"""
                <multistatus xmlns="DAV:" xmlns:cs="http://calendarserver.org/ns/">
                  <response><href>/cal/</href><propstat><prop><cs:getctag>{ctag}</cs:getctag></prop><status>HTTP/1.1 200 OK</status></propstat></response>
                </multistatus>
                """),
            _ => new HttpResponseMessage(HttpStatusCode.BadRequest),
        });
        var store = StubHandler.Store(handler);

        var full = await store.GetChangesAsync(Calendar, null, CancellationToken.None);
        var quiet = await store.GetChangesAsync(Calendar, full.NewToken, CancellationToken.None);
        ctag = "\"ctag-2\"";
        var changed = await store.GetChangesAsync(Calendar, quiet.NewToken, CancellationToken.None);
        var again = await store.GetChangesAsync(Calendar, null, CancellationToken.None);

        Assert.Equal(ChangeFeedStatus.FullListing, full.Status);
        Assert.Equal([("/cal/a.ics", "\"a1\"")], full.Changes.Select(c => (c.Id, c.Version)));
        Assert.Equal("dav1:c:\"ctag-1\"", full.NewToken);
        Assert.Equal(ChangeFeedStatus.Changes, quiet.Status);
        Assert.Empty(quiet.Changes);
        Assert.Equal(ChangeFeedStatus.FullListing, changed.Status);
        Assert.Equal("dav1:c:\"ctag-2\"", changed.NewToken);
        Assert.Equal(ChangeFeedStatus.FullListing, again.Status);

        // The REPORT is tried once; the store remembers that this collection has no sync-collection.
        Assert.Equal(["REPORT", "PROPFIND", "PROPFIND", "PROPFIND", "PROPFIND", "PROPFIND"], handler.Requests.Select(r => r.Method.Method));
    }

    [Theory]
    [InlineData("403", "<error xmlns=\"DAV:\"><valid-sync-token/></error>")]
    [InlineData("409", "<error xmlns=\"DAV:\"><valid-sync-token/></error>")]
    [InlineData("400", "")]
    [InlineData("410", "")]
    public async Task S05_TokenRefused_IsTokenInvalid(string status, string body)
    {
        var store = StubHandler.Store(new StubHandler(_ => Xml((HttpStatusCode)int.Parse(status, System.Globalization.CultureInfo.InvariantCulture), body)));

        var feed = await store.GetChangesAsync(Calendar, "dav1:s:http://radicale.org/ns/sync/abc", CancellationToken.None);

        Assert.Equal(ChangeFeedStatus.TokenInvalid, feed.Status);
    }

    [Fact]
    public async Task S05_ForeignToken_IsTokenInvalidWithoutARequest()
    {
        var handler = new StubHandler(_ => new HttpResponseMessage(HttpStatusCode.OK));
        var store = StubHandler.Store(handler);

        var feed = await store.GetChangesAsync(Calendar, "http://sabre.io/ns/sync/12", CancellationToken.None);

        Assert.Equal(ChangeFeedStatus.TokenInvalid, feed.Status);
        Assert.Empty(handler.Requests);
    }

    [Fact]
    public async Task Fetch_MoreIdsThanBatchLimit_OneMultigetPerBatchResultsInOrder()
    {
        var handler = new StubHandler(request =>
        {
            var hrefs = System.Text.RegularExpressions.Regex.Matches(request.Content!.ReadAsStringAsync().Result, "<d:href>([^<]+)</d:href>")
                .Select(m => m.Groups[1].Value)
                .ToList();
            var responses = string.Concat(hrefs.Where(h => !h.Contains("gone", StringComparison.Ordinal)).Select(h =>
                $"<response><href>{h}</href><propstat><prop><getetag>\"{h}\"</getetag><C:calendar-data>{Event(h)}</C:calendar-data></prop><status>HTTP/1.1 200 OK</status></propstat></response>"));
            return Xml(HttpStatusCode.MultiStatus, $"<multistatus xmlns=\"DAV:\" xmlns:C=\"urn:ietf:params:xml:ns:caldav\">{responses}</multistatus>");
        });
        var store = new DavItemStore(new HttpClient(handler), new DavStoreOptions { BaseUri = new Uri("http://dav.stub.invalid/"), BatchLimit = 50 });
        var ids = Enumerable.Range(0, 120).Select(i => $"/cal/e{i}.ics").Append("/cal/gone.ics").Append("/cal/e7.ics").ToList();

        var results = await store.FetchAsync(Calendar, ids, CancellationToken.None);

        Assert.Equal(3, handler.Requests.Count);
        Assert.Equal(ids, results.Select(r => r.Id));
        Assert.Equal(FetchStatus.NotFound, results[120].Status);
        Assert.All(results.Where(r => r.Id != "/cal/gone.ics"), r => Assert.Equal(FetchStatus.Found, r.Status));
        Assert.Equal("e7", results[^1].Item!.Item.Uid);
    }

    [Fact]
    public async Task S21_Fetch_BrokenAndForeignObjects_UnreadableAndNotFoundWithReasons()
    {
        const string Task = "BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:x\nBEGIN:VTODO\nUID:t\nSUMMARY:x\nEND:VTODO\nEND:VCALENDAR\n";
        const string Broken = "BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:x\nBEGIN:VEVENT\nUID:b\nDTSTART:20241399T250000Z\nEND:VEVENT\nEND:VCALENDAR\n";
        var store = StubHandler.Store(new StubHandler(_ => Xml(HttpStatusCode.MultiStatus, $"""
            <multistatus xmlns="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav">
              <response><href>/cal/t.ics</href><propstat><prop><getetag>"t"</getetag><C:calendar-data>{Task}</C:calendar-data></prop><status>HTTP/1.1 200 OK</status></propstat></response>
              <response><href>/cal/b.ics</href><propstat><prop><getetag>"b"</getetag><C:calendar-data>{Broken}</C:calendar-data></prop><status>HTTP/1.1 200 OK</status></propstat></response>
              <response><href>/cal/f.ics</href><status>HTTP/1.1 403 Forbidden</status></response>
            </multistatus>
            """)));

        var results = await store.FetchAsync(Calendar, ["/cal/t.ics", "/cal/b.ics", "/cal/f.ics"], CancellationToken.None);

        Assert.Equal([FetchStatus.NotFound, FetchStatus.Unreadable, FetchStatus.Unreadable], results.Select(r => r.Status));
        Assert.Contains("VTODO", results[0].Reason, StringComparison.Ordinal);
        Assert.Contains("20241399T250000Z", results[1].Reason, StringComparison.Ordinal);
        Assert.Contains("403", results[2].Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task S01_CreateEvent_WritesScheduleAgentClient()
    {
        var handler = new StubHandler(_ => new HttpResponseMessage(HttpStatusCode.Created));
        var store = StubHandler.Store(handler);

        var result = await store.CreateAsync(Calendar, ConformanceItems.Event("s01"), CancellationToken.None);

        Assert.Equal(WriteStatus.Success, result.Status);
        var body = Assert.Single(handler.Requests).Body.Replace("\r\n ", string.Empty, StringComparison.Ordinal);
        Assert.Contains("ORGANIZER;CN=Olga Organizer;SCHEDULE-AGENT=CLIENT:mailto:organizer@example.org", body, StringComparison.Ordinal);
        Assert.Contains("SCHEDULE-AGENT=CLIENT", body.Split("ATTENDEE")[1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_WeakETag_VersionUnknown()
    {
        var store = StubHandler.Store(new StubHandler(_ =>
        {
            var response = new HttpResponseMessage(HttpStatusCode.Created);
            response.Headers.TryAddWithoutValidation("ETag", "W/\"weak\"");
            return response;
        }));

        var result = await store.CreateAsync(Calendar, ConformanceItems.Event("weak"), CancellationToken.None);

        Assert.Equal(WriteStatus.Success, result.Status);
        Assert.Null(result.Version);
    }

    [Fact]
    public async Task Update_SendsIfMatchAndCreateSendsIfNoneMatch()
    {
        var requests = new List<string>();
        var recording = new StubHandler(request =>
        {
            requests.Add($"{request.Method} {request.Headers.IfMatch} {request.Headers.IfNoneMatch}".Trim());
            return new HttpResponseMessage(HttpStatusCode.NoContent);
        });
        var store = StubHandler.Store(recording);

        await store.CreateAsync(Calendar, ConformanceItems.Event("a"), CancellationToken.None);
        await store.UpdateAsync(Calendar, "/cal/a.ics", "\"v1\"", ConformanceItems.Event("a", 2), CancellationToken.None);
        await store.DeleteAsync(Calendar, "/cal/a.ics", "\"v2\"", CancellationToken.None);

        Assert.Equal(["PUT  *", "PUT \"v1\"", "DELETE \"v2\""], requests);
    }

    [Fact]
    public async Task Discovery_RedirectToAnotherHost_RefusedWithoutSendingCredentialsThere()
    {
        var handler = new StubHandler(request =>
        {
            var response = new HttpResponseMessage(HttpStatusCode.MovedPermanently);
            response.Headers.Location = new Uri("https://elsewhere.invalid/remote.php/dav/");
            return response;
        });
        var store = new DavItemStore(new HttpClient(handler), new DavStoreOptions { BaseUri = new Uri("http://dav.stub.invalid/"), UserName = "a", Password = "b" });

        var thrown = await Assert.ThrowsAsync<StoreException>(() => store.DiscoverCollectionsAsync(ItemKind.Event, CancellationToken.None));

        Assert.Contains("elsewhere.invalid", thrown.Message, StringComparison.Ordinal);
        Assert.All(handler.Requests, r => Assert.Equal("/.well-known/caldav", r.Path));
    }

    [Fact]
    public async Task CollectionOfSeveralKinds_IsRefused()
    {
        var store = StubHandler.Store(new StubHandler(_ => new HttpResponseMessage(HttpStatusCode.OK)));

        await Assert.ThrowsAsync<ArgumentException>(
            () => store.GetChangesAsync(Calendar with { Kind = ItemKind.Event | ItemKind.Task }, null, CancellationToken.None));
        await Assert.ThrowsAsync<ArgumentException>(
            () => store.CreateAsync(Calendar, ConformanceItems.Contact("c"), CancellationToken.None));
    }

    private static string Event(string href) =>
        $"BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:x\nBEGIN:VEVENT\nUID:{href[5..^4]}\nDTSTART:20250101T100000Z\nSUMMARY:x\nEND:VEVENT\nEND:VCALENDAR\n";

    private static HttpResponseMessage Xml(HttpStatusCode status, string body) =>
        new(status) { Content = new StringContent(body, Encoding.UTF8, "application/xml") };
}
