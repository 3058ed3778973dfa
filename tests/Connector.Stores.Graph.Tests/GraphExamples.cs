using System.Text;

namespace Connector.Stores.Graph.Tests;

/// <summary>The Graph examples from Microsoft's documentation in shared/protocols/examples (HTTP blocks and JSON bodies).</summary>
internal static class GraphExamples
{
    public static string Directory => Path.Combine(SharedFixtures.SharedDirectory, "protocols", "examples");

    public static IEnumerable<object[]> Files() =>
        System.IO.Directory.EnumerateFiles(Directory, "graph-*")
            .Where(f => f.EndsWith(".http", StringComparison.Ordinal) || f.EndsWith(".json", StringComparison.Ordinal))
            .Select(f => new object[] { Path.GetFileName(f) })
            .OrderBy(f => (string)f[0], StringComparer.Ordinal);

    /// <summary>The JSON body of an example: a .json file whole, an .http file after its blank line (null when it has none).</summary>
    public static byte[]? Body(string fileName)
    {
        var text = File.ReadAllText(Path.Combine(Directory, fileName)).Replace("\r\n", "\n", StringComparison.Ordinal);
        if (fileName.EndsWith(".json", StringComparison.Ordinal))
        {
            return Encoding.UTF8.GetBytes(text);
        }

        var blank = text.IndexOf("\n\n", StringComparison.Ordinal);
        if (blank < 0)
        {
            return null;
        }

        var body = text[(blank + 2)..].Trim();
        return body.Length == 0 ? null : Encoding.UTF8.GetBytes(body);
    }
}
