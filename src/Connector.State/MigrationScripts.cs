using System.Globalization;
using System.Reflection;

namespace Connector.State;

/// <summary>A schema change: the script <c>Migrations/&lt;Provider&gt;/NNNN_name.sql</c>, embedded in this assembly.</summary>
internal sealed record MigrationScript(int Version, string Name, string Sql);

/// <summary>
/// Reads the embedded migration scripts of one provider, in version order. Scripts are append-only: a
/// released script is never edited, a change is a new script with the next number. Each script must be
/// idempotent on its own (IF NOT EXISTS), although the schema_version table already keeps it from running twice.
/// </summary>
internal static class MigrationScripts
{
    private const string Prefix = "Connector.State.Migrations.";

    public static IReadOnlyList<MigrationScript> For(string provider)
    {
        var assembly = typeof(MigrationScripts).Assembly;
        var scripts = new List<MigrationScript>();
        foreach (var resource in assembly.GetManifestResourceNames())
        {
            if (!resource.StartsWith(Prefix, StringComparison.Ordinal))
            {
                continue;
            }

            // LogicalName is Prefix + "<Provider>/<file>" (RecursiveDir keeps the separator of the build machine).
            var relative = resource[Prefix.Length..].Replace('\\', '/');
            var slash = relative.IndexOf('/', StringComparison.Ordinal);
            if (slash < 0 || !string.Equals(relative[..slash], provider, StringComparison.Ordinal))
            {
                continue;
            }

            var file = relative[(slash + 1)..];
            var underscore = file.IndexOf('_', StringComparison.Ordinal);
            if (underscore <= 0 || !int.TryParse(file.AsSpan(0, underscore), NumberStyles.None, CultureInfo.InvariantCulture, out var version))
            {
                throw new InvalidOperationException($"Migration script '{relative}' is not named NNNN_name.sql.");
            }

            scripts.Add(new MigrationScript(version, Path.GetFileNameWithoutExtension(file), Read(assembly, resource)));
        }

        scripts.Sort((a, b) => a.Version.CompareTo(b.Version));
        for (var i = 0; i < scripts.Count; i++)
        {
            if (scripts[i].Version != i + 1)
            {
                throw new InvalidOperationException($"{provider} migration scripts must be numbered 1, 2, 3, … without gaps; found {scripts[i].Name} at position {i + 1}.");
            }
        }

        return scripts;
    }

    private static string Read(Assembly assembly, string resource)
    {
        using var stream = assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"Embedded migration {resource} is missing.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
