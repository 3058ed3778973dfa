using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Xml.Linq;
using Connector.Emulator.Graph;

namespace Connector.Emulator.Store;

/// <summary>
/// Saves the mailboxes (items, their change keys and counters) to a JSON file and loads them at start
/// instead of seeding (<see cref="EmulatorOptions.DataFile"/>), so that `connector demo` run twice sees
/// the Exchange it left; the Microsoft 365 tenant goes into the same file (<see cref="GraphTenantPersistence"/>).
/// Not kept: sync states (a restarted emulator issues new ones, and the old are
/// rejected as expired — clients list in full, as after Exchange's own expiry), tombstones, outboxes.
/// </summary>
internal static class EmulatorStorePersistence
{
    private const int FormatVersion = 1;

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = false, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    /// <summary>Reads <paramref name="path"/>; null when there is no such file.</summary>
    public static StoreSnapshot? Read(string? path)
    {
        if (string.IsNullOrEmpty(path) || !File.Exists(path))
        {
            return null;
        }

        var snapshot = JsonSerializer.Deserialize<StoreSnapshot>(File.ReadAllText(path), Json)
            ?? throw new InvalidDataException($"{path}: empty emulator data file");
        if (snapshot.Version != FormatVersion)
        {
            throw new InvalidDataException($"{path}: emulator data format {snapshot.Version}, expected {FormatVersion}");
        }

        return snapshot;
    }

    /// <summary>Loads the snapshot's EWS mailboxes into the (empty) store.</summary>
    public static void Restore(EmulatorStore store, StoreSnapshot snapshot)
    {
        foreach (var box in snapshot.Mailboxes)
        {
            var mailbox = store.GetOrAdd(box.SmtpAddress, box.DisplayName);
            lock (mailbox.Gate)
            {
                mailbox.Restore(box);
            }
        }
    }

    /// <summary>
    /// Writes every EWS mailbox and, when given, the Microsoft 365 tenant to <paramref name="path"/>
    /// (a temporary file renamed into place).
    /// </summary>
    public static void Save(EmulatorStore store, GraphTenant? graph, string path)
    {
        var snapshot = new StoreSnapshot
        {
            Version = FormatVersion,
            Mailboxes = store.Mailboxes.OrderBy(m => m.SmtpAddress, StringComparer.OrdinalIgnoreCase).Select(m =>
            {
                lock (m.Gate)
                {
                    return m.Snapshot();
                }
            }).ToList(),
            Graph = graph is null ? null : GraphTenantPersistence.Snapshot(graph),
        };
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var temporary = full + ".tmp";
        File.WriteAllText(temporary, JsonSerializer.Serialize(snapshot, Json));
        File.Move(temporary, full, overwrite: true);
    }

    internal static string Xml(XElement element) => element.ToString(SaveOptions.DisableFormatting);

    internal static string Time(DateTime utc) => utc.ToString("O", CultureInfo.InvariantCulture);

    internal static DateTime ParseTime(string text) => DateTime.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);
}

internal sealed class StoreSnapshot
{
    public int Version { get; set; }

    public List<MailboxSnapshot> Mailboxes { get; set; } = [];

    /// <summary>The Microsoft 365 tenant; absent in files written before it was kept (the tenant is then seeded).</summary>
    public GraphTenantSnapshot? Graph { get; set; }
}

internal sealed class MailboxSnapshot
{
    public string SmtpAddress { get; set; } = string.Empty;

    public string DisplayName { get; set; } = string.Empty;

    public long NextSerial { get; set; }

    public long NextChangeNumber { get; set; }

    public List<ItemSnapshot> Items { get; set; } = [];
}

internal sealed class ItemSnapshot
{
    public long Serial { get; set; }

    public ItemKind Kind { get; set; }

    public string Folder { get; set; } = string.Empty;

    public string Id { get; set; } = string.Empty;

    public string ChangeKey { get; set; } = string.Empty;

    public long ChangeNumber { get; set; }

    public Dictionary<string, long> KnownChangeKeys { get; set; } = [];

    public Dictionary<string, long> FieldChangeNumbers { get; set; } = [];

    public Dictionary<string, string> Props { get; set; } = [];

    public Dictionary<string, string> ExtendedProperties { get; set; } = [];

    public DateTimeOffset Created { get; set; }

    public DateTimeOffset Modified { get; set; }

    public int ChangeCount { get; set; }

    public string? OrganizerName { get; set; }

    public string? OrganizerEmail { get; set; }

    public bool MeetingRequestWasSent { get; set; }

    public bool IsCancelled { get; set; }

    public int AppointmentSequenceNumber { get; set; }

    public List<ExceptionSnapshot> Exceptions { get; set; } = [];

    public List<string> DeletedOccurrences { get; set; } = [];
}

internal sealed class ExceptionSnapshot
{
    public string OriginalStartUtc { get; set; } = string.Empty;

    public Dictionary<string, string> Props { get; set; } = [];

    public string ChangeKey { get; set; } = string.Empty;

    public long ChangeNumber { get; set; }

    public DateTimeOffset Modified { get; set; }
}

/// <summary>The persistence side of a mailbox (its counters are private to it).</summary>
internal sealed partial class Mailbox
{
    public MailboxSnapshot Snapshot() => new()
    {
        SmtpAddress = SmtpAddress,
        DisplayName = DisplayName,
        NextSerial = nextSerial,
        NextChangeNumber = nextChangeNumber,
        Items = Items.Values.OrderBy(i => i.Serial).Select(i => new ItemSnapshot
        {
            Serial = i.Serial,
            Kind = i.Kind,
            Folder = i.Folder.DistinguishedName ?? throw new InvalidOperationException($"item {i.Id} is in a folder without a distinguished name"),
            Id = i.Id,
            ChangeKey = i.ChangeKey,
            ChangeNumber = i.ChangeNumber,
            KnownChangeKeys = new(i.KnownChangeKeys),
            FieldChangeNumbers = new(i.FieldChangeNumbers),
            Props = i.Props.ToDictionary(p => p.Key, p => EmulatorStorePersistence.Xml(p.Value)),
            ExtendedProperties = i.ExtendedProperties.ToDictionary(p => p.Key, p => EmulatorStorePersistence.Xml(p.Value)),
            Created = i.Created,
            Modified = i.Modified,
            ChangeCount = i.ChangeCount,
            OrganizerName = i.Organizer?.Name,
            OrganizerEmail = i.Organizer?.EmailAddress,
            MeetingRequestWasSent = i.MeetingRequestWasSent,
            IsCancelled = i.IsCancelled,
            AppointmentSequenceNumber = i.AppointmentSequenceNumber,
            Exceptions = i.Exceptions.Values.Select(e => new ExceptionSnapshot
            {
                OriginalStartUtc = EmulatorStorePersistence.Time(e.OriginalStartUtc),
                Props = e.Props.ToDictionary(p => p.Key, p => EmulatorStorePersistence.Xml(p.Value)),
                ChangeKey = e.ChangeKey,
                ChangeNumber = e.ChangeNumber,
                Modified = e.Modified,
            }).ToList(),
            DeletedOccurrences = i.DeletedOccurrences.Select(EmulatorStorePersistence.Time).ToList(),
        }).ToList(),
    };

    /// <summary>Replaces this (freshly created) mailbox's items with the snapshot's.</summary>
    public void Restore(MailboxSnapshot snapshot)
    {
        foreach (var saved in snapshot.Items)
        {
            var folder = FolderByDistinguishedName(saved.Folder)
                ?? throw new InvalidDataException($"{SmtpAddress}: item {saved.Id} is in an unknown folder '{saved.Folder}'");
            var item = new StoredItem(saved.Serial, saved.Kind, folder, saved.Id)
            {
                ChangeKey = saved.ChangeKey,
                ChangeNumber = saved.ChangeNumber,
                Created = saved.Created,
                Modified = saved.Modified,
                ChangeCount = saved.ChangeCount,
                Organizer = saved.OrganizerEmail is null ? null : new MailboxAddress(saved.OrganizerName, saved.OrganizerEmail),
                MeetingRequestWasSent = saved.MeetingRequestWasSent,
                IsCancelled = saved.IsCancelled,
                AppointmentSequenceNumber = saved.AppointmentSequenceNumber,
            };
            foreach (var (key, value) in saved.KnownChangeKeys)
            {
                item.KnownChangeKeys[key] = value;
            }

            foreach (var (key, value) in saved.FieldChangeNumbers)
            {
                item.FieldChangeNumbers[key] = value;
            }

            foreach (var (key, value) in saved.Props)
            {
                item.Props[key] = XElement.Parse(value);
            }

            foreach (var (key, value) in saved.ExtendedProperties)
            {
                item.ExtendedProperties[key] = XElement.Parse(value);
            }

            foreach (var savedException in saved.Exceptions)
            {
                var exception = new OccurrenceException(EmulatorStorePersistence.ParseTime(savedException.OriginalStartUtc))
                {
                    ChangeKey = savedException.ChangeKey,
                    ChangeNumber = savedException.ChangeNumber,
                    Modified = savedException.Modified,
                };
                foreach (var (key, value) in savedException.Props)
                {
                    exception.Props[key] = XElement.Parse(value);
                }

                item.Exceptions[exception.OriginalStartUtc] = exception;
            }

            foreach (var deleted in saved.DeletedOccurrences)
            {
                item.DeletedOccurrences.Add(EmulatorStorePersistence.ParseTime(deleted));
            }

            if (item.Id != OpaqueIds.Encode(IdKind.Item, Key, item.Serial))
            {
                Store.ItemAliases[item.Id] = (this, item.Serial);
            }

            Items[item.Serial] = item;
            folder.Items[item.Serial] = item;
            folder.Record(item.Serial, ChangeKind.Create);
        }

        nextSerial = Math.Max(nextSerial, snapshot.NextSerial);
        nextChangeNumber = Math.Max(nextChangeNumber, snapshot.NextChangeNumber);
    }
}
