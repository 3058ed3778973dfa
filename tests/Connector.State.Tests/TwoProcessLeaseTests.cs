using Connector.Sync.State;
using Connector.Testing;
using Npgsql;
using Xunit.Abstractions;

namespace Connector.State.Tests;

/// <summary>
/// Two worker processes (Connector.State.LeaseWorker) share one PostgreSQL state store, as replicas do; they
/// start together and both migrate the empty schema. Each
/// records in <c>lease_claims</c> when it believed it held which user: from just after its claim returned to
/// just before it released the lease (or, for a killed worker, to the moment it was dead). Rounds start by
/// making all users due; a worker's release makes a user due in 2100, so a round ends when every user is
/// released. The claims of a round are then checked: every user once, and no two intervals of one user
/// overlapping. In the last round one worker is killed while it holds users; the other must take them over,
/// and only once their leases expired.
/// </summary>
public sealed class TwoProcessLeaseTests(ITestOutputHelper output)
{
    private const int UserCount = 200;
    private const int MaxPerClaim = 30;

    /// <summary>Short, but long enough that a busy CI machine does not miss a renewal (renewed every third).</summary>
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(3);

    /// <summary>Per user: a batch of 30 takes 1.2 s, so leases of waiting users are renewed during it.</summary>
    private static readonly TimeSpan Work = TimeSpan.FromMilliseconds(40);

    private static readonly DateTimeOffset NextRound = new(2100, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [ServerFact(TestServer.Postgres)]
    public async Task S03_TwoWorkerProcesses_ClaimEveryUserOncePerRound_AndTakeOverAKilledWorkersUsersAfterTheirLeasesExpire()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        var cancellation = timeout.Token;
        await using var schema = await PostgresTestSchema.CreateAsync(cancellation);
        await schema.ExecuteInSchemaAsync("""
            CREATE TABLE lease_claims (
                id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                worker           text        NOT NULL,
                user_id          text        NOT NULL,
                hold_start       timestamptz NOT NULL,
                hold_end         timestamptz,
                lease_expires_at timestamptz NOT NULL,
                lost             boolean     NOT NULL DEFAULT false)
            """, cancellation);

        // Both processes start at once and each runs MigrateAsync on the empty schema before it says ready.
        var starting = new[] { "worker-a", "worker-b" }
            .Select(id => LeaseWorkerProcess.StartAsync(id, schema.ConnectionString, Lease, MaxPerClaim, Work, cancellation))
            .ToList();
        await using var victim = await starting[0];
        await using var survivor = await starting[1];
        await using var db = NpgsqlDataSource.Create(schema.ConnectionString);
        Assert.Equal(1, await CountAsync(db, "SELECT count(*) FROM schema_version", null, cancellation));

        await using (var store = new PostgresStateStore(db))
        {
            for (var i = 0; i < UserCount; i++)
            {
                await store.UpsertUserAsync(new UserRecord { UserId = $"user{i:D3}", Mailbox = $"user{i:D3}@example.org", DueAt = NextRound }, cancellation);
            }
        }

        var renewed = 0;
        for (var round = 1; round <= 2; round++)
        {
            var claims = await RunRoundAsync(db, [victim, survivor], duringRound: null, cancellation);

            Assert.All(claims.GroupBy(c => c.UserId), g => Assert.Single(g));
            Assert.Equal(UserCount, claims.Select(c => c.UserId).Distinct().Count());
            Assert.Contains(claims, c => c.Worker == victim.WorkerId);
            Assert.Contains(claims, c => c.Worker == survivor.WorkerId);
            AssertNoOverlap(claims, killed: null, killedAt: default);
            renewed += claims.Count(c => c.LeaseExpiresAt - c.HoldStart > Lease);
            output.WriteLine($"round {round}: {Describe(claims)}");
        }

        Assert.True(renewed > 0, "No lease was ever renewed: the batches are meant to outlast a third of the lease.");

        // The kill round: worker-a dies holding users; worker-b finishes the round, with worker-a's users too.
        var killedAt = DateTimeOffset.MinValue;
        var last = await RunRoundAsync(db, [victim, survivor], async roundStart =>
        {
            // Mid-work: it has finished a user of its batch and still holds at least three.
            await WaitUntilAsync(
                async () => await CountAsync(db, "SELECT count(*) FILTER (WHERE hold_end IS NULL) >= 3 AND count(*) FILTER (WHERE hold_end IS NOT NULL) >= 1 FROM lease_claims WHERE id > @start AND worker = 'worker-a'", roundStart, cancellation) == 1,
                victim,
                cancellation);
            await victim.KillAsync();
            killedAt = DateTimeOffset.UtcNow;
        }, cancellation);

        var heldWhenKilled = last.Where(c => c.Worker == victim.WorkerId && c.HoldEnd is null).ToList();
        Assert.True(heldWhenKilled.Count >= 3, $"worker-a held {heldWhenKilled.Count} users when killed");
        Assert.Equal(UserCount, last.Select(c => c.UserId).Distinct().Count());
        foreach (var user in last.GroupBy(c => c.UserId))
        {
            var ordered = user.OrderBy(c => c.HoldStart).ToList();
            Assert.NotNull(ordered[^1].HoldEnd);
            Assert.All(ordered.SkipLast(1), c => Assert.Equal(victim.WorkerId, c.Worker));
        }

        foreach (var dead in heldWhenKilled)
        {
            var takeover = Assert.Single(last, c => c.UserId == dead.UserId && c.Worker == survivor.WorkerId);
            Assert.True(takeover.HoldStart >= dead.LeaseExpiresAt,
                $"{dead.UserId}: worker-b took it at {takeover.HoldStart:O}, before worker-a's lease expired at {dead.LeaseExpiresAt:O}");
        }

        AssertNoOverlap(last, victim.WorkerId, killedAt);
        var delays = heldWhenKilled.Select(d => (last.Single(c => c.UserId == d.UserId && c.Worker == survivor.WorkerId).HoldStart - d.LeaseExpiresAt).TotalMilliseconds).ToList();
        output.WriteLine($"kill round: {Describe(last)}; worker-a had finished {last.Count(c => c.Worker == victim.WorkerId && c.HoldEnd is not null)} and held {heldWhenKilled.Count} recorded users when killed; "
            + $"worker-b took them over {delays.Min():F0}–{delays.Max():F0} ms after their leases expired; {renewed} renewals in rounds 1–2");
        Assert.DoesNotContain(last, c => c.Lost);
        Assert.Equal(0, await survivor.StopAsync());
        Assert.True(survivor.Errors.Length == 0, survivor.Errors);
    }

    private static string Describe(List<Claim> claims) =>
        string.Join(", ", claims.GroupBy(c => c.Worker).OrderBy(g => g.Key).Select(g => $"{g.Key} {g.Count()} claims"));

    /// <summary>Makes every user due, optionally acts while the round runs, waits until every user is released, and returns the round's claims.</summary>
    private static async Task<List<Claim>> RunRoundAsync(NpgsqlDataSource db, LeaseWorkerProcess[] workers, Func<long, Task>? duringRound, CancellationToken cancellationToken)
    {
        var roundStart = await CountAsync(db, "SELECT coalesce(max(id), 0) FROM lease_claims", null, cancellationToken);
        await using (var due = db.CreateCommand("UPDATE users SET due_at = now()"))
        {
            await due.ExecuteNonQueryAsync(cancellationToken);
        }

        if (duringRound is not null)
        {
            await duringRound(roundStart);
        }

        var live = workers.First(w => !w.HasExited);
        await WaitUntilAsync(async () => await CountAsync(db, "SELECT count(*) FROM users WHERE lease_owner IS NULL AND due_at >= '2099-01-01'", null, cancellationToken) == UserCount, live, cancellationToken);
        return await ReadClaimsAsync(db, roundStart, cancellationToken);
    }

    /// <summary>
    /// For each user, each interval ends before the next begins. An interval of the killed worker that it never
    /// closed ends when the worker was dead.
    /// </summary>
    private static void AssertNoOverlap(List<Claim> claims, string? killed, DateTimeOffset killedAt)
    {
        foreach (var user in claims.GroupBy(c => c.UserId))
        {
            var ordered = user.OrderBy(c => c.HoldStart).ToList();
            for (var i = 1; i < ordered.Count; i++)
            {
                var previous = ordered[i - 1];
                var end = previous.HoldEnd ?? (previous.Worker == killed ? killedAt : DateTimeOffset.MaxValue);
                Assert.True(end <= ordered[i].HoldStart,
                    $"{user.Key} was held by {previous.Worker} until {end:O} and by {ordered[i].Worker} from {ordered[i].HoldStart:O}");
            }
        }
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, LeaseWorkerProcess watched, CancellationToken cancellationToken)
    {
        var deadline = DateTimeOffset.UtcNow.AddSeconds(90);
        while (!await condition())
        {
            Assert.False(watched.HasExited, $"{watched.WorkerId} exited. Its standard error:\n{watched.Errors}");
            Assert.True(DateTimeOffset.UtcNow < deadline, $"Timed out waiting on the workers. {watched.WorkerId}'s standard error:\n{watched.Errors}");
            await Task.Delay(5, cancellationToken);
        }
    }

    private static async Task<long> CountAsync(NpgsqlDataSource db, string sql, long? start, CancellationToken cancellationToken)
    {
        await using var command = db.CreateCommand(sql);
        if (start is { } value)
        {
            command.Parameters.AddWithValue("start", value);
        }

        // count(*) and max(id) are bigint; a bool (a condition) counts as 0 or 1.
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static async Task<List<Claim>> ReadClaimsAsync(NpgsqlDataSource db, long after, CancellationToken cancellationToken)
    {
        await using var command = db.CreateCommand("SELECT worker, user_id, hold_start, hold_end, lease_expires_at, lost FROM lease_claims WHERE id > @after ORDER BY id");
        command.Parameters.AddWithValue("after", after);
        var claims = new List<Claim>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            claims.Add(new Claim(
                reader.GetString(0),
                reader.GetString(1),
                reader.GetFieldValue<DateTimeOffset>(2),
                reader.IsDBNull(3) ? null : reader.GetFieldValue<DateTimeOffset>(3),
                reader.GetFieldValue<DateTimeOffset>(4),
                reader.GetBoolean(5)));
        }

        return claims;
    }

    private sealed record Claim(string Worker, string UserId, DateTimeOffset HoldStart, DateTimeOffset? HoldEnd, DateTimeOffset LeaseExpiresAt, bool Lost);
}
