using System.Runtime.InteropServices;

namespace Connector.Stores.Vdir;

/// <summary>
/// Writes a file so that readers see the old content or the new, never a part (the vdir spec asks for
/// atomic writes): the bytes go to a hidden <c>.tmp</c> file in the same folder, are flushed to disk, and
/// then take the final name in one step.
/// </summary>
internal static partial class AtomicFile
{
    private const int ErrnoFileExists = 17; // EEXIST, the same on Linux and macOS

    /// <summary>
    /// Creates <paramref name="path"/> with <paramref name="content"/>; false, and nothing written, when a
    /// file of that name exists (also when another process creates it at the same moment).
    /// </summary>
    public static async Task<bool> TryCreateAsync(string path, ReadOnlyMemory<byte> content, CancellationToken cancellationToken)
    {
        if (File.Exists(path))
        {
            return false;
        }

        var temp = await WriteTempAsync(path, content, cancellationToken);
        try
        {
            return LinkNoReplace(temp, path);
        }
        finally
        {
            File.Delete(temp);
        }
    }

    /// <summary>Replaces (or creates) <paramref name="path"/> with <paramref name="content"/>.</summary>
    public static async Task ReplaceAsync(string path, ReadOnlyMemory<byte> content, CancellationToken cancellationToken)
    {
        var temp = await WriteTempAsync(path, content, cancellationToken);
        try
        {
            // rename(2) / MoveFileEx with replace: atomic on the same volume.
            File.Move(temp, path, overwrite: true);
        }
        catch
        {
            File.Delete(temp);
            throw;
        }
    }

    private static async Task<string> WriteTempAsync(string path, ReadOnlyMemory<byte> content, CancellationToken cancellationToken)
    {
        var folder = Path.GetDirectoryName(path) ?? throw new ArgumentException("The path has no folder.", nameof(path));
        var temp = Path.Combine(folder, VdirFileNames.NewTempName());
        try
        {
            await using var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 1, FileOptions.Asynchronous);
            await stream.WriteAsync(content, cancellationToken);

            // Without this a crash soon after the rename can leave the final name with no data on ext4/xfs
            // (delayed allocation): the rename is journalled before the blocks are written.
            stream.Flush(flushToDisk: true);
        }
        catch
        {
            File.Delete(temp);
            throw;
        }

        return temp;
    }

    /// <summary>Gives <paramref name="temp"/> the name <paramref name="path"/> unless that name exists.</summary>
    private static bool LinkNoReplace(string temp, string path)
    {
        if (!OperatingSystem.IsWindows())
        {
            // .NET's File.Move(overwrite: false) checks for the target and then renames, which leaves a window
            // in which another process's file of the same name would be replaced. link(2) fails atomically
            // when the name exists; the temporary name is removed by the caller.
            if (Link(temp, path) == 0)
            {
                return true;
            }

            if (Marshal.GetLastPInvokeError() == ErrnoFileExists)
            {
                return false;
            }

            // No hard links on this file system (FAT, some network mounts): fall back to File.Move below.
        }

        try
        {
            // On Windows this is MoveFileEx without MOVEFILE_REPLACE_EXISTING, which fails atomically.
            File.Move(temp, path, overwrite: false);
            return true;
        }
        catch (IOException) when (File.Exists(path))
        {
            return false;
        }
    }

    [LibraryImport("libc", EntryPoint = "link", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Link(string existingPath, string newPath);
}
