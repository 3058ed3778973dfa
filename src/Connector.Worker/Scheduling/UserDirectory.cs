using System.Security.Cryptography;
using System.Text;
using Connector.Sync.State;
using Connector.Sync.Stores;
using Connector.Worker.Configuration;
using Connector.Worker.Logging;
using Connector.Worker.Pool;
using Connector.Worker.Users;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Connector.Worker.Scheduling;

/// <summary>
/// Brings the user source into the state store: new users are added (due now), changed ones updated
/// (keeping their schedule), users no longer listed disabled; identities are assigned (sticky, see
/// <see cref="IdentityAssignment"/>). Holds the latest list so the runner finds each user's Nextcloud
/// account. A user stopped for a rejected Nextcloud password is enabled again when the password changes.
/// </summary>
public sealed class UserDirectory
{
    /// <summary>Marks a user stopped by a 401 from Nextcloud; followed by a fingerprint of the password then used.</summary>
    public const string StoppedMarker = "[nextcloud-401 ";

    private readonly IUserSource source;
    private readonly IStateStore state;
    private readonly IdentityPool pool;
    private readonly ServiceSettings settings;
    private readonly ILogger logger;
    private readonly TimeProvider time;
    private volatile IReadOnlyDictionary<string, ConsentingUser> users = new Dictionary<string, ConsentingUser>();

    public UserDirectory(IUserSource source, IStateStore state, IdentityPool pool, ServiceSettings settings, ILogger? logger = null, TimeProvider? time = null)
    {
        this.source = source;
        this.state = state;
        this.pool = pool;
        this.settings = settings;
        this.logger = logger ?? NullLogger.Instance;
        this.time = time ?? TimeProvider.System;
    }

    public ConsentingUser? Find(string userId) => users.GetValueOrDefault(userId);

    public IReadOnlyCollection<ConsentingUser> All => [.. users.Values];

    /// <summary>Reads the source, updates the state store and assigns identities. Returns the users in the store.</summary>
    public async Task<IReadOnlyList<UserRecord>> RefreshAsync(CancellationToken cancellationToken)
    {
        var listed = await source.ListUsersAsync(cancellationToken);
        users = listed.ToDictionary(u => u.UserId, StringComparer.Ordinal);
        var known = (await state.ListUsersAsync(cancellationToken)).ToDictionary(u => u.UserId, StringComparer.Ordinal);
        var now = time.GetUtcNow();
        foreach (var user in listed)
        {
            var mode = user.SyncMode ?? settings.SyncMode;
            var existing = known.GetValueOrDefault(user.UserId);
            var enabled = user.Enabled && !StillStopped(existing, user);
            var record = existing is null
                ? new UserRecord { UserId = user.UserId, Mailbox = user.Mailbox, SyncMode = mode, Enabled = enabled, DueAt = now }
                : existing with
                {
                    Mailbox = user.Mailbox,
                    SyncMode = mode,
                    Enabled = enabled,

                    // A user stopped by a 401 whose password changed is due at once.
                    DueAt = enabled && !existing.Enabled ? now : existing.DueAt,
                    IdentityName = string.Equals(existing.Mailbox, user.Mailbox, StringComparison.OrdinalIgnoreCase) ? existing.IdentityName : null,
                };
            if (existing != record)
            {
                await state.UpsertUserAsync(record, cancellationToken);
                known[user.UserId] = record;
            }
        }

        foreach (var gone in known.Values.Where(u => u.Enabled && !users.ContainsKey(u.UserId)).ToList())
        {
            WorkerLog.UserUnlisted(logger, gone.UserId);
            var disabled = gone with { Enabled = false, IdentityName = null };
            await state.UpsertUserAsync(disabled, cancellationToken);
            known[gone.UserId] = disabled;
        }

        var mixed = pool.Names.Select(n => pool.Find(n)?.ExchangeType).Distinct().Count() > 1;
        foreach (var assigned in IdentityAssignment.Assign([.. known.Values], pool.Names, pool.Quarantined(), pool.MaxUsersPerIdentity, CanServe))
        {
            var listedUser = users.GetValueOrDefault(assigned.UserId);
            if (assigned.IdentityName is null && listedUser?.Identity is { } pinned && pool.Find(pinned) is null)
            {
                WorkerLog.UnknownIdentity(logger, assigned.UserId, pinned);
            }
            else if (assigned.IdentityName is null && listedUser?.Identity is null && mixed && listedUser?.ExchangeType is null)
            {
                WorkerLog.NoBackend(logger, assigned.UserId);
            }
            else if (assigned.IdentityName is null)
            {
                WorkerLog.NoIdentity(logger, assigned.UserId);
            }

            await state.UpsertUserAsync(assigned, cancellationToken);
            known[assigned.UserId] = assigned;
        }

        return [.. known.Values.OrderBy(u => u.UserId, StringComparer.Ordinal)];

        // A user pinned to an identity goes only there; one whose mailbox type is known goes only to
        // identities of that type; one whose type is not said goes anywhere while every identity is of
        // one type, and nowhere when they are mixed (an Exchange Server mailbox given to a Graph
        // application would only fail, run after run).
        bool CanServe(UserRecord user, string identityName)
        {
            var listed = users.GetValueOrDefault(user.UserId);
            if (listed?.Identity is { } pinned && !string.Equals(pinned, identityName, StringComparison.OrdinalIgnoreCase))
            {
                return false;
            }

            var identityType = pool.Find(identityName)?.ExchangeType;
            return listed?.ExchangeType is { } wanted ? identityType == wanted : listed?.Identity is not null || !mixed;
        }
    }

    /// <summary>The error text that stops a user after Nextcloud's 401, with a fingerprint of the rejected password.</summary>
    public static string StoppedError(string message, NextcloudAccount account) => $"{message} {StoppedMarker}{Fingerprint(account)}]";

    /// <summary>
    /// 8 hex digits of SHA-256 over the password: enough to notice that it changed, useless for
    /// guessing it, and the same in every replica.
    /// </summary>
    public static string Fingerprint(NextcloudAccount account)
    {
        ArgumentNullException.ThrowIfNull(account);
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes((account.UserName ?? string.Empty) + "\n" + (account.Password ?? string.Empty)));
        return Convert.ToHexStringLower(hash.AsSpan(0, 4));
    }

    private static bool StillStopped(UserRecord? existing, ConsentingUser user) =>
        existing is { Enabled: false, LastError: { } error }
        && error.Contains(StoppedMarker, StringComparison.Ordinal)
        && error.Contains(StoppedMarker + Fingerprint(user.Nextcloud) + "]", StringComparison.Ordinal);
}
