using System.Net;
using System.Text.Json.Nodes;

namespace Connector.Emulator.Tests.Graph;

public sealed class GraphAccessThrottlingAndFaultTests
{
    private const string Events = "users/" + GraphScope.Dave + "/events";

    [Fact]
    public async Task MissingOrWrongToken_Is401_WithABearerChallenge()
    {
        await using var scope = await GraphScope.StartAsync();
        var missing = (await scope.SendAsync(HttpMethod.Get, Events, token: null)).AssertStatus(HttpStatusCode.Unauthorized);
        Assert.Equal("InvalidAuthenticationToken", missing.ErrorCode);
        Assert.StartsWith("Bearer", missing.Headers["WWW-Authenticate"], StringComparison.Ordinal);

        var wrong = (await scope.SendAsync(HttpMethod.Get, Events, token: "forged")).AssertStatus(HttpStatusCode.Unauthorized);
        Assert.Equal("InvalidAuthenticationToken", wrong.ErrorCode);
    }

    [Fact]
    public async Task AppWithoutAccessToTheMailbox_Is403()
    {
        await using var scope = await GraphScope.StartAsync();
        var denied = (await scope.SendAsync(HttpMethod.Get, Events, token: "other-token")).AssertStatus(HttpStatusCode.Forbidden);
        Assert.Equal("ErrorAccessDenied", denied.ErrorCode);
    }

    [Fact]
    public async Task FifthConcurrentRequestOnAMailbox_Is429WithRetryAfter()
    {
        await using var scope = await GraphScope.StartAsync(o => o.Graph.Throttling.RetryAfterSeconds = 0.5);
        scope.Emulator.LatencyMilliseconds = 3000;
        var requests = Enumerable.Range(0, 6).Select(_ => scope.GetAsync(Events)).ToList();
        var results = await Task.WhenAll(requests);

        var throttled = results.Where(r => r.Status == HttpStatusCode.TooManyRequests).ToList();
        Assert.NotEmpty(throttled);
        Assert.True(results.Count(r => r.Status == HttpStatusCode.OK) <= 4);
        Assert.All(throttled, t =>
        {
            Assert.Equal("0.5", t.Headers["Retry-After"]);
            Assert.Equal("ApplicationThrottled", t.ErrorCode);
        });

        // Another mailbox has its own budget.
        scope.Emulator.LatencyMilliseconds = 0;
        (await scope.GetAsync("users/" + GraphScope.Erin + "/events")).AssertStatus(HttpStatusCode.OK);
    }

    [Fact]
    public async Task RequestRateOverTheWindow_Is429WithRetryAfter()
    {
        await using var scope = await GraphScope.StartAsync(o =>
        {
            o.Graph.Throttling.MaxRequestsPerWindow = 3;
            o.Graph.Throttling.RateWindowSeconds = 3600;
            var second = new EmulatorIdentity { Name = "second-app" };
            second.BearerTokens.Add("second-token");
            second.CanImpersonate.Add(GraphScope.Dave);
            o.Identities.Add(second);
        });
        for (var i = 0; i < 3; i++)
        {
            (await scope.GetAsync(Events)).AssertStatus(HttpStatusCode.OK);
        }

        var limited = (await scope.GetAsync(Events)).AssertStatus(HttpStatusCode.TooManyRequests);
        Assert.True(double.Parse(limited.Headers["Retry-After"], System.Globalization.CultureInfo.InvariantCulture) > 3000);

        // The budget is per app and mailbox: another mailbox, or another app on this one, is not limited.
        (await scope.GetAsync("users/" + GraphScope.Erin + "/events")).AssertStatus(HttpStatusCode.OK);
        (await scope.SendAsync(HttpMethod.Get, Events, token: "second-token")).AssertStatus(HttpStatusCode.OK);
    }

    [Fact]
    public async Task InjectedFaults_StrikeGraphOperations()
    {
        await using var scope = await GraphScope.StartAsync();
        scope.Emulator.Faults.Next(1, FaultKind.Http503, "CreateEvent");
        var unavailable = await scope.PostAsync(Events, GraphScope.Event("A", "2026-03-02T09:00:00", "2026-03-02T10:00:00"));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, unavailable.Status);
        Assert.True(unavailable.Headers.ContainsKey("Retry-After"));
        Assert.Equal(0, scope.Emulator.GraphMailbox(GraphScope.Dave).Count("calendar"));

        // After execution: the event exists, the client never learns it.
        scope.Emulator.Faults.Next(1, FaultKind.ConnectionReset, "CreateEvent", FaultPhase.AfterExecution);
        await Assert.ThrowsAsync<HttpRequestException>(() => scope.PostAsync(Events, GraphScope.Event("B", "2026-03-02T09:00:00", "2026-03-02T10:00:00")));
        Assert.Equal(1, scope.Emulator.GraphMailbox(GraphScope.Dave).Count("calendar"));

        scope.Emulator.Faults.Next(1, FaultKind.ServerBusy, "ListEvents");
        Assert.Equal(HttpStatusCode.TooManyRequests, (await scope.GetAsync(Events)).Status);

        scope.Emulator.Faults.Next(1, FaultKind.TruncatedXml, "ListEvents");
        using var truncatedRequest = new HttpRequestMessage(HttpMethod.Get, Events) { Headers = { Authorization = new("Bearer", GraphScope.Token) } };
        using var truncated = await scope.Http.SendAsync(truncatedRequest);
        var truncatedText = await truncated.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, truncated.StatusCode);
        Assert.ThrowsAny<System.Text.Json.JsonException>(() => JsonNode.Parse(truncatedText));

        scope.Emulator.Faults.Next(1, FaultKind.Http500, "GetEvent");
        Assert.Equal(HttpStatusCode.InternalServerError, (await scope.GetAsync($"{Events}/AAMkAGI1AAAt9AHjAAA=")).Status);

        var log = scope.Emulator.Requests.Snapshot().Where(r => r.Operation?.StartsWith("Graph ", StringComparison.Ordinal) == true).ToList();
        Assert.Contains(log, r => r.Operation == "Graph CreateEvent" && r.InjectedFault == "Http503" && r.Mailbox == GraphScope.Dave);
    }
}
