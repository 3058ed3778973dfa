using System.Globalization;

namespace Connector.Worker.Identities;

/// <summary>Unix file modes, for the warning ssh also gives about a private key others can read.</summary>
public static class FilePermissions
{
    /// <summary>The mode (e.g. "644") when group or others may read the file; null when they may not, or on Windows.</summary>
    public static string? ReadableByOthers(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            return null;
        }

        var mode = File.GetUnixFileMode(path);
        if ((mode & (UnixFileMode.GroupRead | UnixFileMode.OtherRead)) == 0)
        {
            return null;
        }

        return Convert.ToString((int)mode & 0x1FF, 8).PadLeft(3, '0').ToString(CultureInfo.InvariantCulture);
    }
}
