using System.Globalization;
using Connector.State;
using Connector.Sync.State;
using Npgsql;

namespace Connector.State.LeaseWorker;

/// <summary>
/// <c>Connector.State.LeaseWorker WORKER-ID LEASE-MS MAX-PER-CLAIM WORK-MS</c>, with the connection string (its
/// search path naming the test's schema) in <c>CONNECTOR_LEASE_WORKER_DB</c>. Migrates the store and prints <c>ready</c>,
/// then claims due users in a loop until standard input closes. For each claimed user it records in
/// <c>lease_claims</c> the moment it started to believe it held the user (after the claim returned), the
/// lease expiry it was given (updated on each renewal) and the moment it stopped believing (before it
/// released the lease). Working on a user is a sleep of WORK-MS; the release makes the user due in 2100, so
/// each user is claimed once per round the test starts by making users due again. Leases of users still
/// waiting in the batch are renewed every third of the lease; a user whose renewal fails is dropped.
/// </summary>
public static class Program
{
    private static readonly DateTimeOffset NextRound = new(2100, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static async Task<int> Main(string[] args)
    {
        if (args.Length != 4 || Environment.GetEnvironmentVariable("CONNECTOR_LEASE_WORKER_DB") is not { Length: > 0 } connectionString)
        {
            await Console.Error.WriteLineAsync("usage: CONNECTOR_LEASE_WORKER_DB=... Connector.State.LeaseWorker WORKER-ID LEASE-MS MAX-PER-CLAIM WORK-MS");
            return 2;
        }

        var workerId = args[0];
        var lease = TimeSpan.FromMilliseconds(int.Parse(args[1], CultureInfo.InvariantCulture));
        var maxPerClaim = int.Parse(args[2], CultureInfo.InvariantCulture);
        var work = TimeSpan.FromMilliseconds(int.Parse(args[3], CultureInfo.InvariantCulture));

        using var stop = new CancellationTokenSource();
        _ = Task.Run(async () =>
        {
            // Standard input closing (or a "quit" line) is the signal to stop.
            while (await Console.In.ReadLineAsync() is { } line && line != "quit")
            {
            }

            await stop.CancelAsync();
        });

        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        await using var store = new PostgresStateStore(dataSource);
        // Both workers of the test start together on an empty schema: this is also the two-process migration test.
        await store.MigrateAsync(CancellationToken.None);
        Console.WriteLine("ready");

        var clock = TimeProvider.System;
        while (!stop.IsCancellationRequested)
        {
            var now = clock.GetUtcNow();
            var claimed = await store.ClaimDueUsersAsync(workerId, now, lease, maxPerClaim, CancellationToken.None);
            if (claimed.Count == 0)
            {
                await Task.Delay(10, CancellationToken.None);
                continue;
            }

            var holdStart = clock.GetUtcNow();
            var held = new List<(UserRecord User, long ClaimId)>();
            foreach (var user in claimed)
            {
                held.Add((user, await RecordClaimAsync(dataSource, workerId, user.UserId, holdStart, now + lease)));
            }

            var lastRenewal = now;
            for (var i = 0; i < held.Count; i++)
            {
                var (user, claimId) = held[i];
                if (clock.GetUtcNow() - lastRenewal > lease / 3)
                {
                    lastRenewal = clock.GetUtcNow();
                    if (!await RenewRemainingAsync(store, dataSource, workerId, held, i, lastRenewal, lease))
                    {
                        continue;
                    }
                }

                await Task.Delay(work, CancellationToken.None);
                await EndClaimAsync(dataSource, claimId, clock.GetUtcNow());
                var finished = clock.GetUtcNow();
                await store.ReleaseLeaseAsync(workerId, user with { DueAt = NextRound, LastSuccessAt = finished, LastAttemptAt = finished, LastError = null, ConsecutiveFailures = 0 }, CancellationToken.None);
            }
        }

        return 0;
    }

    /// <summary>Renews the leases of held[from..]; false when held[from] itself was lost (it is then skipped).</summary>
    private static async Task<bool> RenewRemainingAsync(PostgresStateStore store, NpgsqlDataSource dataSource, string workerId, List<(UserRecord User, long ClaimId)> held, int from, DateTimeOffset now, TimeSpan lease)
    {
        var firstKept = true;
        for (var j = from; j < held.Count; j++)
        {
            if (await store.RenewLeaseAsync(held[j].User.UserId, workerId, now, lease, CancellationToken.None))
            {
                await using var command = dataSource.CreateCommand("UPDATE lease_claims SET lease_expires_at = @expires WHERE id = @id");
                command.Parameters.AddWithValue("expires", now + lease);
                command.Parameters.AddWithValue("id", held[j].ClaimId);
                await command.ExecuteNonQueryAsync();
            }
            else
            {
                await EndClaimAsync(dataSource, held[j].ClaimId, TimeProvider.System.GetUtcNow());
                await using var lost = dataSource.CreateCommand("UPDATE lease_claims SET lost = true WHERE id = @id");
                lost.Parameters.AddWithValue("id", held[j].ClaimId);
                await lost.ExecuteNonQueryAsync();
                firstKept &= j != from;
            }
        }

        return firstKept;
    }

    private static async Task<long> RecordClaimAsync(NpgsqlDataSource dataSource, string workerId, string userId, DateTimeOffset holdStart, DateTimeOffset leaseExpiresAt)
    {
        await using var command = dataSource.CreateCommand(
            "INSERT INTO lease_claims (worker, user_id, hold_start, lease_expires_at) VALUES (@worker, @user, @start, @expires) RETURNING id");
        command.Parameters.AddWithValue("worker", workerId);
        command.Parameters.AddWithValue("user", userId);
        command.Parameters.AddWithValue("start", holdStart);
        command.Parameters.AddWithValue("expires", leaseExpiresAt);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private static async Task EndClaimAsync(NpgsqlDataSource dataSource, long claimId, DateTimeOffset holdEnd)
    {
        await using var command = dataSource.CreateCommand("UPDATE lease_claims SET hold_end = @end WHERE id = @id");
        command.Parameters.AddWithValue("end", holdEnd);
        command.Parameters.AddWithValue("id", claimId);
        await command.ExecuteNonQueryAsync();
    }
}
