using Connector.Emulator.Control;

namespace Connector.Emulator.Graph;

/// <summary>
/// Graph's per-mailbox limits: a concurrency budget (Exchange Online's MailboxConcurrency, 4) and
/// a request budget in a sliding window. A rejected request answers 429 with Retry-After.
/// </summary>
internal sealed class GraphThrottle
{
    private readonly ConcurrencyBudget concurrency = new();
    private readonly Dictionary<string, Queue<DateTimeOffset>> recent = new(StringComparer.OrdinalIgnoreCase);
    private readonly Lock gate = new();
    private readonly EmulatorOptions options;

    public GraphThrottle(EmulatorOptions options)
    {
        this.options = options;
    }

    private GraphThrottling Limits => options.Graph.Throttling;

    /// <summary>Counts the request against the mailbox's rate budget; returns the Retry-After seconds when over it.</summary>
    public double? CheckRate(string mailbox, DateTimeOffset now)
    {
        if (Limits.MaxRequestsPerWindow <= 0)
        {
            return null;
        }

        var window = TimeSpan.FromSeconds(Limits.RateWindowSeconds);
        lock (gate)
        {
            if (!recent.TryGetValue(mailbox, out var times))
            {
                recent[mailbox] = times = new Queue<DateTimeOffset>();
            }

            while (times.Count > 0 && times.Peek() <= now - window)
            {
                times.Dequeue();
            }

            if (times.Count >= Limits.MaxRequestsPerWindow)
            {
                var wait = (times.Peek() + window - now).TotalSeconds;
                return Limits.RetryAfterSeconds ?? Math.Max(1, Math.Ceiling(wait));
            }

            times.Enqueue(now);
            return null;
        }
    }

    /// <summary>Takes a concurrency slot; false when the mailbox has its limit of requests in flight.</summary>
    public bool TryEnter(string mailbox) => concurrency.TryEnter(mailbox, Limits.MaxConcurrentRequestsPerMailbox);

    public void Exit(string mailbox) => concurrency.Exit(mailbox);

    public double ConcurrencyRetryAfter => Limits.RetryAfterSeconds ?? 1;
}
