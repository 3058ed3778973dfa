using Connector.Sync.State;
using Connector.Worker.Observability;
using Connector.Worker.Pool;

namespace Connector.Worker.Status;

/// <summary>Reads status from the state store (users: shared by every replica) and the pool (this worker's view of identities).</summary>
public sealed class WorkerStatusSource : IWorkerStatusSource
{
    private readonly IStateStore state;
    private readonly IdentityPool pool;
    private readonly TimeProvider time;

    public WorkerStatusSource(IStateStore state, IdentityPool pool, TimeProvider? time = null)
    {
        this.state = state;
        this.pool = pool;
        this.time = time ?? TimeProvider.System;
    }

    public async Task<WorkerStatus> GetStatusAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        IReadOnlyList<UserRecord> users;
        try
        {
            users = await state.ListUsersAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException and not OutOfMemoryException)
        {
            return new WorkerStatus { At = now, DatabaseReachable = false, Identities = pool.Status(new Dictionary<string, int>()) };
        }

        return Build(users, pool, now);
    }

    public static WorkerStatus Build(IReadOnlyList<UserRecord> users, IdentityPool pool, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(users);
        ArgumentNullException.ThrowIfNull(pool);
        var assigned = users.Where(u => u.Enabled && u.IdentityName is not null)
            .GroupBy(u => u.IdentityName!, StringComparer.OrdinalIgnoreCase)
            .ToDictionary(g => g.Key, g => g.Count(), StringComparer.OrdinalIgnoreCase);
        return new WorkerStatus
        {
            At = now,
            DatabaseReachable = true,
            Users = users.Select(u => new UserStatus
            {
                UserId = u.UserId,
                Mailbox = u.Mailbox,
                Identity = u.IdentityName,
                Enabled = u.Enabled,
                LastSuccessAt = u.LastSuccessAt,
                DueAt = u.DueAt,
                Lag = u.LastSuccessAt is { } last ? now - last : null,
                LastError = u.LastError,
                ConsecutiveFailures = u.ConsecutiveFailures,
            }).ToList(),
            Identities = pool.Status(assigned),
        };
    }
}
