namespace Connector.Emulator;

/// <summary>What an injected fault does to a request.</summary>
public enum FaultKind
{
    /// <summary>HTTP 500 with a plain-text body (an IIS/proxy error, not a SOAP fault).</summary>
    Http500,

    /// <summary>HTTP 503 Service Unavailable.</summary>
    Http503,

    /// <summary>The ErrorServerBusy SOAP fault with BackOffMilliseconds.</summary>
    ServerBusy,

    /// <summary>The connection is aborted (the client sees a reset / unexpected end of stream).</summary>
    ConnectionReset,

    /// <summary>HTTP 200 with the real response cut in the middle (not well-formed XML).</summary>
    TruncatedXml,
}

/// <summary>When an injected fault strikes.</summary>
public enum FaultPhase
{
    /// <summary>Before the operation runs: nothing was changed.</summary>
    BeforeExecution,

    /// <summary>After the operation ran and changed the mailbox: the client does not learn the outcome.</summary>
    AfterExecution,
}

/// <summary>
/// A fault injection rule: strikes the next <see cref="Count"/> matching requests, or each
/// matching request with probability <see cref="Rate"/>; optionally only for one operation
/// (e.g. "SyncFolderItems") or one target mailbox.
/// </summary>
public sealed record FaultRule
{
    public FaultKind Kind { get; init; }

    public int? Count { get; init; }

    public double? Rate { get; init; }

    public string? Operation { get; init; }

    public string? Mailbox { get; init; }

    public FaultPhase Phase { get; init; } = FaultPhase.BeforeExecution;
}

/// <summary>The active fault rules; thread-safe, deterministic for a given random seed.</summary>
public sealed class FaultInjector
{
    private readonly List<(long Id, FaultRule Rule, int Remaining)> rules = [];
    private readonly Lock gate = new();
    private readonly Random random;
    private long nextId;

    internal FaultInjector(int seed)
    {
        random = new Random(seed);
    }

    /// <summary>Adds a rule; returns its id (for <see cref="Remove"/>).</summary>
    public long Add(FaultRule rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        if (rule.Count is null && rule.Rate is null)
        {
            throw new ArgumentException("a fault rule needs Count (next N requests) or Rate (0..1)", nameof(rule));
        }

        lock (gate)
        {
            var id = ++nextId;
            rules.Add((id, rule, rule.Count ?? int.MaxValue));
            return id;
        }
    }

    /// <summary>Strikes the next <paramref name="count"/> requests (optionally of one operation).</summary>
    public long Next(int count, FaultKind kind, string? operation = null, FaultPhase phase = FaultPhase.BeforeExecution) =>
        Add(new FaultRule { Kind = kind, Count = count, Operation = operation, Phase = phase });

    public bool Remove(long id)
    {
        lock (gate)
        {
            return rules.RemoveAll(r => r.Id == id) > 0;
        }
    }

    public void Clear()
    {
        lock (gate)
        {
            rules.Clear();
        }
    }

    /// <summary>The active rules with their remaining counts.</summary>
    public IReadOnlyList<(long Id, FaultRule Rule, int Remaining)> Rules
    {
        get
        {
            lock (gate)
            {
                return rules.ToList();
            }
        }
    }

    internal FaultKind? Match(string operation, string? mailbox, FaultPhase phase)
    {
        lock (gate)
        {
            for (var i = 0; i < rules.Count; i++)
            {
                var (id, rule, remaining) = rules[i];
                if (rule.Phase != phase
                    || (rule.Operation is not null && !string.Equals(rule.Operation, operation, StringComparison.OrdinalIgnoreCase))
                    || (rule.Mailbox is not null && !string.Equals(rule.Mailbox, mailbox, StringComparison.OrdinalIgnoreCase)))
                {
                    continue;
                }

                if (rule.Rate is { } rate && random.NextDouble() >= rate)
                {
                    continue;
                }

                if (remaining <= 1 && rule.Count is not null)
                {
                    rules.RemoveAt(i);
                }
                else
                {
                    rules[i] = (id, rule, remaining - 1);
                }

                return rule.Kind;
            }

            return null;
        }
    }
}
