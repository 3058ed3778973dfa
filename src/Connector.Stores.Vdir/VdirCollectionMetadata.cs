using System.Text;
using Connector.Sync.Stores;

namespace Connector.Stores.Vdir;

/// <summary>
/// A collection folder's metadata files. vdirsyncer defines <c>displayname</c>, <c>color</c>,
/// <c>description</c> and <c>order</c> (no extension, so no tool takes them for items); the vdir spec has
/// no word for what a folder holds, so we add <c>connector-kind</c> holding <c>VEVENT</c>, <c>VTODO</c> or
/// <c>VCARD</c>. A folder without it (made by vdirsyncer, khal, khard) is classified by its files.
/// </summary>
internal static class VdirCollectionMetadata
{
    public const string KindFileName = "connector-kind";

    public const string DisplayNameFileName = "displayname";

    /// <summary>How many .ics files are opened to tell an unmarked events folder from a tasks folder.</summary>
    private const int FilesSampledForKind = 5;

    private static readonly UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false);

    /// <summary>
    /// Marks <paramref name="folder"/> as a collection of <paramref name="kind"/>; false when the kind file
    /// exists already (the folder was taken by someone else in the meantime).
    /// </summary>
    public static bool TryClaim(string folder, ItemKind kind)
    {
        try
        {
            using var stream = new FileStream(Path.Combine(folder, KindFileName), FileMode.CreateNew, FileAccess.Write);
            stream.Write(Utf8NoBom.GetBytes(ComponentName(kind) + "\n"));
            return true;
        }
        catch (IOException) when (File.Exists(Path.Combine(folder, KindFileName)))
        {
            return false;
        }
    }

    public static Task WriteDisplayNameAsync(string folder, string displayName, CancellationToken cancellationToken) =>
        AtomicFile.ReplaceAsync(Path.Combine(folder, DisplayNameFileName), Utf8NoBom.GetBytes(displayName), cancellationToken);

    /// <summary>The collection in <paramref name="folder"/>, or null when it is not one (unknown or unclassifiable).</summary>
    public static async Task<CollectionInfo?> ReadAsync(string folder, CancellationToken cancellationToken)
    {
        var id = Path.GetFileName(folder);
        var kind = await ReadKindAsync(folder, cancellationToken) ?? await InferKindAsync(folder, cancellationToken);
        if (kind is not { } known)
        {
            return null;
        }

        var displayName = await ReadTextAsync(Path.Combine(folder, DisplayNameFileName), cancellationToken);
        return new CollectionInfo(id, string.IsNullOrWhiteSpace(displayName) ? id : displayName.Trim(), known);
    }

    private static string ComponentName(ItemKind kind) => kind switch
    {
        ItemKind.Event => "VEVENT",
        ItemKind.Task => "VTODO",
        ItemKind.Contact => "VCARD",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "A collection holds exactly one kind of item."),
    };

    private static async Task<ItemKind?> ReadKindAsync(string folder, CancellationToken cancellationToken)
    {
        var text = await ReadTextAsync(Path.Combine(folder, KindFileName), cancellationToken);
        return text?.Trim().ToUpperInvariant() switch
        {
            "VEVENT" => ItemKind.Event,
            "VTODO" => ItemKind.Task,
            "VCARD" => ItemKind.Contact,
            _ => null,
        };
    }

    /// <summary>
    /// A folder others made: .vcf files make an address book; .ics files an events or tasks calendar,
    /// whichever component the first files hold. A folder that holds both keeps the kind found first; the
    /// other kind's files then fetch as unreadable with a reason saying so.
    /// </summary>
    private static async Task<ItemKind?> InferKindAsync(string folder, CancellationToken cancellationToken)
    {
        var files = Directory.EnumerateFiles(folder).Select(Path.GetFileName).OfType<string>().ToList();
        if (files.Any(f => VdirFileNames.IsItemFile(f, VdirFileNames.ContactExtension)))
        {
            return ItemKind.Contact;
        }

        foreach (var file in files.Where(f => VdirFileNames.IsItemFile(f, VdirFileNames.CalendarExtension)).Take(FilesSampledForKind))
        {
            var text = await ReadTextAsync(Path.Combine(folder, file), cancellationToken) ?? string.Empty;
            if (text.Contains("BEGIN:VEVENT", StringComparison.OrdinalIgnoreCase))
            {
                return ItemKind.Event;
            }

            if (text.Contains("BEGIN:VTODO", StringComparison.OrdinalIgnoreCase))
            {
                return ItemKind.Task;
            }
        }

        return null;
    }

    private static async Task<string?> ReadTextAsync(string path, CancellationToken cancellationToken)
    {
        try
        {
            return await File.ReadAllTextAsync(path, Encoding.UTF8, cancellationToken);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }
}
