using System.Text.Json.Nodes;
using Connector.Emulator.Store;

namespace Connector.Emulator.Graph;

/// <summary>
/// The Microsoft 365 tenant's part of the emulator data file (<see cref="EmulatorOptions.DataFile"/>):
/// mailboxes with their user ids, folders and items (stored JSON, ids, change keys, timestamps,
/// exceptions, cancelled occurrences, transaction ids), so that after a restart a client sees the
/// same ids and etags. Not kept, as for EWS: delta and skip tokens (a restarted emulator knows none,
/// so an old one answers 410 syncStateNotFound and the client lists in full, never wrong data) and
/// outboxes (what was "sent" is gone, as sent mail is).
/// </summary>
internal static class GraphTenantPersistence
{
    public static GraphTenantSnapshot Snapshot(GraphTenant tenant) => new()
    {
        Mailboxes = tenant.Mailboxes.OrderBy(m => m.UserPrincipalName, StringComparer.OrdinalIgnoreCase).Select(m =>
        {
            lock (m.Gate)
            {
                return m.Snapshot();
            }
        }).ToList(),
    };

    /// <summary>Loads the snapshot into a tenant that holds only the (empty) mailboxes of the options.</summary>
    public static void Restore(GraphTenant tenant, GraphTenantSnapshot snapshot)
    {
        foreach (var saved in snapshot.Mailboxes)
        {
            var mailbox = tenant.GetOrAdd(saved.UserPrincipalName, saved.DisplayName, saved.Id);
            lock (mailbox.Gate)
            {
                mailbox.Restore(saved);
            }
        }
    }
}

internal sealed class GraphTenantSnapshot
{
    public List<GraphMailboxSnapshot> Mailboxes { get; set; } = [];
}

internal sealed class GraphMailboxSnapshot
{
    public string Id { get; set; } = string.Empty;

    public string UserPrincipalName { get; set; } = string.Empty;

    public string DisplayName { get; set; } = string.Empty;

    public string RootFolderId { get; set; } = string.Empty;

    /// <summary>The change key counter: keys issued after a restart must differ from every earlier one.</summary>
    public long ChangeCounter { get; set; }

    public List<GraphFolderSnapshot> Folders { get; set; } = [];
}

internal sealed class GraphFolderSnapshot
{
    public string Id { get; set; } = string.Empty;

    public GraphFolderKind Kind { get; set; }

    public string DisplayName { get; set; } = string.Empty;

    public bool IsDefault { get; set; }

    public string ChangeKey { get; set; } = string.Empty;

    public List<GraphItemSnapshot> Items { get; set; } = [];
}

internal sealed class GraphItemSnapshot
{
    public string Id { get; set; } = string.Empty;

    /// <summary>The stored properties, as they were (so a restored item renders as before).</summary>
    public JsonObject Data { get; set; } = [];

    public DateTimeOffset Created { get; set; }

    public DateTimeOffset Modified { get; set; }

    public string ChangeKey { get; set; } = string.Empty;

    public string? ICalUId { get; set; }

    public string? TransactionId { get; set; }

    public Dictionary<string, string> ExtendedProperties { get; set; } = [];

    public List<GraphExceptionSnapshot> Exceptions { get; set; } = [];

    /// <summary>Original starts (UTC, round-trip format) of deleted occurrences.</summary>
    public List<string> Cancelled { get; set; } = [];
}

internal sealed class GraphExceptionSnapshot
{
    public string OriginalStartUtc { get; set; } = string.Empty;

    public JsonObject Overrides { get; set; } = [];

    public DateTimeOffset Modified { get; set; }

    public string ChangeKey { get; set; } = string.Empty;
}

/// <summary>The persistence side of a Graph mailbox (its id prefixes are derived from the UPN; its counter is private).</summary>
internal sealed partial class GraphMailbox
{
    public GraphMailboxSnapshot Snapshot() => new()
    {
        Id = Id,
        UserPrincipalName = UserPrincipalName,
        DisplayName = DisplayName,
        RootFolderId = RootFolderId,
        ChangeCounter = Interlocked.Read(ref changeCounter),
        Folders = Folders.Select(f => new GraphFolderSnapshot
        {
            Id = f.Id,
            Kind = f.Kind,
            DisplayName = f.DisplayName,
            IsDefault = f.IsDefault,
            ChangeKey = f.ChangeKey,
            Items = f.Items.Select(i => new GraphItemSnapshot
            {
                Id = i.Id,
                Data = (JsonObject)i.Data.DeepClone(),
                Created = i.Created,
                Modified = i.Modified,
                ChangeKey = i.ChangeKey,
                ICalUId = i.ICalUId,
                TransactionId = i.TransactionId,
                ExtendedProperties = new(i.ExtendedProperties, StringComparer.OrdinalIgnoreCase),
                Exceptions = i.Exceptions.Select(e => new GraphExceptionSnapshot
                {
                    OriginalStartUtc = EmulatorStorePersistence.Time(e.Key),
                    Overrides = (JsonObject)e.Value.Overrides.DeepClone(),
                    Modified = e.Value.Modified,
                    ChangeKey = e.Value.ChangeKey,
                }).ToList(),
                Cancelled = i.Cancelled.Select(EmulatorStorePersistence.Time).ToList(),
            }).ToList(),
        }).ToList(),
    };

    /// <summary>
    /// Replaces this freshly created mailbox's folders (whose ids were random) with the snapshot's,
    /// items included; forgets every token issued so far.
    /// </summary>
    public void Restore(GraphMailboxSnapshot snapshot)
    {
        var folders = new List<GraphFolder>();
        foreach (var savedFolder in snapshot.Folders)
        {
            var folder = new GraphFolder(savedFolder.Id, savedFolder.Kind, savedFolder.DisplayName, savedFolder.IsDefault, savedFolder.ChangeKey);
            foreach (var saved in savedFolder.Items)
            {
                var item = new GraphItem(saved.Id, folder, (JsonObject)saved.Data.DeepClone(), saved.Created, saved.ChangeKey)
                {
                    Modified = saved.Modified,
                    ICalUId = saved.ICalUId,
                    TransactionId = saved.TransactionId,
                };
                foreach (var (key, value) in saved.ExtendedProperties)
                {
                    item.ExtendedProperties[key] = value;
                }

                foreach (var exception in saved.Exceptions)
                {
                    item.Exceptions[EmulatorStorePersistence.ParseTime(exception.OriginalStartUtc)] =
                        new GraphException((JsonObject)exception.Overrides.DeepClone(), exception.Modified, exception.ChangeKey);
                }

                foreach (var cancelled in saved.Cancelled)
                {
                    item.Cancelled.Add(EmulatorStorePersistence.ParseTime(cancelled));
                }

                if (item.TransactionId is { } transactionId)
                {
                    Transactions[transactionId] = item.Id;
                }

                folder.Items.Add(item);
            }

            folders.Add(folder);
        }

        foreach (var kind in Enum.GetValues<GraphFolderKind>().Where(k => !folders.Any(f => f.Kind == k && f.IsDefault)))
        {
            throw new InvalidDataException($"{UserPrincipalName}: the saved Graph mailbox has no default {kind} folder");
        }

        Folders.Clear();
        Folders.AddRange(folders);
        if (!string.IsNullOrEmpty(snapshot.RootFolderId))
        {
            RootFolderId = snapshot.RootFolderId;
        }

        Interlocked.Exchange(ref changeCounter, Math.Max(Interlocked.Read(ref changeCounter), snapshot.ChangeCounter));
        Tokens.Clear();
        TokenOrder.Clear();
    }
}
