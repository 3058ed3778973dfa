using Connector.Emulator.Control;

namespace Connector.Emulator.Graph;

/// <summary>
/// Graph's limits per app and mailbox: a concurrency budget (Exchange Online's MailboxConcurrency,
/// 4) and a request budget in a sliding window. A rejected request answers 429 with Retry-After.
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

    /// <summary>Counts the request against the budget's rate limit; returns the Retry-After seconds when over it.</summary>
    public double? CheckRate(string budget, DateTimeOffset now)
    {
        if (Limits.MaxRequestsPerWindow <= 0)
        {
            return null;
        }

        var window = TimeSpan.FromSeconds(Limits.RateWindowSeconds);
        lock (gate)
        {
            if (!recent.TryGetValue(budget, out var times))
            {
                recent[budget] = times = new Queue<DateTimeOffset>();
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

    /// <summary>Takes a concurrency slot; false when the app already has its limit of requests in flight on the mailbox.</summary>
    public bool TryEnter(string budget) => concurrency.TryEnter(budget, Limits.MaxConcurrentRequestsPerMailbox);

    public void Exit(string budget) => concurrency.Exit(budget);

    public double ConcurrencyRetryAfter => Limits.RetryAfterSeconds ?? 1;
}
