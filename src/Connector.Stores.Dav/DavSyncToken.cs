using System.Text.RegularExpressions;

namespace Connector.Stores.Dav;

/// <summary>How a collection's changes are listed.</summary>
internal enum DavSyncMode
{
    /// <summary>RFC 6578 sync-collection; the value is the server's sync token.</summary>
    SyncCollection,

    /// <summary>
    /// The server has no sync-collection: the value is the collection's CTag (or sync-token property), and
    /// any change to it means a full ETag listing.
    /// </summary>
    CollectionTag,
}

/// <summary>
/// The opaque token the store hands to the engine. It wraps the server's own token with the mode it came from,
/// so the store knows the last token it saw when the server answers (a token that goes backwards is invalid,
/// see <see cref="WentBackwards"/>) and how to list the next changes. Anything else is an invalid token (S05).
/// </summary>
internal readonly partial record struct DavSyncToken(DavSyncMode Mode, string Value)
{
    private const string Prefix = "dav1:";

    public override string ToString() => Prefix + (Mode == DavSyncMode.SyncCollection ? "s:" : "c:") + Value;

    public static DavSyncToken? Parse(string? token)
    {
        if (token is null || !token.StartsWith(Prefix, StringComparison.Ordinal) || token.Length < Prefix.Length + 2 || token[Prefix.Length + 1] != ':')
        {
            return null;
        }

        var value = token[(Prefix.Length + 2)..];
        return token[Prefix.Length] switch
        {
            's' when value.Length > 0 => new DavSyncToken(DavSyncMode.SyncCollection, value),
            'c' => new DavSyncToken(DavSyncMode.CollectionTag, value),
            _ => null,
        };
    }

    /// <summary>True for a SabreDAV token (Nextcloud, Baïkal): <c>http://sabre.io/ns/sync/&lt;n&gt;</c>.</summary>
    public static bool IsSabreForm(string serverToken) => SabreToken().IsMatch(serverToken);

    /// <summary>
    /// True when both tokens are numbered the SabreDAV way, with the same prefix, and <paramref name="received"/>
    /// has a lower number than <paramref name="sent"/>. Nextcloud answers a token it does not know (its change
    /// history pruned, the database restored, the calendar re-created) with 207, no changes and its current,
    /// lower token: read as "no changes" that would lose every change since (S05, S07).
    /// </summary>
    public static bool WentBackwards(string sent, string received)
    {
        var a = NumberedToken().Match(sent);
        var b = NumberedToken().Match(received);
        if (!a.Success || !b.Success || a.Groups["prefix"].Value != b.Groups["prefix"].Value)
        {
            return false;
        }

        var x = a.Groups["n"].Value.TrimStart('0');
        var y = b.Groups["n"].Value.TrimStart('0');
        return y.Length != x.Length ? y.Length < x.Length : string.CompareOrdinal(y, x) < 0;
    }

    [GeneratedRegex(@"^http://sabre\.io/ns/sync/\d+$", RegexOptions.CultureInvariant)]
    private static partial Regex SabreToken();

    [GeneratedRegex(@"^(?<prefix>.*/sync/)(?<n>\d{1,40})$", RegexOptions.CultureInvariant)]
    private static partial Regex NumberedToken();
}
