using System.Security.Cryptography;
using System.Text;

namespace Connector.Emulator.Graph;

/// <summary>
/// The Microsoft 365 tenant's mailboxes, found by user id (GUID) or userPrincipalName as Graph's
/// /users/{id | userPrincipalName} does. Separate from the EWS store: Exchange Online is another server.
/// </summary>
internal sealed class GraphTenant
{
    private readonly Dictionary<string, GraphMailbox> byKey = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<GraphMailbox> mailboxes = [];
    private readonly Lock gate = new();
    private readonly Func<long> nextOutboxSequence;

    public GraphTenant(EmulatorOptions options, Func<long> nextOutboxSequence)
    {
        options.Graph.Validate();
        Options = options;
        this.nextOutboxSequence = nextOutboxSequence;
        foreach (var user in options.Graph.Users)
        {
            GetOrAdd(user.UserPrincipalName, user.DisplayName, user.Id);
        }
    }

    public EmulatorOptions Options { get; }

    public DateTimeOffset Now => Options.TimeProvider.GetUtcNow();

    public IReadOnlyList<GraphMailbox> Mailboxes
    {
        get
        {
            lock (gate)
            {
                return mailboxes.ToList();
            }
        }
    }

    public long NextOutboxSequence() => nextOutboxSequence();

    /// <summary>A mailbox by user id or UPN, or null.</summary>
    public GraphMailbox? Find(string idOrUpn)
    {
        lock (gate)
        {
            return byKey.GetValueOrDefault(idOrUpn);
        }
    }

    public GraphMailbox GetOrAdd(string userPrincipalName, string? displayName = null, string? id = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(userPrincipalName);
        lock (gate)
        {
            if (byKey.TryGetValue(userPrincipalName, out var existing))
            {
                return existing;
            }

            var userId = id ?? StableGuid(userPrincipalName).ToString();
            var mailbox = new GraphMailbox(this, userId, userPrincipalName, displayName ?? userPrincipalName.Split('@')[0]);
            byKey[userPrincipalName] = mailbox;
            byKey[userId] = mailbox;
            mailboxes.Add(mailbox);
            return mailbox;
        }
    }

    private static Guid StableGuid(string text)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(text.ToLowerInvariant()));
        return new Guid(hash.AsSpan(0, 16));
    }
}
