using System.Net;
using System.Text.Json;
using Connector.Worker.Observability;

namespace Connector.Host.Tests.Hosting;

public class OperationsEndpointsTests
{
    [Fact]
    public async Task Live_ProcessUp_Returns200()
    {
        await using var host = await TestConnectorHost.StartAsync();

        using var response = await host.Client.GetAsync(new Uri("/health/live", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("live", json.RootElement.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Ready_DatabaseReachableAndIdentityUsable_Returns200()
    {
        await using var host = await TestConnectorHost.StartAsync();

        var (status, json) = await GetJsonAsync(host, "/health/ready");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("ready", json.GetProperty("status").GetString());
        Assert.True(json.GetProperty("databaseReachable").GetBoolean());
        Assert.Equal(1, json.GetProperty("identities").GetInt32());
    }

    [Fact]
    public async Task Ready_DatabaseUnreachable_Returns503WithReason()
    {
        await using var host = await TestConnectorHost.StartAsync();
        host.Status.Status = host.Status.Status with { DatabaseReachable = false };

        var (status, json) = await GetJsonAsync(host, "/health/ready");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.Equal("not_ready", json.GetProperty("status").GetString());
        Assert.Contains("database", json.GetProperty("reason").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ready_EveryIdentityQuarantined_Returns503()
    {
        await using var host = await TestConnectorHost.StartAsync();
        host.Status.Status = host.Status.Status with
        {
            Identities =
            [
                new IdentityStatus { Name = "admin1", Backend = "Ews", Quarantined = true, QuarantineReason = "401" },
                new IdentityStatus { Name = "admin2", Backend = "Ews", Quarantined = true, QuarantineReason = "401" },
            ],
        };

        var (status, json) = await GetJsonAsync(host, "/health/ready");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.Equal(2, json.GetProperty("quarantinedIdentities").GetInt32());
        Assert.Contains("quarantined", json.GetProperty("reason").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ready_OneOfTwoIdentitiesQuarantined_Returns200()
    {
        await using var host = await TestConnectorHost.StartAsync();
        host.Status.Status = host.Status.Status with
        {
            Identities =
            [
                new IdentityStatus { Name = "admin1", Backend = "Ews", Quarantined = true },
                new IdentityStatus { Name = "admin2", Backend = "Ews" },
            ],
        };

        var (status, _) = await GetJsonAsync(host, "/health/ready");

        Assert.Equal(HttpStatusCode.OK, status);
    }

    [Fact]
    public async Task Ready_StatusSourceThrows_Returns503WithoutThePassword()
    {
        await using var host = await TestConnectorHost.StartAsync();
        host.Status.Failure = new InvalidOperationException("could not connect: Host=db;Username=connector;Password=hunter2");

        var (status, json) = await GetJsonAsync(host, "/health/ready");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        var reason = json.GetProperty("reason").GetString()!;
        Assert.Contains("could not connect", reason, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", reason, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", host.Log.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ready_NoWorkerInProcess_Returns503()
    {
        await using var host = await TestConnectorHost.StartAsync(withWorker: false);

        var (status, _) = await GetJsonAsync(host, "/health/ready");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
    }

    [Fact]
    public async Task Status_ReturnsWorkerStatusAsCamelCaseJson()
    {
        await using var host = await TestConnectorHost.StartAsync();
        var at = new DateTimeOffset(2026, 11, 24, 1, 0, 0, TimeSpan.Zero);
        host.Status.Status = new WorkerStatus
        {
            At = at,
            DatabaseReachable = true,
            Users =
            [
                new UserStatus
                {
                    UserId = "alice",
                    Mailbox = "alice@example.org",
                    Identity = "admin1",
                    LastSuccessAt = at.AddMinutes(-3),
                    DueAt = at.AddMinutes(2),
                    Lag = TimeSpan.FromMinutes(3),
                    LastError = "EWS: ErrorItemNotFound",
                    ConsecutiveFailures = 1,
                },
            ],
            Identities = [new IdentityStatus { Name = "admin1", Backend = "Ews", AssignedUsers = 1, MaxUsers = 50, BackingOffUntil = at.AddSeconds(30) }],
        };

        var (status, json) = await GetJsonAsync(host, "/api/status");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.True(json.GetProperty("ready").GetBoolean());
        Assert.True(json.GetProperty("databaseReachable").GetBoolean());
        Assert.Equal(at, json.GetProperty("at").GetDateTimeOffset());
        var user = Assert.Single(json.GetProperty("users").EnumerateArray().ToArray());
        Assert.Equal("alice", user.GetProperty("userId").GetString());
        Assert.Equal("alice@example.org", user.GetProperty("mailbox").GetString());
        Assert.Equal("admin1", user.GetProperty("identity").GetString());
        Assert.Equal("00:03:00", user.GetProperty("lag").GetString());
        Assert.Equal("EWS: ErrorItemNotFound", user.GetProperty("lastError").GetString());
        Assert.Equal(1, user.GetProperty("consecutiveFailures").GetInt32());
        var identity = Assert.Single(json.GetProperty("identities").EnumerateArray().ToArray());
        Assert.Equal("admin1", identity.GetProperty("name").GetString());
        Assert.Equal(50, identity.GetProperty("maxUsers").GetInt32());
        Assert.False(identity.GetProperty("quarantined").GetBoolean());
        Assert.Equal(at.AddSeconds(30), identity.GetProperty("backingOffUntil").GetDateTimeOffset());
    }

    [Fact]
    public async Task HttpDisabled_HostRunsWithoutListening()
    {
        await using var host = await TestConnectorHost.StartAsync(new Dictionary<string, string?> { ["Http:Enabled"] = "false" });

        Assert.Empty(host.App.Urls);
    }

    private static async Task<(HttpStatusCode Status, JsonElement Json)> GetJsonAsync(TestConnectorHost host, string path)
    {
        using var response = await host.Client.GetAsync(new Uri(path, UriKind.Relative));
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return (response.StatusCode, json.RootElement.Clone());
    }
}
