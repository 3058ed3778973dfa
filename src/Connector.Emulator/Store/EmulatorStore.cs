using System.Collections.Concurrent;

namespace Connector.Emulator.Store;

/// <summary>All mailboxes of the emulated server and the process-wide id, sync-state and alias tables.</summary>
internal sealed class EmulatorStore
{
    private readonly ConcurrentDictionary<string, Mailbox> mailboxes = new(StringComparer.OrdinalIgnoreCase);
    private long outboxSequence;

    public EmulatorStore(EmulatorOptions options)
    {
        Options = options;
        SyncStates = new SyncStateCodec(options.SyncStatePaddingBytes);
    }

    public EmulatorOptions Options { get; }

    public SyncStateCodec SyncStates { get; }

    /// <summary>Seeded item ids (e.g. the documentation's "AAMkA…") → mailbox and serial.</summary>
    public ConcurrentDictionary<string, (Mailbox Mailbox, long Serial)> ItemAliases { get; } = new(StringComparer.Ordinal);

    /// <summary>Seeded folder ids → mailbox and folder serial.</summary>
    public ConcurrentDictionary<string, (Mailbox Mailbox, long Serial)> FolderAliases { get; } = new(StringComparer.Ordinal);

    public DateTimeOffset Now => Options.TimeProvider.GetUtcNow();

    public IEnumerable<Mailbox> Mailboxes => mailboxes.Values;

    public long NextOutboxSequence() => Interlocked.Increment(ref outboxSequence);

    public Mailbox GetOrAdd(string smtpAddress, string? displayName = null) =>
        mailboxes.GetOrAdd(smtpAddress.Trim(), s => new Mailbox(this, s, displayName ?? DefaultDisplayName(s)));

    public Mailbox? Find(string? smtpAddress) =>
        smtpAddress is null ? null : mailboxes.GetValueOrDefault(smtpAddress.Trim());

    public Mailbox? FindByKey(Guid key) => mailboxes.Values.FirstOrDefault(m => m.Key == key);

    private static string DefaultDisplayName(string smtp)
    {
        var local = smtp.Split('@')[0].Replace('.', ' ');
        return string.Join(' ', local.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(w => char.ToUpperInvariant(w[0]) + w[1..]));
    }
}
