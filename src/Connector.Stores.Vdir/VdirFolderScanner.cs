using System.Text;

namespace Connector.Stores.Vdir;

/// <summary>
/// Lists a collection folder's items with their versions (content hashes). Hidden files, temporary
/// files, metadata files and files of the other format are not items. A file that disappears between
/// listing and hashing (deleted by another program mid-scan) is simply not there.
/// </summary>
internal static class VdirFolderScanner
{
    /// <summary>Our temporary files older than this were left by a crash and are removed.</summary>
    private static readonly TimeSpan StaleTempAge = TimeSpan.FromHours(1);

    /// <summary>File name → version, in ordinal name order.</summary>
    public static async Task<SortedDictionary<string, string>> ScanAsync(string folder, string extension, CancellationToken cancellationToken)
    {
        var names = new List<string>();
        foreach (var path in Directory.EnumerateFiles(folder))
        {
            var name = Path.GetFileName(path);
            if (VdirFileNames.IsItemFile(name, extension))
            {
                names.Add(name);
            }
            else if (VdirFileNames.IsOwnTempFile(name))
            {
                RemoveIfStale(path);
            }
        }

        var versions = await HashAsync(folder, names, cancellationToken);

        // Every file vanishing because the folder itself went away (unmounted, deleted) must not read as
        // "all items deleted".
        if (!Directory.Exists(folder))
        {
            throw new DirectoryNotFoundException($"The folder {folder} disappeared during the scan.");
        }

        return versions;
    }

    /// <summary>Versions of the named files; names whose file is gone are left out.</summary>
    internal static async Task<SortedDictionary<string, string>> HashAsync(string folder, IEnumerable<string> names, CancellationToken cancellationToken)
    {
        var result = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var name in names)
        {
            var path = Path.Combine(folder, name);
            try
            {
                var content = await TryReadAsync(path, cancellationToken);
                if (content is not null)
                {
                    result[name] = VdirItemCodec.Version(content);
                }
            }
            catch (Exception ex) when (ex is UnauthorizedAccessException or IOException)
            {
                // Still an item (S21): listed, so that fetching it reports why it cannot be read, with a
                // version that changes when the file does.
                result[name] = VdirItemCodec.Version(Encoding.UTF8.GetBytes(
                    $"unreadable|{File.GetLastWriteTimeUtc(path).Ticks}|{ex.GetType().Name}"));
            }
        }

        return result;
    }

    /// <summary>The file's bytes, or null when it does not exist (any more).</summary>
    public static async Task<byte[]?> TryReadAsync(string path, CancellationToken cancellationToken)
    {
        try
        {
            return await File.ReadAllBytesAsync(path, cancellationToken);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }

    private static void RemoveIfStale(string path)
    {
        try
        {
            if (DateTime.UtcNow - File.GetLastWriteTimeUtc(path) > StaleTempAge)
            {
                File.Delete(path);
            }
        }
        catch (IOException)
        {
            // Being written or removed right now by someone else: not stale, or already gone.
        }
    }
}
