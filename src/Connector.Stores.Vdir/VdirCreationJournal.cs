using System.Globalization;
using System.Text;

namespace Connector.Stores.Vdir;

/// <summary>
/// The files this store created, in order, in a hidden file per collection. A token is a snapshot of
/// the folder at listing time, so an item the engine creates after that listing and a user deletes
/// before the next one would otherwise never be reported as deleted (found by the randomized
/// end-to-end test). The feed reports such names as deleted. Bounded: the oldest entries go first,
/// and an entry is only needed until a listing has seen its file.
/// </summary>
internal static class VdirCreationJournal
{
    public const string FileName = ".connector-created";

    /// <summary>Most entries kept; far more than are created between two syncs of one collection.</summary>
    public const int MaxEntries = 10_000;

    /// <summary>Appends a created name; the caller holds the folder's write lock.</summary>
    public static void Append(string folder, string name)
    {
        var path = Path.Combine(folder, FileName);
        var entries = Read(folder);
        var next = entries.Count == 0 ? 1 : entries[^1].Sequence + 1;
        if (entries.Count >= MaxEntries)
        {
            var kept = entries.Skip(entries.Count - (MaxEntries / 2)).Select(Format);
            File.WriteAllText(path, string.Concat(kept), Encoding.UTF8);
        }

        File.AppendAllText(path, Format((next, name)), Encoding.UTF8);
    }

    /// <summary>The highest sequence written so far (0 when none).</summary>
    public static long LastSequence(string folder)
    {
        var entries = Read(folder);
        return entries.Count == 0 ? 0 : entries[^1].Sequence;
    }

    /// <summary>Names created after <paramref name="sequence"/>.</summary>
    public static IEnumerable<string> CreatedAfter(string folder, long sequence) =>
        Read(folder).Where(e => e.Sequence > sequence).Select(e => e.Name);

    private static List<(long Sequence, string Name)> Read(string folder)
    {
        var path = Path.Combine(folder, FileName);
        if (!File.Exists(path))
        {
            return [];
        }

        var entries = new List<(long, string)>();
        foreach (var line in File.ReadAllLines(path, Encoding.UTF8))
        {
            var tab = line.IndexOf('\t', StringComparison.Ordinal);
            if (tab > 0 && long.TryParse(line.AsSpan(0, tab), NumberStyles.None, CultureInfo.InvariantCulture, out var sequence))
            {
                entries.Add((sequence, line[(tab + 1)..]));
            }
        }

        return entries;
    }

    private static string Format((long Sequence, string Name) entry) =>
        string.Create(CultureInfo.InvariantCulture, $"{entry.Sequence}\t{entry.Name}\n");
}
