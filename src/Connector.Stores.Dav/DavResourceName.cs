using System.Security.Cryptography;
using System.Text;

namespace Connector.Stores.Dav;

/// <summary>
/// The resource name a new item gets in its collection (S22). A UID of safe characters keeps its name
/// (<c>&lt;uid&gt;.ics</c>), which is what other clients do and makes the server's files readable; any other UID
/// (a <c>/</c>, spaces, non-ASCII, a leading dot, an over-long value) gets a deterministic name from its
/// SHA-256, so that the same UID always lands on the same resource and a repeated create is refused by
/// If-None-Match instead of making a duplicate.
/// </summary>
public static class DavResourceName
{
    /// <summary>Longest UID kept as a name: file systems (Radicale, Xandikos) and Nextcloud's uri column allow 255.</summary>
    public const int MaxPlainLength = 120;

    /// <summary>Prefix of hashed names.</summary>
    public const string HashPrefix = "uid-";

    /// <summary>The resource name for <paramref name="uid"/> with <paramref name="extension"/> (<c>.ics</c>, <c>.vcf</c>).</summary>
    public static string For(string uid, string extension)
    {
        ArgumentNullException.ThrowIfNull(uid);
        ArgumentNullException.ThrowIfNull(extension);
        if (IsSafe(uid))
        {
            return uid + extension;
        }

        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(uid));
        return HashPrefix + Convert.ToHexStringLower(hash, 0, 16) + extension;
    }

    /// <summary>
    /// True when the UID can be a path segment as it is on every server: ASCII letters, digits, <c>-</c>,
    /// <c>_</c>, <c>.</c> and <c>@</c>; starting with a letter or digit (a leading dot hides the file on
    /// Radicale's and Xandikos' file stores) and not looking like a hashed name.
    /// </summary>
    public static bool IsSafe(string uid)
    {
        ArgumentNullException.ThrowIfNull(uid);
        if (uid.Length is 0 or > MaxPlainLength || !char.IsAsciiLetterOrDigit(uid[0]) || uid.EndsWith('.'))
        {
            return false;
        }

        if (uid.StartsWith(HashPrefix, StringComparison.Ordinal))
        {
            return false;
        }

        foreach (var c in uid)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('-' or '_' or '.' or '@'))
            {
                return false;
            }
        }

        return true;
    }
}
