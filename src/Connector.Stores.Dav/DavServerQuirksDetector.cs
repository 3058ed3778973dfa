using System.Net.Http.Headers;
using Connector.Stores.Dav.Http;

namespace Connector.Stores.Dav;

/// <summary>
/// Guesses the server family from an OPTIONS answer. It is a heuristic (none of these servers names itself
/// in its Server header), so <see cref="DavStoreOptions.Quirks"/> overrides it; the store only asks when a
/// decision depends on it, never on the normal path.
/// </summary>
public static class DavServerQuirksDetector
{
    /// <summary>The quirks these response headers point to.</summary>
    public static DavServerQuirks FromHeaders(HttpResponseHeaders headers)
    {
        ArgumentNullException.ThrowIfNull(headers);
        var dav = headers.TryGetValues("DAV", out var values) ? string.Join(",", values) : string.Empty;
        var classes = dav.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .ToHashSet(StringComparer.OrdinalIgnoreCase);
        var server = headers.Server.ToString();
        var quirks = DavServerQuirks.None;

        // Nextcloud adds its own DAV classes (nextcloud-checksum-update, nc-calendar-search, …; checked on 29).
        if (classes.Any(c => c.StartsWith("nc-", StringComparison.OrdinalIgnoreCase) || c.StartsWith("nextcloud", StringComparison.OrdinalIgnoreCase))
            || server.Contains("nextcloud", StringComparison.OrdinalIgnoreCase))
        {
            quirks |= DavServerQuirks.Nextcloud;
        }

        // Xandikos 0.2 spells RFC 6638's class "calendar-auto-scheduling" (the RFC says calendar-auto-schedule).
        if (classes.Contains("calendar-auto-scheduling") || server.Contains("xandikos", StringComparison.OrdinalIgnoreCase))
        {
            quirks |= DavServerQuirks.Xandikos;
        }

        if (server.Contains("radicale", StringComparison.OrdinalIgnoreCase))
        {
            quirks |= DavServerQuirks.Radicale;
        }

        return quirks;
    }

    internal static Task<DavServerQuirks> DetectAsync(DavConnection connection, string path, CancellationToken cancellationToken) =>
        connection.SendAsync(
            new HttpRequestMessage(HttpMethod.Options, connection.Resolve(path)),
            (response, _) => Task.FromResult(FromHeaders(response.Headers)),
            cancellationToken);
}
