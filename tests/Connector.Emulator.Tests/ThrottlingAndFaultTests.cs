using System.Net;
using System.Net.Http.Json;
using System.Xml;

namespace Connector.Emulator.Tests;

public sealed class ThrottlingAndFaultTests
{
    [Fact]
    public async Task S14_OverTheIdentityConcurrencyBudget_IsErrorServerBusyWithBackOff()
    {
        await using var scope = await EmulatorScope.StartAsync(o =>
        {
            o.Throttling.MaxConcurrentRequestsPerIdentity = 2;
            o.Throttling.BackOffMilliseconds = 1234;
            o.LatencyMilliseconds = 1500;
        });

        var responses = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => scope.CallAsync(Soap.SyncFolderItems("calendar", 1))));

        var busy = responses.Where(r => r.FaultCode == "ErrorServerBusy").ToList();
        Assert.InRange(busy.Count, 1, 2);
        Assert.Equal(4 - busy.Count, responses.Count(r => r.Status == HttpStatusCode.OK));
        var back = busy[0].Xml.Descendants(EwsResponse.T + "Value").Single();
        Assert.Equal("BackOffMilliseconds", (string)back.Attribute("Name")!);
        Assert.Equal("1234", back.Value);
        Assert.Equal(HttpStatusCode.InternalServerError, busy[0].Status);
    }

    [Fact]
    public async Task S14_Http503Mode_AnswersServiceUnavailableWithRetryAfter()
    {
        await using var scope = await EmulatorScope.StartAsync(o =>
        {
            o.Throttling.MaxConcurrentRequestsPerIdentity = 1;
            o.Throttling.Response = ThrottleResponse.Http503;
            o.Throttling.RetryAfterSeconds = 2;
            o.LatencyMilliseconds = 1500;
        });

        var responses = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => scope.CallAsync(Soap.SyncFolderItems("calendar", 1))));

        Assert.Contains(responses, r => r.Status == HttpStatusCode.ServiceUnavailable);
        Assert.Contains(responses, r => r.Status == HttpStatusCode.OK);
    }

    [Fact]
    public async Task S14_PerMailboxSyncFolderItemsBudget_ThrottlesConcurrentSyncsOfOneMailboxOnly()
    {
        await using var scope = await EmulatorScope.StartAsync(o =>
        {
            o.Throttling.MaxConcurrentSyncFolderItemsPerMailbox = 1;
            o.LatencyMilliseconds = 1500;
        });

        var sameMailbox = Task.WhenAll(Enumerable.Range(0, 3).Select(_ => scope.CallAsync(Soap.SyncFolderItems("calendar", 10), impersonate: "alice@contoso.com")));
        var otherMailbox = scope.CallAsync(Soap.SyncFolderItems("calendar", 10), impersonate: "bob@contoso.com");
        var otherOperation = scope.CallAsync(Soap.GetItem(Soap.ItemId("bm90LWFuLWlk")), impersonate: "alice@contoso.com");
        var responses = await sameMailbox;

        Assert.InRange(responses.Count(r => r.FaultCode == "ErrorServerBusy"), 1, 2);
        Assert.Contains(responses, r => r.Status == HttpStatusCode.OK);
        (await otherMailbox).AssertSuccess();
        Assert.Null((await otherOperation).FaultCode);
    }

    [Fact]
    public async Task Faults_NextNRequests_ConnectionResetThenNormal()
    {
        await using var scope = await EmulatorScope.StartAsync();
        scope.Emulator.Faults.Next(1, FaultKind.ConnectionReset);

        await Assert.ThrowsAnyAsync<HttpRequestException>(() => scope.CallAsync(Soap.SyncFolderItems("calendar", 1)));
        (await scope.CallAsync(Soap.SyncFolderItems("calendar", 1))).AssertSuccess();
    }

    [Fact]
    public async Task Faults_TruncatedXml_IsNotWellFormed()
    {
        await using var scope = await EmulatorScope.StartAsync();
        scope.Emulator.Faults.Next(1, FaultKind.TruncatedXml);

        var response = await scope.CallAsync(Soap.SyncFolderItems("calendar", 1));

        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.Throws<XmlException>(() => response.Xml);
    }

    [Fact]
    public async Task Faults_Http500_IsAPlainServerError()
    {
        await using var scope = await EmulatorScope.StartAsync();
        scope.Emulator.Faults.Next(2, FaultKind.Http500, operation: "GetItem");

        var sync = await scope.CallAsync(Soap.SyncFolderItems("calendar", 1));
        var get = await scope.CallAsync(Soap.GetItem(Soap.ItemId("x")));

        sync.AssertSuccess();
        Assert.Equal(HttpStatusCode.InternalServerError, get.Status);
        Assert.Null(get.FaultCode);
    }

    [Fact]
    public async Task Faults_AfterExecution_TheWriteHappenedButTheClientDidNotHear()
    {
        await using var scope = await EmulatorScope.StartAsync();
        scope.Emulator.Faults.Next(1, FaultKind.ConnectionReset, "CreateItem", FaultPhase.AfterExecution);

        await Assert.ThrowsAnyAsync<HttpRequestException>(() => scope.CallAsync(Soap.CreateItem(Soap.Event("Lost answer", "2026-03-02T10:00:00", "2026-03-02T11:00:00"))));

        Assert.Single(scope.Emulator.Mailbox(EmulatorScope.Mailbox).Items("calendar"));
    }

    [Fact]
    public async Task Faults_ByRate_AreDeterministicForASeed()
    {
        async Task<List<bool>> RunAsync()
        {
            await using var scope = await EmulatorScope.StartAsync(o => o.FaultRandomSeed = 7);
            scope.Emulator.Faults.Add(new FaultRule { Kind = FaultKind.ServerBusy, Rate = 0.5 });
            var outcomes = new List<bool>();
            for (var i = 0; i < 12; i++)
            {
                outcomes.Add((await scope.CallAsync(Soap.SyncFolderItems("calendar", 1))).FaultCode is null);
            }

            return outcomes;
        }

        var first = await RunAsync();
        var second = await RunAsync();
        Assert.Equal(first, second);
        Assert.Contains(true, first);
        Assert.Contains(false, first);
    }

    [Fact]
    public async Task FaultsAndLatency_CanBeSetOverJson()
    {
        await using var scope = await EmulatorScope.StartAsync();
        var added = await scope.Http.PostAsJsonAsync("emulator/faults", new { kind = "ServerBusy", count = 1 });
        added.EnsureSuccessStatusCode();
        (await scope.Http.PutAsJsonAsync("emulator/latency", new { milliseconds = 5 })).EnsureSuccessStatusCode();

        var busy = await scope.CallAsync(Soap.SyncFolderItems("calendar", 1));
        var ok = await scope.CallAsync(Soap.SyncFolderItems("calendar", 1));

        Assert.Equal("ErrorServerBusy", busy.FaultCode);
        ok.AssertSuccess();
        Assert.Equal(5, scope.Emulator.LatencyMilliseconds);
        var requests = await scope.Http.GetStringAsync("emulator/requests");
        Assert.Contains("ServerBusy", requests);
    }
}
