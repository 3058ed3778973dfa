using Connector.Sync.Resilience;
using Connector.Sync.Stores;

namespace Connector.Worker.Identities;

/// <summary>What a store for one mailbox needs besides the identity.</summary>
public sealed record ExchangeMailboxSettings
{
    /// <summary>The user's SMTP address (impersonated with EWS; the user id with Graph).</summary>
    public required string Mailbox { get; init; }

    /// <summary>Items per fetch batch (<c>Service__BatchLimit</c>).</summary>
    public int BatchLimit { get; init; } = 50;

    /// <summary>The mailbox's IANA time zone for all-day events and task dates; null: UTC.</summary>
    public string? TimeZone { get; init; }

    /// <summary>
    /// The worker's throttle gates (S14): the store waits on, and closes, the gates of its identity and
    /// its mailbox, so every caller of either backs off together. Null: the store does not retry.
    /// </summary>
    public ThrottleGates? Gates { get; init; }

    /// <summary>When to give up retrying (a total time) and how to back off without a server hint.</summary>
    public RetryOptions? Retry { get; init; }
}

/// <summary>
/// Creates the Exchange side of a user's sync for an identity of one <see cref="ExchangeType"/>.
/// EWS is <see cref="EwsStoreFactory"/>, Microsoft 365 <see cref="GraphStoreFactory"/>; an identity
/// of a type no registered factory serves is refused at start.
/// </summary>
public interface IExchangeStoreFactory
{
    ExchangeType ExchangeType { get; }

    /// <summary>
    /// A store for one mailbox as the identity that honours throttling itself with
    /// <see cref="ExchangeMailboxSettings.Gates"/> (per request where the protocol allows, else by
    /// wrapping itself in <see cref="ResilientItemStore"/>); the caller adds no retries of its own.
    /// </summary>
    IItemStore Create(AdminIdentity identity, ExchangeMailboxSettings mailbox);
}

/// <summary>The factories this process has, by <see cref="ExchangeType"/>.</summary>
public sealed class ExchangeStoreFactories : IDisposable
{
    private readonly Dictionary<ExchangeType, IExchangeStoreFactory> factories;
    private readonly AppTokenSources? sharedTokens;

    public ExchangeStoreFactories(IEnumerable<IExchangeStoreFactory> factories)
        : this(factories, null)
    {
    }

    private ExchangeStoreFactories(IEnumerable<IExchangeStoreFactory> factories, AppTokenSources? sharedTokens)
    {
        this.factories = factories.ToDictionary(f => f.ExchangeType);
        this.sharedTokens = sharedTokens;
    }

    /// <summary>EWS and Graph, sharing one set of application token sources (disposed with this).</summary>
    public static ExchangeStoreFactories Default()
    {
        var tokens = new AppTokenSources();
        return new([new EwsStoreFactory(tokens), new GraphStoreFactory(tokens)], tokens);
    }

    public bool Supports(ExchangeType type) => factories.ContainsKey(type);

    public IItemStore Create(AdminIdentity identity, ExchangeMailboxSettings mailbox)
    {
        ArgumentNullException.ThrowIfNull(identity);
        return factories.TryGetValue(identity.ExchangeType, out var factory)
            ? factory.Create(identity, mailbox)
            : throw new InvalidOperationException(UnsupportedMessage(identity));
    }

    /// <summary>Refuses identities no factory serves, one line each (called at start, with the admins file's name).</summary>
    public IReadOnlyList<string> Unsupported(IEnumerable<AdminIdentity> identities, string fileName) =>
        identities.Where(i => !Supports(i.ExchangeType)).Select(i => $"{fileName}, \"{i.Name}\": {UnsupportedMessage(i)}").ToList();

    public void Dispose()
    {
        foreach (var factory in factories.Values.OfType<IDisposable>())
        {
            factory.Dispose();
        }

        sharedTokens?.Dispose();
    }

    private static string UnsupportedMessage(AdminIdentity identity) => identity.ExchangeType == ExchangeType.Microsoft365
        ? "ExchangeType 1 (Microsoft 365 via Graph) has no store registered in this process"
        : $"ExchangeType {(int)identity.ExchangeType} has no store in this build";
}
