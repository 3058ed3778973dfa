using System.Text;
using Connector.Sync.Stores;

namespace Connector.Worker.Users;

/// <summary>A user's Nextcloud side: a CalDAV/CardDAV account, or a vdir folder (demo, export).</summary>
public sealed record NextcloudAccount
{
    /// <summary>The DAV server, e.g. https://cloud.example.com/remote.php/dav/; null with <see cref="VdirPath"/>.</summary>
    public Uri? DavUrl { get; init; }

    public string? UserName { get; init; }

    /// <summary>A Nextcloud app password. Never logged.</summary>
    public string? Password { get; init; }

    /// <summary>A folder of .ics/.vcf collections instead of a DAV server.</summary>
    public string? VdirPath { get; init; }

    // Records print every property; the password must never reach a log line.
    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append("DavUrl = ").Append(DavUrl)
            .Append(", UserName = ").Append(UserName)
            .Append(", Password = ").Append(Password is null ? "(none)" : "***")
            .Append(", VdirPath = ").Append(VdirPath);
        return true;
    }
}

/// <summary>A user who consented to the sync, as a <see cref="IUserSource"/> lists them.</summary>
public sealed record ConsentingUser
{
    /// <summary>The Nextcloud user id (the key everywhere).</summary>
    public required string UserId { get; init; }

    /// <summary>The Exchange mailbox's SMTP address.</summary>
    public required string Mailbox { get; init; }

    public required NextcloudAccount Nextcloud { get; init; }

    /// <summary>The kinds this user syncs; null: <c>Service__SyncMode</c>.</summary>
    public ItemKind? SyncMode { get; init; }

    /// <summary>The mailbox's IANA time zone (all-day events, task dates); null: UTC.</summary>
    public string? TimeZone { get; init; }

    public bool Enabled { get; init; } = true;

    /// <summary>
    /// Where the mailbox lives (Exchange Server over EWS, or Microsoft 365 over Graph): the user is
    /// assigned only to identities of that type. Null: any identity, which is only right while
    /// admins.json holds identities of one type; with both, a user without it gets none.
    /// </summary>
    public Identities.ExchangeType? ExchangeType { get; init; }

    /// <summary>
    /// The admins.json identity this user must use (several Exchange organisations in one worker,
    /// or a mailbox only one account may impersonate). Null: any identity that can serve them.
    /// </summary>
    public string? Identity { get; init; }
}

/// <summary>
/// Who is synced. Here a static users file (<see cref="UsersFile"/>); the Nextcloud app's admin API
/// (consent UI, app passwords) is another implementation of the same interface.
/// </summary>
public interface IUserSource
{
    /// <summary>Every consenting user, with what the worker needs to reach both sides.</summary>
    Task<IReadOnlyList<ConsentingUser>> ListUsersAsync(CancellationToken cancellationToken);
}
