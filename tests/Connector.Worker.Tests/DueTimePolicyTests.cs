using Connector.Sync.State;
using Connector.Worker.Configuration;
using Connector.Worker.Running;
using Connector.Worker.Scheduling;
using Microsoft.Extensions.Time.Testing;

namespace Connector.Worker.Tests;

public sealed class DueTimePolicyTests
{
    private static readonly ServiceSettings Settings = new() { SyncInterval = TimeSpan.FromSeconds(300), CriticalSyncInterval = TimeSpan.FromSeconds(30) };
    private readonly FakeTimeProvider time = new(DateTimeOffset.Parse("2026-01-05T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture));

    private static readonly UserRecord User = new() { UserId = "alice", Mailbox = "alice@contoso.com", IdentityName = "ews-a" };

    private static UserRunOutcome Outcome(UserRunStatus status, bool firstSyncPending = false, string? error = null) => new(status, error, [], firstSyncPending);

    [Fact]
    public void Success_IsDueAfterTheNormalInterval_AndClearsFailures()
    {
        var now = time.GetUtcNow();

        var next = DueTimePolicy.Next(User with { ConsecutiveFailures = 3, LastError = "x" }, Outcome(UserRunStatus.Success), nudged: false, now, Settings);

        Assert.Equal(now + TimeSpan.FromSeconds(300), next.DueAt);
        Assert.Equal(now, next.LastSuccessAt);
        Assert.Equal(0, next.ConsecutiveFailures);
        Assert.Null(next.LastError);
    }

    [Fact]
    public void NudgeWhileRunning_OrFirstSyncNotFinished_IsCritical()
    {
        var now = time.GetUtcNow();

        Assert.Equal(now + TimeSpan.FromSeconds(30), DueTimePolicy.Next(User, Outcome(UserRunStatus.Success), nudged: true, now, Settings).DueAt);
        Assert.Equal(now + TimeSpan.FromSeconds(30), DueTimePolicy.Next(User, Outcome(UserRunStatus.Success, firstSyncPending: true), nudged: false, now, Settings).DueAt);
    }

    [Fact]
    public void Failures_BackOffFromTheCriticalInterval_DoublingUpToTheNormalInterval()
    {
        var user = User;
        var waits = new List<TimeSpan>();
        for (var i = 0; i < 6; i++)
        {
            var now = time.GetUtcNow();
            user = DueTimePolicy.Next(user, Outcome(UserRunStatus.Failed, error: "EWS unreachable"), nudged: false, now, Settings);
            waits.Add(user.DueAt - now);
            time.Advance(user.DueAt - now);
        }

        Assert.Equal(new[] { 30, 60, 120, 240, 300, 300 }, waits.Select(w => (int)w.TotalSeconds));
        Assert.Equal(6, user.ConsecutiveFailures);
        Assert.Equal("EWS unreachable", user.LastError);
        Assert.Null(user.LastSuccessAt);

        var recovered = DueTimePolicy.Next(user, Outcome(UserRunStatus.Success), nudged: false, time.GetUtcNow(), Settings);
        Assert.Equal(0, recovered.ConsecutiveFailures);
    }

    [Fact]
    public void HaltedPair_WaitsTheNormalInterval_WithItsReason()
    {
        var now = time.GetUtcNow();

        var next = DueTimePolicy.Next(User, Outcome(UserRunStatus.Halted, error: "calendar: halted: 12 of 20 items disappeared"), nudged: true, now, Settings);

        Assert.Equal(now + TimeSpan.FromSeconds(300), next.DueAt);
        Assert.Equal("calendar: halted: 12 of 20 items disappeared", next.LastError);
    }

    [Fact]
    public void IdentityRejected_IsNotCountedAgainstTheUser_AndRetriedSoonWithAnotherIdentity()
    {
        var now = time.GetUtcNow();

        var next = DueTimePolicy.Next(User with { ConsecutiveFailures = 2 }, Outcome(UserRunStatus.IdentityCredentialRejected, error: "rejected"), nudged: false, now, Settings);

        Assert.Equal(2, next.ConsecutiveFailures);
        Assert.Equal(now + TimeSpan.FromSeconds(30), next.DueAt);
    }

    [Fact]
    public void NextcloudRejected_NeverComesBackInATightLoop()
    {
        var now = time.GetUtcNow();

        var next = DueTimePolicy.Next(User, Outcome(UserRunStatus.NextcloudCredentialRejected, error: "401"), nudged: true, now, Settings);

        Assert.True(next.DueAt >= now + Settings.SyncInterval);
        Assert.Equal(1, next.ConsecutiveFailures);
    }

    [Fact]
    public void InterruptedByShutdown_IsDueAtOnce_AndCountsNothing()
    {
        var now = time.GetUtcNow();

        var next = DueTimePolicy.Interrupted(User with { DueAt = now.AddHours(1), ConsecutiveFailures = 1 }, now);

        Assert.Equal(now, next.DueAt);
        Assert.Equal(1, next.ConsecutiveFailures);
        Assert.Null(next.LastSuccessAt);
    }
}
