namespace Connector.Testing;

/// <summary>
/// Finds ../shared next to the repository (CI clones the repo with shared/ beside it), or the folder
/// named by CONNECTOR_SHARED_DIR.
/// </summary>
public static class SharedFixtures
{
    private static readonly Lazy<string> SharedRoot = new(FindSharedRoot);

    public static string SharedDirectory => SharedRoot.Value;

    public static string Directory => Path.Combine(SharedRoot.Value, "fixtures", "ical-vcard");

    public static string PathOf(string fileName) => Path.Combine(Directory, fileName);

    public static byte[] Bytes(string fileName) => File.ReadAllBytes(PathOf(fileName));

    /// <summary>Fixture file names with the given extension (e.g. ".ics"), for [MemberData].</summary>
    public static IEnumerable<object[]> Files(string extension) =>
        System.IO.Directory.EnumerateFiles(Directory, "*" + extension)
            .Select(Path.GetFileName)
            .Order(StringComparer.Ordinal)
            .Select(name => new object[] { name! });

    private static string FindSharedRoot()
    {
        var fromEnvironment = Environment.GetEnvironmentVariable("CONNECTOR_SHARED_DIR");
        if (!string.IsNullOrEmpty(fromEnvironment))
        {
            return System.IO.Directory.Exists(fromEnvironment)
                ? fromEnvironment
                : throw new InvalidOperationException($"CONNECTOR_SHARED_DIR={fromEnvironment} does not exist");
        }

        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Directory.Packages.props")))
        {
            dir = dir.Parent;
        }

        if (dir?.Parent is null)
        {
            throw new InvalidOperationException($"cannot find the repository root above {AppContext.BaseDirectory}");
        }

        var shared = Path.Combine(dir.Parent.FullName, "shared");
        return System.IO.Directory.Exists(shared)
            ? shared
            : throw new InvalidOperationException($"the shared folder is expected at {shared} (beside the repository); set CONNECTOR_SHARED_DIR to override");
    }
}
