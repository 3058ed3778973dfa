namespace Connector.Emulator;

/// <summary>
/// Everything the emulator can be told at start: where it listens, who may log on, which
/// mailboxes exist, throttling, latency, seeding and the size of opaque values. Bound from
/// appsettings.json / command line (section "Emulator") by the exe, set directly by tests.
/// </summary>
public sealed class EmulatorOptions
{
    /// <summary>Default TCP port of the exe (tests use 0: any free port).</summary>
    public const int DefaultPort = 5080;

    /// <summary>Listen address. Only loopback makes sense for a test tool.</summary>
    public string Host { get; set; } = "127.0.0.1";

    /// <summary>TCP port; 0 picks a free one (see <see cref="ExchangeEmulator.BaseUri"/>).</summary>
    public int Port { get; set; } = DefaultPort;

    /// <summary>Accounts that may log on (Basic or Bearer) and whom they may impersonate.</summary>
    public IList<EmulatorIdentity> Identities { get; } = [];

    /// <summary>App registrations for the OAuth token endpoint (client credentials); their tokens log on as an identity.</summary>
    public IList<EmulatorApplication> Applications { get; } = [];

    /// <summary>Mailboxes that exist. Identities' own mailboxes are added automatically.</summary>
    public IList<EmulatorMailbox> Mailboxes { get; } = [];

    /// <summary>Concurrency budgets and how "too busy" is answered.</summary>
    public EmulatorThrottling Throttling { get; set; } = new();

    /// <summary>Fixed delay added to every EWS request (inside the concurrency budget).</summary>
    public int LatencyMilliseconds { get; set; }

    /// <summary>"none", "demo" or "bench".</summary>
    public string Seed { get; set; } = "none";

    /// <summary>Number of generated mailboxes for <c>Seed = bench</c>.</summary>
    public int BenchUsers { get; set; } = 10;

    /// <summary>Number of generated items per folder (calendar, contacts, tasks) for <c>Seed = bench</c>.</summary>
    public int BenchItems { get; set; } = 100;

    /// <summary>
    /// Extra bytes in every ChangeKey (S22: real change keys can be long; set e.g. 4096 to test
    /// that clients store them without truncation). 0 gives Exchange's usual 40 characters.
    /// </summary>
    public int ChangeKeyPaddingBytes { get; set; }

    /// <summary>
    /// Extra bytes in every SyncState. Exchange's sync states are opaque base64 blobs of hundreds
    /// of bytes to many KB; the default makes them about 1 KB.
    /// </summary>
    public int SyncStatePaddingBytes { get; set; } = 700;

    /// <summary>Validate every response against the schema too; violations are collected (see <see cref="ExchangeEmulator.ResponseSchemaViolations"/>).</summary>
    public bool ValidateResponses { get; set; }

    /// <summary>Seed of the random generator used by rate-based fault injection (deterministic runs).</summary>
    public int FaultRandomSeed { get; set; } = 12345;

    /// <summary>
    /// A JSON file the mailboxes are kept in between runs: loaded at start instead of seeding when it
    /// exists, written when the emulator stops (the demo uses it). Null: nothing is kept.
    /// </summary>
    public string? DataFile { get; set; }

    /// <summary>The Microsoft 365 tenant served under /v1.0 (Microsoft Graph): users and throttling.</summary>
    public GraphEmulatorOptions Graph { get; set; } = new();

    /// <summary>Clock for timestamps (DateTimeCreated, LastModifiedTime, outbox). Tests may pass a fake.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;
}

/// <summary>An account that can authenticate against the emulator.</summary>
public sealed class EmulatorIdentity
{
    /// <summary>User name for Basic auth (compared case-insensitively, e.g. "svc-sync" or "CONTOSO\svc-sync").</summary>
    public string Name { get; set; } = string.Empty;

    /// <summary>Basic auth password; null disables Basic auth for this identity.</summary>
    public string? Password { get; set; }

    /// <summary>Static bearer tokens accepted for this identity (OAuth stand-ins).</summary>
    public IList<string> BearerTokens { get; } = [];

    /// <summary>The identity's own mailbox (SMTP); null for a service account without a mailbox.</summary>
    public string? Mailbox { get; set; }

    /// <summary>SMTP addresses this identity may impersonate (ApplicationImpersonation); "*" means every mailbox.</summary>
    public IList<string> CanImpersonate { get; } = [];

    /// <summary>Overrides <see cref="EmulatorThrottling.MaxConcurrentRequestsPerIdentity"/> for this identity.</summary>
    public int? MaxConcurrentRequests { get; set; }
}

/// <summary>A mailbox that exists on the emulated server.</summary>
public sealed class EmulatorMailbox
{
    public string SmtpAddress { get; set; } = string.Empty;

    public string? DisplayName { get; set; }
}

/// <summary>How the emulator answers when a budget is exceeded.</summary>
public enum ThrottleResponse
{
    /// <summary>HTTP 500 with a SOAP fault ErrorServerBusy carrying BackOffMilliseconds (Exchange 2013+).</summary>
    ServerBusyFault,

    /// <summary>HTTP 503 Service Unavailable (requests queuing on the server), optional Retry-After.</summary>
    Http503,
}

/// <summary>The throttling model: concurrency budgets, as Exchange's EWSMaxConcurrency.</summary>
public sealed class EmulatorThrottling
{
    /// <summary>Exchange's default EWSMaxConcurrency in the default throttling policy.</summary>
    public const int DefaultMaxConcurrentRequestsPerIdentity = 27;

    /// <summary>Concurrent EWS requests one identity may have in flight (0 = unlimited).</summary>
    public int MaxConcurrentRequestsPerIdentity { get; set; } = DefaultMaxConcurrentRequestsPerIdentity;

    /// <summary>Concurrent SyncFolderItems calls per target mailbox (0 = unlimited). A model parameter, not an Exchange default.</summary>
    public int MaxConcurrentSyncFolderItemsPerMailbox { get; set; } = 4;

    /// <summary>How an exceeded budget is answered.</summary>
    public ThrottleResponse Response { get; set; } = ThrottleResponse.ServerBusyFault;

    /// <summary>BackOffMilliseconds in ErrorServerBusy.</summary>
    public int BackOffMilliseconds { get; set; } = 2000;

    /// <summary>Retry-After (seconds, fractions allowed: "0.5") on HTTP 503 answers; null sends none (Exchange often sends none).</summary>
    public double? RetryAfterSeconds { get; set; }
}
