using System.Collections.Concurrent;
using Connector.Sync.State;
using Connector.Sync.Stores;
using Xunit;

namespace Connector.Testing.Conformance;

/// <summary>Claims, renewals and releases of user leases; times come from a fake clock (<see cref="T0"/> + n).</summary>
public abstract partial class StateStoreConformanceTests
{
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(5);

    [ConformanceFact]
    public virtual async Task Claim_DueEnabledUsers_AreReturnedByDueTime()
    {
        var store = await MigratedStoreAsync();
        await store.UpsertUserAsync(User("late", T0.AddMinutes(-1)), Cancellation);
        await store.UpsertUserAsync(User("early", T0.AddMinutes(-30)), Cancellation);
        await store.UpsertUserAsync(User("exactly-now", T0), Cancellation);

        var claimed = await store.ClaimDueUsersAsync("w1", T0, Lease, 10, Cancellation);

        Assert.Equal(["early", "late", "exactly-now"], claimed.Select(u => u.UserId));
        Assert.Equal(User("early", T0.AddMinutes(-30)), claimed[0]);
    }

    [ConformanceFact]
    public virtual async Task Claim_NeverReturnsDisabledOrNotYetDueUsers()
    {
        var store = await MigratedStoreAsync();
        await store.UpsertUserAsync(User("disabled", T0.AddHours(-1), enabled: false), Cancellation);
        await store.UpsertUserAsync(User("future", T0.AddMinutes(1)), Cancellation);
        await store.UpsertUserAsync(User("due", T0), Cancellation);

        var claimed = await store.ClaimDueUsersAsync("w1", T0, Lease, 10, Cancellation);
        var notYet = await store.ClaimDueUsersAsync("w2", T0.AddMinutes(1) - TimeSpan.FromTicks(10), Lease, 10, Cancellation);
        var later = await store.ClaimDueUsersAsync("w2", T0.AddMinutes(1), Lease, 10, Cancellation);

        Assert.Equal(["due"], claimed.Select(u => u.UserId));
        Assert.Empty(notYet);
        Assert.Equal(["future"], later.Select(u => u.UserId));
    }

    [ConformanceFact]
    public virtual async Task Claim_TakesAtMostMax_EarliestDueFirst()
    {
        var store = await MigratedStoreAsync();
        for (var i = 0; i < 10; i++)
        {
            await store.UpsertUserAsync(User($"user{i}", T0.AddMinutes(-i)), Cancellation);
        }

        var first = await store.ClaimDueUsersAsync("w1", T0, Lease, 3, Cancellation);
        var second = await store.ClaimDueUsersAsync("w1", T0, Lease, 3, Cancellation);
        var none = await store.ClaimDueUsersAsync("w1", T0, Lease, 0, Cancellation);

        Assert.Equal(["user9", "user8", "user7"], first.Select(u => u.UserId));
        Assert.Equal(["user6", "user5", "user4"], second.Select(u => u.UserId));
        Assert.Empty(none);
    }

    [ConformanceFact]
    public virtual async Task Claim_LeasedUser_IsNotClaimedAgainUntilTheLeaseExpires()
    {
        var store = await MigratedStoreAsync();
        await store.UpsertUserAsync(User("alice", T0), Cancellation);
        await store.ClaimDueUsersAsync("w1", T0, Lease, 10, Cancellation);

        var byOther = await store.ClaimDueUsersAsync("w2", T0 + Lease - TimeSpan.FromSeconds(1), Lease, 10, Cancellation);
        var bySame = await store.ClaimDueUsersAsync("w1", T0.AddMinutes(1), Lease, 10, Cancellation);
        var afterExpiry = await store.ClaimDueUsersAsync("w2", T0 + Lease, Lease, 10, Cancellation);

        Assert.Empty(byOther);
        Assert.Empty(bySame);
        Assert.Equal(["alice"], afterExpiry.Select(u => u.UserId));
    }

    [ConformanceFact]
    public virtual async Task Claim_ExpiredLease_IsTakenOverAndTheOldOwnerLosesIt()
    {
        var store = await MigratedStoreAsync();
        await store.UpsertUserAsync(User("alice", T0), Cancellation);
        await store.ClaimDueUsersAsync("dead", T0, Lease, 10, Cancellation);

        var takenOver = await store.ClaimDueUsersAsync("w2", T0 + Lease + TimeSpan.FromSeconds(1), Lease, 10, Cancellation);

        Assert.Equal(["alice"], takenOver.Select(u => u.UserId));
        Assert.False(await store.RenewLeaseAsync("alice", "dead", T0 + Lease + TimeSpan.FromSeconds(2), Lease, Cancellation));
        await store.ReleaseLeaseAsync("dead", User("alice", T0.AddDays(9)) with { LastError = "stale" }, Cancellation);
        Assert.Equal(User("alice", T0), await store.GetUserAsync("alice", Cancellation));
        Assert.True(await store.RenewLeaseAsync("alice", "w2", T0 + Lease + TimeSpan.FromSeconds(2), Lease, Cancellation));
    }

    [ConformanceFact]
    public virtual async Task Renew_ByTheOwner_ExtendsTheLease()
    {
        var store = await MigratedStoreAsync();
        await store.UpsertUserAsync(User("alice", T0), Cancellation);
        await store.ClaimDueUsersAsync("w1", T0, Lease, 10, Cancellation);

        Assert.True(await store.RenewLeaseAsync("alice", "w1", T0.AddMinutes(4), Lease, Cancellation));

        Assert.Empty(await store.ClaimDueUsersAsync("w2", T0 + Lease, Lease, 10, Cancellation));
        Assert.Empty(await store.ClaimDueUsersAsync("w2", T0.AddMinutes(4) + Lease - TimeSpan.FromTicks(10), Lease, 10, Cancellation));
        Assert.Single(await store.ClaimDueUsersAsync("w2", T0.AddMinutes(4) + Lease, Lease, 10, Cancellation));
    }

    [ConformanceFact]
    public virtual async Task Renew_ByAnotherWorker_Fails()
    {
        var store = await MigratedStoreAsync();
        await store.UpsertUserAsync(User("alice", T0), Cancellation);
        await store.ClaimDueUsersAsync("w1", T0, Lease, 10, Cancellation);

        Assert.False(await store.RenewLeaseAsync("alice", "w2", T0.AddMinutes(1), Lease, Cancellation));
        Assert.False(await store.RenewLeaseAsync("nobody", "w1", T0.AddMinutes(1), Lease, Cancellation));

        Assert.Empty(await store.ClaimDueUsersAsync("w2", T0.AddMinutes(4), Lease, 10, Cancellation));
        Assert.Single(await store.ClaimDueUsersAsync("w2", T0 + Lease, Lease, 10, Cancellation));
    }

    [ConformanceFact]
    public virtual async Task Renew_ExpiredButNotTakenOver_Succeeds()
    {
        var store = await MigratedStoreAsync();
        await store.UpsertUserAsync(User("alice", T0), Cancellation);
        await store.ClaimDueUsersAsync("w1", T0, Lease, 10, Cancellation);

        Assert.True(await store.RenewLeaseAsync("alice", "w1", T0 + Lease + TimeSpan.FromSeconds(3), Lease, Cancellation));

        Assert.Empty(await store.ClaimDueUsersAsync("w2", T0 + Lease + TimeSpan.FromSeconds(4), Lease, 10, Cancellation));
    }

    [ConformanceFact]
    public virtual async Task Renew_AfterRelease_Fails()
    {
        var store = await MigratedStoreAsync();
        await store.UpsertUserAsync(User("alice", T0), Cancellation);
        await store.ClaimDueUsersAsync("w1", T0, Lease, 10, Cancellation);
        await store.ReleaseLeaseAsync("w1", User("alice", T0.AddHours(1)), Cancellation);

        Assert.False(await store.RenewLeaseAsync("alice", "w1", T0.AddMinutes(1), Lease, Cancellation));
    }

    [ConformanceFact]
    public virtual async Task Release_ByTheOwner_WritesTheOutcomeAndFreesTheLease()
    {
        var store = await MigratedStoreAsync();
        var user = User("alice", T0) with { IdentityName = "id-1", SyncMode = ItemKind.Contact };
        await store.UpsertUserAsync(user, Cancellation);
        await store.ClaimDueUsersAsync("w1", T0, Lease, 10, Cancellation);
        var outcome = user with
        {
            // Fields that are not the run's outcome are the user source's: Release must not write them.
            Mailbox = "ignored@example.org",
            IdentityName = "ignored",
            Enabled = false,
            DueAt = T0.AddMinutes(15),
            LastSuccessAt = T0.AddMinutes(2),
            LastAttemptAt = T0.AddMinutes(2),
            LastError = null,
            ConsecutiveFailures = 0,
        };

        await store.ReleaseLeaseAsync("w1", outcome, Cancellation);

        Assert.Equal(user with { DueAt = T0.AddMinutes(15), LastSuccessAt = T0.AddMinutes(2), LastAttemptAt = T0.AddMinutes(2) }, await store.GetUserAsync("alice", Cancellation));
        Assert.Empty(await store.ClaimDueUsersAsync("w2", T0.AddMinutes(14), Lease, 10, Cancellation));
        Assert.Single(await store.ClaimDueUsersAsync("w2", T0.AddMinutes(15), Lease, 10, Cancellation));
    }

    [ConformanceFact]
    public virtual async Task Release_Failure_RecordsTheErrorAndFailureCount()
    {
        var store = await MigratedStoreAsync();
        await store.UpsertUserAsync(User("alice", T0) with { LastSuccessAt = T0.AddHours(-1), ConsecutiveFailures = 1 }, Cancellation);
        await store.ClaimDueUsersAsync("w1", T0, Lease, 10, Cancellation);
        var outcome = User("alice", T0.AddMinutes(1)) with { LastSuccessAt = T0.AddHours(-1), LastAttemptAt = T0, LastError = "ErrorServerBusy", ConsecutiveFailures = 2 };

        await store.ReleaseLeaseAsync("w1", outcome, Cancellation);

        Assert.Equal(outcome, await store.GetUserAsync("alice", Cancellation));
    }

    [ConformanceFact]
    public virtual async Task Release_ByAnotherWorker_WritesNothing()
    {
        var store = await MigratedStoreAsync();
        await store.UpsertUserAsync(User("alice", T0), Cancellation);
        await store.ClaimDueUsersAsync("w1", T0, Lease, 10, Cancellation);

        await store.ReleaseLeaseAsync("w2", User("alice", T0.AddDays(1)) with { LastError = "not mine" }, Cancellation);

        Assert.Equal(User("alice", T0), await store.GetUserAsync("alice", Cancellation));
        Assert.True(await store.RenewLeaseAsync("alice", "w1", T0.AddMinutes(1), Lease, Cancellation));
    }

    [ConformanceFact]
    public virtual async Task UpsertUser_UnderLease_KeepsTheLease()
    {
        var store = await MigratedStoreAsync();
        await store.UpsertUserAsync(User("alice", T0), Cancellation);
        await store.ClaimDueUsersAsync("w1", T0, Lease, 10, Cancellation);

        await store.UpsertUserAsync(User("alice", T0) with { Mailbox = "new@example.org" }, Cancellation);

        Assert.Empty(await store.ClaimDueUsersAsync("w2", T0.AddMinutes(1), Lease, 10, Cancellation));
        Assert.True(await store.RenewLeaseAsync("alice", "w1", T0.AddMinutes(1), Lease, Cancellation));
    }

    [ConformanceFact]
    public virtual async Task S03_Claim_ConcurrentWorkers_NeverGetTheSameUser()
    {
        const int userCount = 200;
        var setup = await MigratedStoreAsync();
        for (var i = 0; i < userCount; i++)
        {
            await setup.UpsertUserAsync(User($"user{i:D3}", T0.AddSeconds(-i)), Cancellation);
        }

        var claims = new ConcurrentBag<(string Worker, string UserId)>();
        var workers = Enumerable.Range(0, 6).Select(w => (Id: $"w{w}", Store: NewStore())).ToList();
        await Task.WhenAll(workers.Select(worker => Task.Run(async () =>
        {
            // Bounded: a store that hands out leased users would otherwise claim forever.
            for (var attempt = 0; attempt < userCount; attempt++)
            {
                var claimed = await worker.Store.ClaimDueUsersAsync(worker.Id, T0, Lease, 7, Cancellation);
                if (claimed.Count == 0)
                {
                    return;
                }

                foreach (var user in claimed)
                {
                    claims.Add((worker.Id, user.UserId));
                }
            }
        })));

        var byUser = claims.GroupBy(c => c.UserId).ToList();
        Assert.Equal(userCount, byUser.Count);
        Assert.All(byUser, g => Assert.Single(g));
    }
}
