namespace Connector.Emulator.Tests.Graph;

/// <summary>
/// The Microsoft documentation examples in ../shared/protocols/examples (CONNECTOR_SHARED_DIR
/// overrides ../shared), read where they are rather than copied.
/// </summary>
internal static class SharedExamples
{
    public static string Directory { get; } = Path.Combine(FindSharedRoot(), "protocols", "examples");

    /// <summary>The JSON body of an .http example (after the blank line that ends the headers).</summary>
    public static string HttpBody(string file)
    {
        var text = File.ReadAllText(Path.Combine(Directory, file)).Replace("\r\n", "\n", StringComparison.Ordinal);
        var blank = text.IndexOf("\n\n", StringComparison.Ordinal);
        return blank < 0 ? string.Empty : text[(blank + 2)..];
    }

    private static string FindSharedRoot()
    {
        var fromEnvironment = Environment.GetEnvironmentVariable("CONNECTOR_SHARED_DIR");
        if (!string.IsNullOrEmpty(fromEnvironment))
        {
            return fromEnvironment;
        }

        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Directory.Packages.props")))
        {
            dir = dir.Parent;
        }

        return dir?.Parent is null
            ? throw new InvalidOperationException($"cannot find the repository root above {AppContext.BaseDirectory}")
            : Path.Combine(dir.Parent.FullName, "shared");
    }
}
