using Connector.Sync.Resilience;
using Connector.Sync.State;
using Connector.Worker.Identities;
using Connector.Worker.Pool;
using Microsoft.Extensions.Time.Testing;

namespace Connector.Worker.Tests;

public sealed class IdentityAssignmentTests
{
    private static readonly string[] Identities = ["ews-a", "ews-b"];

    private static UserRecord User(string id, string? identity = null, bool enabled = true) =>
        new() { UserId = id, Mailbox = id + "@contoso.com", IdentityName = identity, Enabled = enabled };

    private static Dictionary<string, string?> Apply(IReadOnlyList<UserRecord> users, IReadOnlyList<UserRecord> changes) =>
        users.ToDictionary(u => u.UserId, u => changes.FirstOrDefault(c => c.UserId == u.UserId)?.IdentityName ?? (changes.Any(c => c.UserId == u.UserId) ? null : u.IdentityName));

    [Fact]
    public void NewUsers_AreSpreadOverIdentities_UpToTheLimit()
    {
        var users = Enumerable.Range(1, 5).Select(i => User($"u{i}")).ToList();

        var result = Apply(users, IdentityAssignment.Assign(users, Identities, new HashSet<string>(), maxUsersPerIdentity: 2));

        Assert.Equal(2, result.Values.Count(v => v == "ews-a"));
        Assert.Equal(2, result.Values.Count(v => v == "ews-b"));
        Assert.Single(result.Values, v => v is null); // the fifth has no room
    }

    [Fact]
    public void Assignment_IsSticky_AndASecondRunChangesNothing()
    {
        var users = new List<UserRecord> { User("u1", "ews-b"), User("u2", "ews-b"), User("u3") };

        var changes = IdentityAssignment.Assign(users, Identities, new HashSet<string>(), maxUsersPerIdentity: 10);

        var change = Assert.Single(changes);
        Assert.Equal(("u3", "ews-a"), (change.UserId, change.IdentityName));
        var settled = users.Select(u => u.UserId == "u3" ? change : u).ToList();
        Assert.Empty(IdentityAssignment.Assign(settled, Identities, new HashSet<string>(), maxUsersPerIdentity: 10));
    }

    [Fact]
    public void QuarantinedIdentity_ItsUsersMoveToTheOthers()
    {
        var users = new List<UserRecord> { User("u1", "ews-a"), User("u2", "ews-a"), User("u3", "ews-b") };

        var changes = IdentityAssignment.Assign(users, Identities, new HashSet<string> { "ews-a" }, maxUsersPerIdentity: 10);

        Assert.Equal(2, changes.Count);
        Assert.All(changes, c => Assert.Equal("ews-b", c.IdentityName));
    }

    [Fact]
    public void RemovedIdentity_OrOverfullIdentity_IsRebalanced_DisabledUsersAreIgnored()
    {
        var users = new List<UserRecord> { User("u1", "gone"), User("u2", "ews-a"), User("u3", "ews-a"), User("u4", "ews-a", enabled: false) };

        var changes = IdentityAssignment.Assign(users, Identities, new HashSet<string>(), maxUsersPerIdentity: 1);

        Assert.Equal(["u1", "u3"], changes.Select(c => c.UserId).Order());
        Assert.Equal("ews-b", changes.Single(c => c.UserId == "u1").IdentityName);
        Assert.Null(changes.Single(c => c.UserId == "u3").IdentityName); // ews-a keeps u2, ews-b is full
    }

    [Fact]
    public void Users_GoOnlyToIdentitiesThatCanServeThem_AndLeaveOnesThatCannot()
    {
        // "m365" serves Microsoft 365 mailboxes only; u1 sits on it by mistake (an older assignment).
        string[] identities = ["ews-a", "m365"];
        var users = new List<UserRecord> { User("u1", "m365"), User("u2"), User("cloud1"), User("cloud2") };
        bool CanServe(UserRecord u, string identity) => u.UserId.StartsWith("cloud", StringComparison.Ordinal) == (identity == "m365");

        var result = Apply(users, IdentityAssignment.Assign(users, identities, new HashSet<string>(), maxUsersPerIdentity: 10, CanServe));

        Assert.Equal("ews-a", result["u1"]);
        Assert.Equal("ews-a", result["u2"]);
        Assert.Equal("m365", result["cloud1"]);
        Assert.Equal("m365", result["cloud2"]);
    }

    [Fact]
    public async Task Pool_QuarantineEndsAfterItsTime_AndBudgetLimitsConcurrentUsers()
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-01-05T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        var identity = new AdminIdentity { Name = "ews-a", ExchangeType = ExchangeType.ExchangeServer, Username = "u", Password = "p", EwsUrl = new Uri("https://x/") };
        using var pool = new IdentityPool([identity], maxUsersPerIdentity: 10, concurrentUsersPerIdentity: 1, TimeSpan.FromMinutes(15), new ThrottleGates(time), time);

        pool.Quarantine("ews-a", "401");
        Assert.True(pool.IsQuarantined("ews-a"));
        var status = Assert.Single(pool.Status(new Dictionary<string, int> { ["ews-a"] = 3 }));
        Assert.True(status.Quarantined);
        Assert.Equal(3, status.AssignedUsers);
        time.Advance(TimeSpan.FromMinutes(16));
        Assert.False(pool.IsQuarantined("ews-a"));

        var first = await pool.EnterAsync("ews-a", CancellationToken.None);
        var second = pool.EnterAsync("ews-a", CancellationToken.None);
        Assert.False(second.IsCompleted);
        first.Dispose();
        (await second).Dispose();
    }
}
