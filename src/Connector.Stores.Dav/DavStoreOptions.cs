using System.Text;

namespace Connector.Stores.Dav;

/// <summary>Where one user's CalDAV/CardDAV account is and how to talk to it.</summary>
public sealed record DavStoreOptions
{
    /// <summary>Default items per calendar-multiget / addressbook-multiget: small enough that one answer stays a few hundred KB.</summary>
    public const int DefaultBatchLimit = 50;

    /// <summary>Largest accepted <see cref="BatchLimit"/>; servers limit request bodies and answer sizes.</summary>
    public const int MaxBatchLimit = 1000;

    /// <summary>Default time one request (sending it and reading the whole answer) may take before it counts as a transient failure.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(100);

    /// <summary>
    /// The server, e.g. <c>https://cloud.example.com/</c> (discovery starts at <c>/.well-known/caldav</c> there) or the
    /// DAV root <c>https://cloud.example.com/remote.php/dav/</c>. Hrefs the server sends resolve against it.
    /// </summary>
    public required Uri BaseUri { get; init; }

    /// <summary>Basic-auth user (Nextcloud: the login name), or null for a server without authentication.</summary>
    public string? UserName { get; init; }

    /// <summary>Basic-auth password (Nextcloud: an app password). Never logged.</summary>
    public string? Password { get; init; }

    /// <summary>
    /// The user's principal (e.g. <c>/remote.php/dav/principals/users/alice/</c>) when known; skips the
    /// <c>.well-known</c> and current-user-principal look-ups.
    /// </summary>
    public string? PrincipalPath { get; init; }

    /// <summary>Items per multiget request (<c>Service__BatchLimit</c>).</summary>
    public int BatchLimit { get; init; } = DefaultBatchLimit;

    /// <summary>Time limit of one request, body included.</summary>
    public TimeSpan Timeout { get; init; } = DefaultTimeout;

    /// <summary>The server family's quirks, or null to detect them from the server when a decision needs them.</summary>
    public DavServerQuirks? Quirks { get; init; }

    /// <summary>Throws <see cref="ArgumentException"/> naming the first bad value.</summary>
    public void Validate()
    {
        if (BaseUri is null || !BaseUri.IsAbsoluteUri || (BaseUri.Scheme != Uri.UriSchemeHttp && BaseUri.Scheme != Uri.UriSchemeHttps))
        {
            throw new ArgumentException($"{nameof(BaseUri)} must be an absolute http or https URL.", nameof(BaseUri));
        }

        if (BatchLimit is < 1 or > MaxBatchLimit)
        {
            throw new ArgumentException($"{nameof(BatchLimit)} must be between 1 and {MaxBatchLimit}; it is {BatchLimit}.", nameof(BatchLimit));
        }

        if (Timeout <= TimeSpan.Zero)
        {
            throw new ArgumentException($"{nameof(Timeout)} must be positive.", nameof(Timeout));
        }

        if (UserName is null != Password is null)
        {
            throw new ArgumentException($"{nameof(UserName)} and {nameof(Password)} are given together or not at all.", nameof(UserName));
        }

        if (UserName is not null && UserName.Contains(':', StringComparison.Ordinal))
        {
            throw new ArgumentException($"{nameof(UserName)} must not contain ':' (Basic authentication cannot carry it).", nameof(UserName));
        }
    }

    // Records print every property; the password must never reach a log line.
    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append("BaseUri = ").Append(BaseUri)
            .Append(", UserName = ").Append(UserName)
            .Append(", Password = ").Append(Password is null ? "(none)" : "***")
            .Append(", PrincipalPath = ").Append(PrincipalPath)
            .Append(", BatchLimit = ").Append(BatchLimit)
            .Append(", Timeout = ").Append(Timeout)
            .Append(", Quirks = ").Append(Quirks);
        return true;
    }
}
