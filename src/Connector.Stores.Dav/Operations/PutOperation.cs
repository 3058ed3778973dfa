using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Connector.Stores.Dav.Http;
using Connector.Stores.Dav.Xml;

namespace Connector.Stores.Dav.Operations;

/// <summary>
/// The answer to a PUT or DELETE: its status, the new strong ETag when the server sent one, and the error body.
/// A 207 answer (Xandikos puts a PUT's 412 and CALDAV:no-uid-conflict inside a multistatus) is unwrapped into
/// the status it holds.
/// </summary>
internal sealed record WriteAnswer(int Status, string? ETag, DavErrorBody Error);

/// <summary>PUT of one calendar object or vCard, conditional: If-None-Match: * to create, If-Match to replace.</summary>
internal static class PutOperation
{
    /// <param name="connection">The account's connection.</param>
    /// <param name="href">The resource's canonical href.</param>
    /// <param name="text">The iCalendar or vCard text.</param>
    /// <param name="contentType">text/calendar or text/vcard with charset.</param>
    /// <param name="ifMatch">The expected ETag, or null to create (If-None-Match: *).</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    public static Task<WriteAnswer> RunAsync(DavConnection connection, string href, string text, string contentType, string? ifMatch, CancellationToken cancellationToken)
    {
        var request = new HttpRequestMessage(HttpMethod.Put, connection.Resolve(href))
        {
            Content = new StringContent(text, new UTF8Encoding(false), MediaTypeHeaderValue.Parse(contentType)),
        };
        if (ifMatch is null)
        {
            request.Headers.IfNoneMatch.Add(EntityTagHeaderValue.Any);
        }
        else
        {
            request.Headers.TryAddWithoutValidation("If-Match", QuotedETag(ifMatch));
        }

        return connection.SendAsync(request, ReadAsync, cancellationToken);
    }

    /// <summary>An ETag as the engine stored it, quoted as If-Match needs it (a server that sent it bare gets it back quoted).</summary>
    public static string QuotedETag(string etag) =>
        etag.StartsWith('"') || etag.StartsWith("W/", StringComparison.Ordinal) ? etag : "\"" + etag + "\"";

    internal static async Task<WriteAnswer> ReadAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        // Only a strong ETag names the stored bytes; a weak one (or none, when the server rewrote the object:
        // SabreDAV omits it then) leaves the version unknown and the engine reads it back.
        var etag = response.Headers.ETag is { IsWeak: false } tag ? tag.Tag : null;
        if (DavFailurePolicy.IsSuccess(response.StatusCode) && response.StatusCode != HttpStatusCode.MultiStatus)
        {
            return new WriteAnswer((int)response.StatusCode, etag, DavErrorBody.Empty);
        }

        if (response.StatusCode == HttpStatusCode.MultiStatus)
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            var inner = (await MultistatusReader.ReadAsync(text, cancellationToken)).Responses is [var first, ..] ? first : null;
            return new WriteAnswer(inner?.EffectiveStatus ?? 207, etag, DavErrorBody.Parse(text));
        }

        return new WriteAnswer((int)response.StatusCode, null, await DavErrorBody.ReadAsync(response, cancellationToken));
    }
}
