using System.Collections.Concurrent;

namespace Connector.Stores.Graph.Http;

/// <summary>
/// At most N requests in flight per mailbox (Outlook's limit is 4 per app and mailbox: S14), shared by every store of
/// the same mailbox in this process. A <c>$batch</c> whose sub-requests may run N at once holds N permits; it takes
/// them one by one under a lock, so two batches never each hold half of the permits and wait for the rest.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "One limiter per mailbox lives as long as the process, like a ThrottleGate.")]
internal sealed class GraphMailboxLimiter
{
    private static readonly ConcurrentDictionary<string, GraphMailboxLimiter> Limiters = new(StringComparer.OrdinalIgnoreCase);

    private readonly SemaphoreSlim permits;
    private readonly SemaphoreSlim batchLock = new(1, 1);

    private GraphMailboxLimiter(int limit)
    {
        Limit = limit;
        permits = new SemaphoreSlim(limit, limit);
    }

    public int Limit { get; }

    /// <summary>The limiter of one mailbox on one Graph root (the first store to ask sets the limit).</summary>
    public static GraphMailboxLimiter For(Uri root, string mailbox, int limit) =>
        Limiters.GetOrAdd(root.Authority + "|" + mailbox, _ => new GraphMailboxLimiter(limit));

    /// <summary>Waits for <paramref name="count"/> permits (capped at the limit) and returns what releases them.</summary>
    public async Task<Lease> AcquireAsync(int count, CancellationToken cancellationToken)
    {
        count = Math.Clamp(count, 1, Limit);
        if (count == 1)
        {
            await permits.WaitAsync(cancellationToken).ConfigureAwait(false);
            return new Lease(permits, 1);
        }

        await batchLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        var taken = 0;
        try
        {
            for (; taken < count; taken++)
            {
                await permits.WaitAsync(cancellationToken).ConfigureAwait(false);
            }

            return new Lease(permits, taken);
        }
        catch
        {
            if (taken > 0)
            {
                permits.Release(taken);
            }

            throw;
        }
        finally
        {
            batchLock.Release();
        }
    }

    public readonly struct Lease(SemaphoreSlim permits, int count) : IDisposable
    {
        public void Dispose() => permits.Release(count);
    }
}
