namespace Connector.Emulator;

/// <summary>
/// One EWS request as the emulator saw it: who, which operation, on whose mailbox (impersonated
/// or own), the X-AnchorMailbox header, and how it was answered.
/// </summary>
public sealed record RequestRecord(
    long Sequence,
    DateTimeOffset Time,
    string? Identity,
    string? Operation,
    string? Mailbox,
    string? ImpersonatedMailbox,
    string? AnchorMailbox,
    int HttpStatus,
    string? Fault,
    IReadOnlyList<string> ResponseCodes,
    string? InjectedFault)
{
    /// <summary>Whether X-AnchorMailbox named the impersonated mailbox (what Exchange expects of impersonating clients).</summary>
    public bool AnchorMatchesImpersonation =>
        ImpersonatedMailbox is not null && string.Equals(AnchorMailbox, ImpersonatedMailbox, StringComparison.OrdinalIgnoreCase);
}

/// <summary>The last requests (bounded), for tests and the /emulator/requests endpoint.</summary>
public sealed class RequestLog
{
    private const int Capacity = 10_000;
    private readonly LinkedList<RequestRecord> records = new();
    private readonly Lock gate = new();
    private long sequence;

    internal long NextSequence() => Interlocked.Increment(ref sequence);

    internal void Add(RequestRecord record)
    {
        lock (gate)
        {
            records.AddLast(record);
            if (records.Count > Capacity)
            {
                records.RemoveFirst();
            }
        }
    }

    public IReadOnlyList<RequestRecord> Snapshot()
    {
        lock (gate)
        {
            return records.ToList();
        }
    }

    public void Clear()
    {
        lock (gate)
        {
            records.Clear();
        }
    }
}
