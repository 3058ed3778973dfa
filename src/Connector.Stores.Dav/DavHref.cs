namespace Connector.Stores.Dav;

/// <summary>
/// Hrefs in one canonical form, so that the same resource compares equal whichever way a server or the engine
/// wrote it: an absolute path whose segments are percent-encoded the way <see cref="Uri.EscapeDataString(string)"/>
/// does (<c>/test/cal/a%20b%40c.ics</c>). Item and collection ids handed to the engine are in this form.
/// </summary>
internal static class DavHref
{
    /// <summary>
    /// <paramref name="href"/> (absolute URL, absolute path or relative to <paramref name="relativeTo"/>; encoded or
    /// not) as a canonical absolute path.
    /// </summary>
    public static string Normalize(string href, Uri relativeTo)
    {
        ArgumentNullException.ThrowIfNull(href);
        ArgumentNullException.ThrowIfNull(relativeTo);
        var path = new Uri(relativeTo, href.Trim()).AbsolutePath;
        var segments = path.Split('/');
        for (var i = 0; i < segments.Length; i++)
        {
            segments[i] = Uri.EscapeDataString(Uri.UnescapeDataString(segments[i]));
        }

        return string.Join('/', segments);
    }

    /// <summary>The collection href with exactly one trailing slash.</summary>
    public static string AsCollection(string href) => href.EndsWith('/') ? href : href + "/";

    /// <summary>True for a direct or deeper member of the collection, not the collection itself nor a sub-collection.</summary>
    public static bool IsMemberResource(string collection, string href) =>
        href.StartsWith(collection, StringComparison.Ordinal) && href.Length > collection.Length && !href.EndsWith('/');

    /// <summary>The last segment, unescaped: a display name of last resort.</summary>
    public static string LastSegment(string href) =>
        Uri.UnescapeDataString(href.TrimEnd('/').Split('/')[^1]);
}
