using System.Globalization;
using System.Text;

namespace Connector.Stores.Dav.Tests.Replay;

/// <summary>Where replay conversations live and how they are read and written.</summary>
internal static class ReplayFiles
{
    /// <summary>Set to 1 to record the conversations again from the real servers (writes into the source tree).</summary>
    public const string RecordVariable = "CONNECTOR_DAV_RECORD";

    public static bool Recording => Environment.GetEnvironmentVariable(RecordVariable) == "1";

    /// <summary>The conversation's folder in the build output (replay) or in the source tree (recording).</summary>
    public static string Folder(string server, string conversation) =>
        Path.Combine(Recording ? SourceFolder() : Path.Combine(AppContext.BaseDirectory, "Replay"), server, conversation);

    public static IReadOnlyList<RecordedExchange> Load(string server, string conversation)
    {
        var folder = Folder(server, conversation);
        Assert.True(Directory.Exists(folder), $"no recorded conversation at {folder} (record it with {RecordVariable}=1)");
        return Directory.GetFiles(folder, "*.http")
            .Order(StringComparer.Ordinal)
            .Select(f => RecordedExchange.Parse(File.ReadAllText(f, Encoding.UTF8), Path.GetFileName(f)))
            .ToList();
    }

    public static void Save(string server, string conversation, IReadOnlyList<RecordedExchange> exchanges)
    {
        var folder = Folder(server, conversation);
        Directory.CreateDirectory(folder);
        foreach (var old in Directory.GetFiles(folder, "*.http"))
        {
            File.Delete(old);
        }

        for (var i = 0; i < exchanges.Count; i++)
        {
            var name = string.Create(CultureInfo.InvariantCulture, $"{i + 1:D3}-{exchanges[i].Method}.http");
            File.WriteAllText(Path.Combine(folder, name), exchanges[i].Format(), new UTF8Encoding(false));
        }
    }

    private static string SourceFolder()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Connector.Stores.Dav.Tests.csproj")))
            {
                return Path.Combine(dir.FullName, "Replay");
            }
        }

        throw new InvalidOperationException("Cannot find the test project's source folder to record into.");
    }
}
