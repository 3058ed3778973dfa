using System.Globalization;
using System.Text;

namespace Connector.Stores.Dav.Tests.Replay;

/// <summary>
/// One request and its response, as stored in a replay file (<c>Replay/&lt;Server&gt;/&lt;conversation&gt;/NNN-METHOD.http</c>):
/// <code>
/// PROPFIND /.well-known/caldav
/// Depth: 0
///
/// &lt;request body&gt;
/// === response
/// 301
/// Location: /
///
/// &lt;response body&gt;
/// </code>
/// Paths and bodies may hold placeholders: <c>{base}</c> for the server's scheme and authority, and
/// <c>{new-collection-N}</c> for the path of the N-th collection the conversation created (its name has a random part).
/// </summary>
internal sealed record RecordedExchange(
    string Method,
    string PathAndQuery,
    IReadOnlyList<KeyValuePair<string, string>> RequestHeaders,
    string RequestBody,
    int Status,
    IReadOnlyList<KeyValuePair<string, string>> ResponseHeaders,
    string ResponseBody)
{
    public const string Separator = "=== response";

    /// <summary>Request headers worth keeping: they decide what the server does.</summary>
    public static readonly string[] KeptRequestHeaders = ["Depth", "If-Match", "If-None-Match", "Content-Type"];

    /// <summary>Response headers worth keeping: the store reads them.</summary>
    public static readonly string[] KeptResponseHeaders = ["Content-Type", "ETag", "Location", "DAV", "Server", "Retry-After"];

    public string? RequestHeader(string name) =>
        RequestHeaders.FirstOrDefault(h => h.Key.Equals(name, StringComparison.OrdinalIgnoreCase)).Value;

    /// <summary>The file text; line ends become LF (bodies of PUT are not compared, XML does not care).</summary>
    public string Format()
    {
        var text = new StringBuilder();
        text.Append(Method).Append(' ').Append(PathAndQuery).Append('\n');
        foreach (var (name, value) in RequestHeaders)
        {
            text.Append(name).Append(": ").Append(value).Append('\n');
        }

        text.Append('\n').Append(RequestBody);
        if (!RequestBody.EndsWith('\n'))
        {
            text.Append('\n');
        }

        text.Append(Separator).Append('\n').Append(Status.ToString(CultureInfo.InvariantCulture)).Append('\n');
        foreach (var (name, value) in ResponseHeaders)
        {
            text.Append(name).Append(": ").Append(value).Append('\n');
        }

        return text.Append('\n').Append(ResponseBody).ToString().Replace("\r\n", "\n", StringComparison.Ordinal);
    }

    public static RecordedExchange Parse(string text, string source)
    {
        text = text.Replace("\r\n", "\n", StringComparison.Ordinal);
        var split = text.IndexOf("\n" + Separator + "\n", StringComparison.Ordinal);
        if (split < 0)
        {
            throw new FormatException($"{source}: no '{Separator}' line");
        }

        var (requestLine, requestHeaders, requestBody) = ParseMessage(text[..(split + 1)], source);
        var (statusLine, responseHeaders, responseBody) = ParseMessage(text[(split + Separator.Length + 2)..], source);
        var request = requestLine.Split(' ', 2);
        if (request.Length != 2 || !int.TryParse(statusLine.Trim(), CultureInfo.InvariantCulture, out var status))
        {
            throw new FormatException($"{source}: expected 'METHOD /path' and a status code, found '{requestLine}' and '{statusLine}'");
        }

        // The request body ends with the newline before the separator; that newline is the file's, not the body's.
        if (requestBody.EndsWith('\n'))
        {
            requestBody = requestBody[..^1];
        }

        return new RecordedExchange(request[0], request[1], requestHeaders, requestBody, status, responseHeaders, responseBody);
    }

    private static (string FirstLine, List<KeyValuePair<string, string>> Headers, string Body) ParseMessage(string text, string source)
    {
        var end = text.IndexOf("\n\n", StringComparison.Ordinal);
        var head = end < 0 ? text.TrimEnd('\n') : text[..end];
        var body = end < 0 ? string.Empty : text[(end + 2)..];
        var lines = head.Split('\n');
        var headers = new List<KeyValuePair<string, string>>();
        foreach (var line in lines.Skip(1))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                throw new FormatException($"{source}: bad header line '{line}'");
            }

            headers.Add(new(line[..colon].Trim(), line[(colon + 1)..].Trim()));
        }

        return (lines[0], headers, body);
    }
}
