using Connector.Sync.State;
using Connector.Testing;
using Connector.Worker.Configuration;
using Connector.Worker.Observability;
using Connector.Worker.Scheduling;

namespace Connector.Worker.Tests;

/// <summary>
/// S16 through the worker: an identity whose credentials Exchange rejects is quarantined and its users
/// move to another identity; a Nextcloud that rejects a user's app password stops that user (no retry
/// loop) until the password in the users file changes.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "xunit disposes through IAsyncLifetime.DisposeAsync.")]
public sealed class CredentialTests : IAsyncLifetime
{
    private WorkerTestBed bed = null!;

    public async Task InitializeAsync() => bed = await WorkerTestBed.StartAsync("connector-credentials-");

    public async Task DisposeAsync() => await bed.DisposeAsync();

    private ConnectorSettings Settings(string admins, string users) => bed.WriteSettings(
        admins,
        users,
        ("Service__SyncIntervalInSeconds", "3600"),
        ("Service__CriticalSyncIntervalInSeconds", "1"),
        ("Service__SyncMode", "1"));

    private static Task<UserRecord> WaitForAsync(WorkerRuntime runtime, string userId, Func<UserRecord, bool> condition) =>
        WorkerTestBed.WaitForAsync(runtime, userId, condition);

    [Fact]
    public async Task RejectedIdentity_IsQuarantined_AndItsUsersMoveToTheOther()
    {
        // "svc-bad" sorts first, so the first assignment puts alice there.
        var settings = Settings(
            $$"""
            [
              { "Name": "svc-bad", "ExchangeType": 2, "Username": "svc-sync", "Password": "not-the-password", "EwsUrl": "{{bed.Emulator.EwsUri}}" },
              { "Name": "svc-sync", "ExchangeType": 2, "Username": "svc-sync", "Password": "Passw0rd!", "EwsUrl": "{{bed.Emulator.EwsUri}}" }
            ]
            """,
            """[ { "UserId": "alice", "Mailbox": "alice@contoso.com", "VdirPath": "nc/alice" } ]""");
        using var metrics = new WorkerMetrics();
        await using var runtime = await WorkerRuntime.CreateAsync(settings, CancellationToken.None, metrics: metrics);
        await runtime.Directory.RefreshAsync(CancellationToken.None);
        Assert.Equal("svc-bad", (await runtime.State.GetUserAsync("alice", CancellationToken.None))!.IdentityName);
        using var scheduler = new SyncScheduler(settings.Service, runtime.State, runtime.Directory, runtime.Runner, metrics) { PollInterval = TimeSpan.FromMilliseconds(50) };

        await scheduler.StartAsync(CancellationToken.None);
        var synced = await WaitForAsync(runtime, "alice", u => u.LastSuccessAt is not null);
        await scheduler.StopAsync(CancellationToken.None);

        Assert.Equal("svc-sync", synced.IdentityName);
        Assert.Equal(0, synced.ConsecutiveFailures);
        Assert.True(runtime.Pool.IsQuarantined("svc-bad"));
        var status = await runtime.Status.GetStatusAsync(CancellationToken.None);
        var bad = status.Identities.Single(i => i.Name == "svc-bad");
        Assert.True(bad.Quarantined);
        Assert.Equal(0, bad.AssignedUsers);
        Assert.Equal(1, status.Identities.Single(i => i.Name == "svc-sync").AssignedUsers);
        Assert.True(status.Ready);
        var log = await runtime.State.GetLogAsync("alice", 10, CancellationToken.None);
        Assert.Contains(log, l => l.Message.Contains("Exchange rejected the credentials of identity svc-bad", StringComparison.Ordinal));
        Assert.DoesNotContain(log, l => l.Message.Contains("not-the-password", StringComparison.Ordinal));
    }

    [ServerFact(TestServer.Radicale)]
    public async Task NextcloudRejectsTheAppPassword_UserIsStopped_UntilThePasswordChanges()
    {
        var radicale = TestServerEnvironment.Radicale;
        await RadicaleAccounts.EmptyAsync(radicale.BaseUri, "wk4");
        string Users(string password) => $$"""[ { "UserId": "alice", "Mailbox": "alice@contoso.com", "DavUrl": "{{radicale.BaseUri}}", "DavUser": "wk4", "DavPassword": "{{password}}" } ]""";
        var settings = Settings(
            $$"""[ { "Name": "svc-sync", "ExchangeType": 2, "Username": "svc-sync", "Password": "Passw0rd!", "EwsUrl": "{{bed.Emulator.EwsUri}}" } ]""",
            Users("revoked-app-password"));
        using var metrics = new WorkerMetrics();
        await using var runtime = await WorkerRuntime.CreateAsync(settings, CancellationToken.None, metrics: metrics);
        using var scheduler = new SyncScheduler(settings.Service, runtime.State, runtime.Directory, runtime.Runner, metrics) { PollInterval = TimeSpan.FromMilliseconds(50) };

        await scheduler.StartAsync(CancellationToken.None);
        var stopped = await WaitForAsync(runtime, "alice", u => !u.Enabled);
        var attempts = stopped.LastAttemptAt;

        // Refreshes and claims go on (critical interval 1 s), but the stopped user is never tried again.
        await runtime.Directory.RefreshAsync(CancellationToken.None);
        await Task.Delay(TimeSpan.FromSeconds(2.5));
        var still = (await runtime.State.GetUserAsync("alice", CancellationToken.None))!;
        Assert.False(still.Enabled);
        Assert.Equal(attempts, still.LastAttemptAt);
        Assert.Contains("Nextcloud rejected the user's app password (401)", still.LastError, StringComparison.Ordinal);
        Assert.DoesNotContain("revoked-app-password", still.LastError, StringComparison.Ordinal);

        // The administrator (or the Nextcloud app) puts a new app password in place: the user runs again.
        File.WriteAllText(Path.Combine(bed.Folder, "users.json"), Users(RadicaleAccounts.Password("wk4")));
        var synced = await WaitForAsync(runtime, "alice", u => u.LastSuccessAt is not null);
        await scheduler.StopAsync(CancellationToken.None);

        Assert.True(synced.Enabled);
        Assert.Null(synced.LastError);
    }
}
