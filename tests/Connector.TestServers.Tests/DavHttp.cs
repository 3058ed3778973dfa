using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Xml.Linq;
using Connector.Testing;

namespace Connector.TestServers.Tests;

/// <summary>The answer to one WebDAV request.</summary>
internal sealed record DavResponse(HttpStatusCode Status, string Body, string? ETag);

/// <summary>Just enough WebDAV over <see cref="HttpClient"/> to check that a test server answers as expected.</summary>
internal static class DavHttp
{
    public static readonly HttpMethod Propfind = new("PROPFIND");
    public static readonly HttpMethod Report = new("REPORT");
    public static readonly HttpMethod MkCalendar = new("MKCALENDAR");
    public static readonly XNamespace Dav = "DAV:";

    // One client per server, built from the server's own handler (Radicale must not pool connections).
    private static readonly ConcurrentDictionary<DavServer, HttpClient> Clients = new();

    public static async Task<DavResponse> SendAsync(
        DavServer server,
        HttpMethod method,
        string path,
        string? body = null,
        string mediaType = "application/xml",
        string? depth = null,
        bool createOnly = false)
    {
        using var request = new HttpRequestMessage(method, server.Resolve(path));
        if (server.UserName is not null)
        {
            var token = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{server.UserName}:{server.Password}"));
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", token);
        }

        if (depth is not null)
        {
            request.Headers.Add("Depth", depth);
        }

        if (createOnly)
        {
            request.Headers.IfNoneMatch.Add(EntityTagHeaderValue.Any);
        }

        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, mediaType);
        }

        var client = Clients.GetOrAdd(
            server with { UserName = null, Password = null },
            s => new HttpClient(s.CreateHttpHandler()) { Timeout = TimeSpan.FromSeconds(30) });
        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return new DavResponse(response.StatusCode, text, response.Headers.ETag?.Tag);
    }

    public static Task<DavResponse> PropfindAsync(DavServer server, string path, string depth, params string[] davProperties)
    {
        var props = string.Concat(davProperties.Select(p => $"<d:{p}/>"));
        var body = $"""<?xml version="1.0" encoding="utf-8"?><d:propfind xmlns:d="DAV:"><d:prop>{props}</d:prop></d:propfind>""";
        return SendAsync(server, Propfind, path, body, depth: depth);
    }

    /// <summary>An RFC 6578 sync-collection REPORT; an empty <paramref name="syncToken"/> asks for everything.</summary>
    public static Task<DavResponse> SyncCollectionAsync(DavServer server, string collectionPath, string syncToken)
    {
        var token = syncToken.Length == 0 ? "<d:sync-token/>" : $"<d:sync-token>{syncToken}</d:sync-token>";
        var body = $"""<?xml version="1.0" encoding="utf-8"?><d:sync-collection xmlns:d="DAV:">{token}<d:sync-level>1</d:sync-level><d:prop><d:getetag/></d:prop></d:sync-collection>""";
        return SendAsync(server, Report, collectionPath, body);
    }

    public static Task<DavResponse> PutEventAsync(DavServer server, string path, string ics) =>
        SendAsync(server, HttpMethod.Put, path, ics, "text/calendar", createOnly: true);

    /// <summary>The hrefs of the <c>DAV:response</c> elements of a multistatus body.</summary>
    public static IReadOnlyList<string> ResponseHrefs(string multistatus) =>
        XDocument.Parse(multistatus).Descendants(Dav + "response")
            .Select(r => (string?)r.Element(Dav + "href"))
            .OfType<string>()
            .Select(Uri.UnescapeDataString)
            .ToList();

    /// <summary>The href inside the named DAV property, e.g. <c>current-user-principal</c>.</summary>
    public static string? PropertyHref(string multistatus, string davProperty) =>
        (string?)XDocument.Parse(multistatus).Descendants(Dav + davProperty).Elements(Dav + "href").FirstOrDefault();

    public static string SyncToken(string multistatus) =>
        (string?)XDocument.Parse(multistatus).Descendants(Dav + "sync-token").FirstOrDefault()
        ?? throw new InvalidOperationException("The multistatus has no DAV:sync-token: " + multistatus);

    /// <summary>A minimal iCalendar object with one VEVENT, CRLF line endings as RFC 5545 wants.</summary>
    public static string Event(string uid, string summary) => string.Join(
        "\r\n",
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Connector//TestServers.Tests//EN",
        "BEGIN:VEVENT",
        "UID:" + uid,
        "DTSTAMP:20250101T000000Z",
        "DTSTART:20250102T100000Z",
        "DTEND:20250102T110000Z",
        "SUMMARY:" + summary,
        "END:VEVENT",
        "END:VCALENDAR",
        string.Empty);

    /// <summary>A fresh collection name, so tests never see each other's data.</summary>
    public static string NewName(string prefix) => prefix + "-" + Guid.NewGuid().ToString("N");
}
