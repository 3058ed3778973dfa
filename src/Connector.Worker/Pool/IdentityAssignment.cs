using Connector.Sync.State;

namespace Connector.Worker.Pool;

/// <summary>
/// Sticky assignment of users to identities, as a pure function: a user keeps their identity while it
/// exists, is not quarantined and has room; otherwise they go to the usable identity with the fewest
/// users (ties by name, so every replica computes the same answer). No identity holds more than
/// <c>maxUsersPerIdentity</c>, and a user only goes to an identity that can serve them
/// (<c>canServe</c>: an Exchange Server mailbox needs an EWS identity, a Microsoft 365 one a Graph
/// identity).
/// </summary>
public static class IdentityAssignment
{
    /// <summary>The users whose identity changed, with the new one (null: no identity has room).</summary>
    public static IReadOnlyList<UserRecord> Assign(
        IReadOnlyList<UserRecord> users,
        IReadOnlyList<string> identities,
        IReadOnlySet<string> quarantined,
        int maxUsersPerIdentity,
        Func<UserRecord, string, bool>? canServe = null)
    {
        canServe ??= static (_, _) => true;
        ArgumentNullException.ThrowIfNull(users);
        ArgumentNullException.ThrowIfNull(identities);
        ArgumentNullException.ThrowIfNull(quarantined);
        var usable = identities.Where(i => !quarantined.Contains(i)).ToList();
        var load = usable.ToDictionary(i => i, _ => 0, StringComparer.OrdinalIgnoreCase);
        var changed = new List<UserRecord>();
        var unplaced = new List<UserRecord>();

        // Keep every sticky assignment that is still valid (first come by user id when one is over-full).
        foreach (var user in users.Where(u => u.Enabled).OrderBy(u => u.UserId, StringComparer.Ordinal))
        {
            if (user.IdentityName is { } name && load.TryGetValue(name, out var count) && count < maxUsersPerIdentity && canServe(user, name))
            {
                load[name] = count + 1;
            }
            else
            {
                unplaced.Add(user);
            }
        }

        foreach (var user in unplaced)
        {
            var target = load.Where(p => p.Value < maxUsersPerIdentity && canServe(user, p.Key))
                .OrderBy(p => p.Value)
                .ThenBy(p => p.Key, StringComparer.Ordinal)
                .Select(p => p.Key)
                .FirstOrDefault();
            if (target is not null)
            {
                load[target]++;
            }

            if (!string.Equals(target, user.IdentityName, StringComparison.Ordinal))
            {
                changed.Add(user with { IdentityName = target });
            }
        }

        return changed;
    }
}
