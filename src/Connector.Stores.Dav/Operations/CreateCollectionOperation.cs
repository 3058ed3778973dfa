using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Xml.Linq;
using Connector.Stores.Dav.Http;
using Connector.Stores.Dav.Xml;
using Connector.Sync.Stores;

namespace Connector.Stores.Dav.Operations;

/// <summary>
/// Creates a calendar (MKCALENDAR, RFC 4791 5.3.1, with supported-calendar-component-set VEVENT or VTODO) or an
/// address book (extended MKCOL, RFC 5689) in the home collection. The name is a slug of the display name with
/// a random suffix, so two collections with the same display name never collide.
/// </summary>
/// <remarks>
/// Xandikos 0.2 ignores the component set (every calendar takes everything); the collection is still created and
/// the store filters by component when reading.
/// </remarks>
internal static class CreateCollectionOperation
{
    private const int MaxSlugLength = 40;
    private const int Attempts = 3;

    public static async Task<CollectionInfo> RunAsync(DavConnection connection, string home, string displayName, ItemKind kind, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < Attempts; attempt++)
        {
            var href = home + Slug(displayName) + "-" + RandomSuffix() + "/";
            var (method, body) = kind == ItemKind.Contact
                ? (DavConnection.MkCol, AddressBookBody(displayName))
                : (DavConnection.MkCalendar, CalendarBody(displayName, kind));
            var created = await connection.SendAsync(
                DavConnection.XmlRequest(method, connection.Resolve(href), null, body),
                async (response, ct) =>
                {
                    if (DavFailurePolicy.IsSuccess(response.StatusCode))
                    {
                        return true;
                    }

                    // 405: something already has this name (RFC 4791 5.3.1.1); try another.
                    if (response.StatusCode == HttpStatusCode.MethodNotAllowed)
                    {
                        return false;
                    }

                    var error = await DavErrorBody.ReadAsync(response, ct);
                    throw DavFailurePolicy.Unexpected(response, $"cannot create a {kind} collection in {home}: {error}");
                },
                cancellationToken);
            if (created)
            {
                return new CollectionInfo(href, displayName, kind);
            }
        }

        throw new StoreException($"Cannot create a {kind} collection in {home}: every name tried is taken.");
    }

    private static string CalendarBody(string displayName, ItemKind kind) =>
        DavXml.Body(new XElement(
            DavXml.CalDav + "mkcalendar",
            DavXml.NamespaceDeclarations(),
            new XElement(
                DavXml.Dav + "set",
                new XElement(
                    DavXml.Prop,
                    new XElement(DavXml.DisplayName, displayName),
                    new XElement(
                        DavXml.SupportedCalendarComponentSet,
                        new XElement(DavXml.Comp, new XAttribute("name", kind == ItemKind.Task ? "VTODO" : "VEVENT")))))));

    private static string AddressBookBody(string displayName) =>
        DavXml.Body(new XElement(
            DavXml.Dav + "mkcol",
            DavXml.NamespaceDeclarations(),
            new XElement(
                DavXml.Dav + "set",
                new XElement(
                    DavXml.Prop,
                    new XElement(DavXml.ResourceType, new XElement(DavXml.Collection), new XElement(DavXml.AddressBook)),
                    new XElement(DavXml.DisplayName, displayName)))));

    /// <summary>Lower-case ASCII letters and digits of the display name, other runs as one dash.</summary>
    internal static string Slug(string displayName)
    {
        var slug = new StringBuilder();
        foreach (var c in displayName.Normalize(NormalizationForm.FormD))
        {
            if (char.IsAsciiLetterOrDigit(c))
            {
                slug.Append(char.ToLowerInvariant(c));
            }
            else if (CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.NonSpacingMark && slug.Length > 0 && slug[^1] != '-')
            {
                slug.Append('-');
            }

            if (slug.Length >= MaxSlugLength)
            {
                break;
            }
        }

        var result = slug.ToString().Trim('-');
        return result.Length == 0 ? "collection" : result;
    }

    private static string RandomSuffix() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));
}
