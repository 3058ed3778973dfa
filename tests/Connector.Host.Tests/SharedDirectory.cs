namespace Connector.Host.Tests;

/// <summary>Finds ../shared beside the repository (or CONNECTOR_SHARED_DIR).</summary>
internal static class SharedDirectory
{
    private static readonly Lazy<string> Root = new(() =>
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

        return Path.Combine(dir?.Parent?.FullName ?? throw new InvalidOperationException("repository root not found"), "shared");
    });

    public static string Fixtures => Path.Combine(Root.Value, "fixtures", "ical-vcard");
}
