namespace Connector.Emulator;

/// <summary>
/// The Microsoft 365 tenant the emulator serves under /v1.0: its users (mailboxes) and Graph's
/// throttling model. Exchange Online is another server than the on-premises Exchange the EWS side
/// emulates, so these mailboxes are separate from <see cref="EmulatorOptions.Mailboxes"/>.
/// Identities (apps) and their bearer tokens are the shared <see cref="EmulatorOptions.Identities"/>:
/// an identity may use a Graph mailbox when its <see cref="EmulatorIdentity.CanImpersonate"/> names
/// the user (or "*"), as an app granted Calendars/Contacts/Tasks.ReadWrite application permissions.
/// </summary>
public sealed class GraphEmulatorOptions
{
    /// <summary>Users of the tenant (each with a mailbox: calendar, contacts, To Do).</summary>
    public IList<GraphEmulatorUser> Users { get; } = [];

    /// <summary>Per-mailbox concurrency and request-rate limits.</summary>
    public GraphThrottling Throttling { get; set; } = new();

    /// <summary>Extra bytes in every delta/skip token (S22: real state tokens are long). 0 gives about 86 characters.</summary>
    public int TokenPaddingBytes { get; set; }

    /// <summary>Checks the options at start; a bad value names the setting and what is wrong.</summary>
    public void Validate()
    {
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var user in Users)
        {
            if (string.IsNullOrWhiteSpace(user.UserPrincipalName) || !user.UserPrincipalName.Contains('@', StringComparison.Ordinal))
            {
                throw new ArgumentException($"Graph:Users: '{user.UserPrincipalName}' is not a userPrincipalName (name@domain)");
            }

            if (!seen.Add(user.UserPrincipalName) || (user.Id is not null && !seen.Add(user.Id)))
            {
                throw new ArgumentException($"Graph:Users: {user.UserPrincipalName} is configured twice (or its Id is used twice)");
            }

            if (user.Id is not null && !Guid.TryParse(user.Id, out _))
            {
                throw new ArgumentException($"Graph:Users: the Id of {user.UserPrincipalName} must be a GUID, not '{user.Id}'");
            }
        }

        if (Throttling.MaxConcurrentRequestsPerMailbox < 0 || Throttling.MaxRequestsPerWindow < 0)
        {
            throw new ArgumentException("Graph:Throttling: limits must be 0 (unlimited) or more");
        }

        if (Throttling.MaxRequestsPerWindow > 0 && Throttling.RateWindowSeconds <= 0)
        {
            throw new ArgumentException("Graph:Throttling:RateWindowSeconds must be more than 0 when MaxRequestsPerWindow is set");
        }

        if (Throttling.RetryAfterSeconds is < 0)
        {
            throw new ArgumentException("Graph:Throttling:RetryAfterSeconds must not be negative");
        }

        if (TokenPaddingBytes is < 0 or > 1_000_000)
        {
            throw new ArgumentException("Graph:TokenPaddingBytes must be 0..1000000");
        }
    }
}

/// <summary>A user of the emulated Microsoft 365 tenant.</summary>
public sealed class GraphEmulatorUser
{
    /// <summary>userPrincipalName, also the mail address ("dave@fabrikam.onmicrosoft.com").</summary>
    public string UserPrincipalName { get; set; } = string.Empty;

    public string? DisplayName { get; set; }

    /// <summary>The directory object id (a GUID); derived from the UPN when not given, so it is stable across runs.</summary>
    public string? Id { get; set; }
}

/// <summary>
/// Graph's Outlook throttling model, per app and mailbox: at most 4 concurrent requests, and a
/// request budget in a sliding window (Exchange Online: 10,000 requests per 10 minutes). Over
/// either → 429 with Retry-After.
/// </summary>
public sealed class GraphThrottling
{
    /// <summary>Concurrent requests per app and mailbox (0 = unlimited). Exchange Online's MailboxConcurrency is 4.</summary>
    public int MaxConcurrentRequestsPerMailbox { get; set; } = 4;

    /// <summary>Requests per app and mailbox within <see cref="RateWindowSeconds"/> (0 = unlimited).</summary>
    public int MaxRequestsPerWindow { get; set; } = 10_000;

    /// <summary>The sliding window of the request budget.</summary>
    public double RateWindowSeconds { get; set; } = 600;

    /// <summary>
    /// Retry-After sent with a 429, in seconds; fractional values are written as they are (e.g.
    /// "0.5", which real services also send). Null: 1 for a concurrency rejection, and the time
    /// until the oldest request leaves the window (rounded up) for a rate rejection.
    /// </summary>
    public double? RetryAfterSeconds { get; set; }
}
