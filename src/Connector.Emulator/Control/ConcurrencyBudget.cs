namespace Connector.Emulator.Control;

/// <summary>Counts requests in flight per key (identity, mailbox) against a limit, like Exchange's concurrency budgets.</summary>
internal sealed class ConcurrencyBudget
{
    private readonly Dictionary<string, int> inFlight = new(StringComparer.OrdinalIgnoreCase);
    private readonly Lock gate = new();

    /// <summary>Takes a slot; false when <paramref name="limit"/> (0 = unlimited) slots are taken.</summary>
    public bool TryEnter(string key, int limit)
    {
        lock (gate)
        {
            var current = inFlight.GetValueOrDefault(key);
            if (limit > 0 && current >= limit)
            {
                return false;
            }

            inFlight[key] = current + 1;
            return true;
        }
    }

    public void Exit(string key)
    {
        lock (gate)
        {
            if (inFlight.TryGetValue(key, out var current))
            {
                if (current <= 1)
                {
                    inFlight.Remove(key);
                }
                else
                {
                    inFlight[key] = current - 1;
                }
            }
        }
    }
}
