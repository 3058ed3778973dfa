using System.Net;
using Connector.Stores.Dav.Http;
using Connector.Stores.Dav.Xml;
using Connector.Sync.Stores;

namespace Connector.Stores.Dav.Operations;

/// <summary>The user's principal and home collections (canonical hrefs); a home is null when the server has none of that kind.</summary>
internal sealed record DavAccount(string Principal, string? CalendarHome, string? AddressBookHome);

/// <summary>
/// Finds the account (RFC 6764, RFC 5397): PROPFIND current-user-principal at <c>/.well-known/caldav</c>, then
/// <c>/.well-known/carddav</c>, then the base URL, following redirects by hand (only on the same origin, so
/// the credentials never go elsewhere); then PROPFIND the principal for calendar-home-set and
/// addressbook-home-set.
/// </summary>
internal static class DiscoverAccountOperation
{
    private const int MaxRedirects = 5;

    public static async Task<DavAccount> RunAsync(DavConnection connection, CancellationToken cancellationToken)
    {
        var principal = connection.Options.PrincipalPath is { } configured
            ? DavHref.AsCollection(DavHref.Normalize(configured, connection.Options.BaseUri))
            : await FindPrincipalAsync(connection, cancellationToken);

        var principalUri = connection.Resolve(principal);
        var body = DavXml.Propfind(DavXml.CalendarHomeSet, DavXml.AddressBookHomeSet);
        var entry = await connection.SendAsync(
            DavConnection.XmlRequest(DavConnection.Propfind, principalUri, "0", body),
            async (response, ct) => response.StatusCode == HttpStatusCode.MultiStatus
                ? (await DavConnection.ReadMultistatusAsync(response, ct)).Responses is [var first, ..] ? first : null
                : throw DavFailurePolicy.Unexpected(response, "the principal cannot be read"),
            cancellationToken);

        string? Home(System.Xml.Linq.XName name) =>
            entry?.PropertyHref(name) is { } href ? DavHref.AsCollection(DavHref.Normalize(href, principalUri)) : null;

        var account = new DavAccount(principal, Home(DavXml.CalendarHomeSet), Home(DavXml.AddressBookHomeSet));
        return account.CalendarHome is null && account.AddressBookHome is null
            ? throw new StoreException($"The principal {principal} has neither a calendar-home-set nor an addressbook-home-set.")
            : account;
    }

    private static async Task<string> FindPrincipalAsync(DavConnection connection, CancellationToken cancellationToken)
    {
        foreach (var start in new[] { "/.well-known/caldav", "/.well-known/carddav", connection.Options.BaseUri.AbsolutePath })
        {
            if (await CurrentUserPrincipalAsync(connection, connection.Resolve(start), cancellationToken) is { } principal)
            {
                return principal;
            }
        }

        throw new StoreException(
            $"No current-user-principal found at {connection.Options.BaseUri} (tried /.well-known/caldav, /.well-known/carddav and the base URL); set the principal path.");
    }

    private static async Task<string?> CurrentUserPrincipalAsync(DavConnection connection, Uri uri, CancellationToken cancellationToken)
    {
        var body = DavXml.Propfind(DavXml.CurrentUserPrincipal);
        for (var hop = 0; hop <= MaxRedirects; hop++)
        {
            var requestUri = uri;
            var (redirect, principal) = await connection.SendAsync(
                DavConnection.XmlRequest(DavConnection.Propfind, requestUri, "0", body),
                async (response, ct) =>
                {
                    if ((int)response.StatusCode is 301 or 302 or 303 or 307 or 308)
                    {
                        return (response.Headers.Location, (string?)null);
                    }

                    if (response.StatusCode != HttpStatusCode.MultiStatus)
                    {
                        // 404/405/403: no well-known service here; the caller tries the next start.
                        return (null, null);
                    }

                    var href = (await DavConnection.ReadMultistatusAsync(response, ct)).Responses
                        .Select(r => r.PropertyHref(DavXml.CurrentUserPrincipal))
                        .FirstOrDefault(h => h is not null);
                    return ((Uri?)null, href is null ? null : DavHref.AsCollection(DavHref.Normalize(href, requestUri)));
                },
                cancellationToken);

            if (redirect is null)
            {
                return principal;
            }

            uri = new Uri(requestUri, redirect);
            if (Uri.Compare(uri, connection.Options.BaseUri, UriComponents.SchemeAndServer, UriFormat.UriEscaped, StringComparison.OrdinalIgnoreCase) != 0)
            {
                throw new StoreException(
                    $"{requestUri.AbsolutePath} redirects to another server ({uri.GetLeftPart(UriPartial.Authority)}); set the base URL to that server.");
            }
        }

        throw new StoreException($"Too many redirects from {uri.AbsolutePath} during discovery.");
    }
}
