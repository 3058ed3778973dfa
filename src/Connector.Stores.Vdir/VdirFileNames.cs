using System.Security.Cryptography;
using System.Text;
using Connector.Sync.Stores;

namespace Connector.Stores.Vdir;

/// <summary>
/// File and folder names in a vdir. An item's name is derived from its UID, deterministically, so that
/// creating the same UID twice meets the same name and fails (create never overwrites). Any UID maps to a
/// name that is safe on every file system we target and at most <see cref="MaxItemNameBytes"/> bytes (S22).
/// </summary>
internal static class VdirFileNames
{
    /// <summary>Extension of iCalendar items (events and tasks).</summary>
    public const string CalendarExtension = ".ics";

    /// <summary>Extension of vCard items.</summary>
    public const string ContactExtension = ".vcf";

    /// <summary>The vdir spec reserves <c>.tmp</c> for files being written; readers must skip them.</summary>
    public const string TempExtension = ".tmp";

    /// <summary>Our own temporary files start with this (hidden, so other tools skip them too).</summary>
    public const string TempPrefix = ".connector-";

    /// <summary>Longest encoded UID kept whole; longer ones are cut and get a hash of the whole UID.</summary>
    internal const int MaxEncodedUidLength = 180;

    /// <summary>Most file systems allow 255 bytes per name; we stay well below with the extension.</summary>
    internal const int MaxItemNameBytes = MaxEncodedUidLength + 4;

    private const int KeptPrefixLength = MaxEncodedUidLength - 1 - 32;

    private const string SafeCharacters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.@+";

    public static string ExtensionFor(ItemKind kind) => kind == ItemKind.Contact ? ContactExtension : CalendarExtension;

    /// <summary>
    /// The file name of the item with <paramref name="uid"/>: the UID itself when it is made of safe
    /// characters; otherwise each unsafe UTF-8 byte becomes <c>%XX</c> (so <c>a/b</c> and <c>a%2Fb</c> stay
    /// apart); a leading dot is encoded too (hidden files are not items). An encoding longer than
    /// <see cref="MaxEncodedUidLength"/> keeps its start and ends with <c>~</c> and 32 hex digits of the
    /// UID's SHA-256; <c>~</c> never appears in an encoding, so no two UIDs share a name.
    /// </summary>
    public static string ForItem(string uid, ItemKind kind)
    {
        ArgumentException.ThrowIfNullOrEmpty(uid);
        var encoded = Encode(uid);
        if (encoded.Length > MaxEncodedUidLength)
        {
            var cut = KeptPrefixLength;

            // Never cut inside a %XX escape: the name must stay a prefix of the encoding.
            var percent = encoded.LastIndexOf('%', cut - 1, 3);
            if (percent >= 0 && percent + 3 > cut)
            {
                cut = percent;
            }

            var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(uid)), 0, 16);
            encoded = encoded[..cut] + "~" + hash;
        }

        return encoded + ExtensionFor(kind);
    }

    /// <summary>
    /// True when <paramref name="fileName"/> is an item of a collection whose items end in
    /// <paramref name="extension"/>: not hidden, not a temporary file, not a metadata file.
    /// </summary>
    public static bool IsItemFile(string fileName, string extension) =>
        fileName.Length > extension.Length
        && !fileName.StartsWith('.')
        && fileName.EndsWith(extension, StringComparison.OrdinalIgnoreCase);

    /// <summary>True for an id this store could have handed out: a plain item file name, no path.</summary>
    public static bool IsValidItemId(string id, string extension) =>
        IsItemFile(id, extension)
        && id.IndexOfAny(['/', '\\', '\0']) < 0
        && Encoding.UTF8.GetByteCount(id) <= 255;

    /// <summary>True for a name a collection folder may have (the collection id): one plain, visible segment.</summary>
    public static bool IsValidCollectionId(string id) =>
        !string.IsNullOrEmpty(id)
        && !id.StartsWith('.')
        && id.IndexOfAny(['/', '\\', '\0']) < 0;

    /// <summary>Our stale temporary files (left by a crash between write and rename).</summary>
    public static bool IsOwnTempFile(string fileName) =>
        fileName.StartsWith(TempPrefix, StringComparison.Ordinal) && fileName.EndsWith(TempExtension, StringComparison.Ordinal);

    /// <summary>A fresh temporary file name for a write into the same folder.</summary>
    public static string NewTempName() => TempPrefix + Guid.NewGuid().ToString("N") + TempExtension;

    /// <summary>
    /// A readable folder name for a new collection: letters and digits of the display name, other runs of
    /// characters as one <c>-</c>, at most 60 characters. Not unique: the caller adds a suffix when taken.
    /// </summary>
    public static string ForCollection(string displayName)
    {
        var slug = new StringBuilder();
        foreach (var c in displayName)
        {
            if (char.IsAsciiLetterOrDigit(c))
            {
                slug.Append(c);
            }
            else if (slug.Length > 0 && slug[^1] != '-')
            {
                slug.Append('-');
            }

            if (slug.Length >= 60)
            {
                break;
            }
        }

        var name = slug.ToString().Trim('-');
        return name.Length == 0 ? "collection" : name;
    }

    private static string Encode(string uid)
    {
        var bytes = Encoding.UTF8.GetBytes(uid);
        var result = new StringBuilder(bytes.Length);
        for (var i = 0; i < bytes.Length; i++)
        {
            var b = bytes[i];
            var isSafe = b < 128 && SafeCharacters.Contains((char)b, StringComparison.Ordinal) && !(i == 0 && b == '.');
            if (isSafe)
            {
                result.Append((char)b);
            }
            else
            {
                result.Append('%').Append(Convert.ToHexString([b]));
            }
        }

        return result.ToString();
    }
}
