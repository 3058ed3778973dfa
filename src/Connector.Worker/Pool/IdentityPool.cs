using System.Collections.Concurrent;
using Connector.Sync.Resilience;
using Connector.Worker.Identities;
using Connector.Worker.Observability;

namespace Connector.Worker.Pool;

/// <summary>
/// The identities of admins.json at run time: which are quarantined (credentials rejected, S16), each
/// one's concurrency budget (users it syncs at once in this worker) and its throttle gate (a server
/// back-off hint slows every user of that identity). Quarantine is this worker's view and ends after
/// <c>quarantine</c>, when the identity is tried again (an administrator may have fixed the password).
/// </summary>
public sealed class IdentityPool : IDisposable
{
    private readonly Dictionary<string, AdminIdentity> identities;
    private readonly ConcurrentDictionary<string, (DateTimeOffset Until, string Reason)> quarantine = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, SemaphoreSlim> budgets;
    private readonly TimeSpan quarantineDuration;
    private readonly TimeProvider time;

    public IdentityPool(IEnumerable<AdminIdentity> identities, int maxUsersPerIdentity, int concurrentUsersPerIdentity, TimeSpan quarantineDuration, ThrottleGates gates, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(identities);
        this.identities = identities.ToDictionary(i => i.Name, StringComparer.OrdinalIgnoreCase);
        budgets = this.identities.Keys.ToDictionary(n => n, _ => new SemaphoreSlim(concurrentUsersPerIdentity, concurrentUsersPerIdentity), StringComparer.OrdinalIgnoreCase);
        MaxUsersPerIdentity = maxUsersPerIdentity;
        this.quarantineDuration = quarantineDuration;
        Gates = gates;
        this.time = time ?? TimeProvider.System;
    }

    public int MaxUsersPerIdentity { get; }

    public ThrottleGates Gates { get; }

    public IReadOnlyList<string> Names => [.. identities.Keys.Order(StringComparer.Ordinal)];

    public AdminIdentity? Find(string? name) => name is null ? null : identities.GetValueOrDefault(name);

    public bool IsQuarantined(string name)
    {
        if (!quarantine.TryGetValue(name, out var entry))
        {
            return false;
        }

        if (entry.Until > time.GetUtcNow())
        {
            return true;
        }

        quarantine.TryRemove(name, out _);
        return false;
    }

    public IReadOnlySet<string> Quarantined() => identities.Keys.Where(IsQuarantined).ToHashSet(StringComparer.OrdinalIgnoreCase);

    /// <summary>The identity's own credentials were rejected: its users move to the others.</summary>
    public void Quarantine(string name, string reason) => quarantine[name] = (time.GetUtcNow() + quarantineDuration, reason);

    /// <summary>Waits for a slot of the identity's concurrency budget; dispose the result to give it back.</summary>
    public async Task<IDisposable> EnterAsync(string name, CancellationToken cancellationToken)
    {
        var budget = budgets[name];
        await budget.WaitAsync(cancellationToken);
        return new Slot(budget);
    }

    public IReadOnlyList<IdentityStatus> Status(IReadOnlyDictionary<string, int> assignedUsers)
    {
        ArgumentNullException.ThrowIfNull(assignedUsers);
        var now = time.GetUtcNow();
        return identities.Values.OrderBy(i => i.Name, StringComparer.Ordinal).Select(i =>
        {
            var quarantined = IsQuarantined(i.Name);
            var wait = Gates.ForIdentity(i.Name).RemainingWait;
            return new IdentityStatus
            {
                Name = i.Name,
                Backend = i.Backend,
                AssignedUsers = assignedUsers.GetValueOrDefault(i.Name),
                MaxUsers = MaxUsersPerIdentity,
                Quarantined = quarantined,
                QuarantineReason = quarantined && quarantine.TryGetValue(i.Name, out var q) ? q.Reason : null,
                BackingOffUntil = wait > TimeSpan.Zero ? now + wait : null,
            };
        }).ToList();
    }

    public void Dispose()
    {
        foreach (var budget in budgets.Values)
        {
            budget.Dispose();
        }
    }

    private sealed class Slot(SemaphoreSlim budget) : IDisposable
    {
        private int released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref released, 1) == 0)
            {
                budget.Release();
            }
        }
    }
}
