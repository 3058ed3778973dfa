using System.Collections.Concurrent;
using Connector.Emulator.Control;
using Connector.Emulator.Graph;
using Connector.Emulator.Store;

namespace Connector.Emulator;

/// <summary>The state one emulator process shares between its HTTP surfaces and its C# API.</summary>
internal sealed class EmulatorRuntime
{
    public EmulatorRuntime(EmulatorOptions options)
    {
        Options = options;
        Store = new EmulatorStore(options);
        foreach (var mailbox in options.Mailboxes)
        {
            Store.GetOrAdd(mailbox.SmtpAddress, mailbox.DisplayName);
        }

        foreach (var identity in options.Identities.Where(i => i.Mailbox is not null))
        {
            Store.GetOrAdd(identity.Mailbox!);
        }

        Tokens = new OAuth.OAuthTokenIssuer(options.TimeProvider);
        Graph = new GraphTenant(options, Store.NextOutboxSequence);
        Identities = new IdentityDirectory(options.Identities, Tokens);
        Faults = new FaultInjector(options.FaultRandomSeed);
        LatencyMilliseconds = options.LatencyMilliseconds;
    }

    public EmulatorOptions Options { get; }

    public EmulatorStore Store { get; }

    /// <summary>The Microsoft 365 tenant served under /v1.0 (a separate server from the EWS store).</summary>
    public GraphTenant Graph { get; }

    public IdentityDirectory Identities { get; }

    /// <summary>Access tokens issued by the OAuth token endpoint.</summary>
    public OAuth.OAuthTokenIssuer Tokens { get; }

    public ConcurrencyBudget IdentityBudget { get; } = new();

    public ConcurrencyBudget SyncBudget { get; } = new();

    public FaultInjector Faults { get; }

    public RequestLog Requests { get; } = new();

    public ConcurrentQueue<string> ResponseViolations { get; } = new();

    public int LatencyMilliseconds { get; set; }
}
