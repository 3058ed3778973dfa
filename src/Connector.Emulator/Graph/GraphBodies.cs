using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Connector.Emulator.Graph;

/// <summary>
/// itemBody: stored as the client sent it (contentType lower-cased), returned as HTML unless the
/// client prefers text (Prefer: outlook.body-content-type="text"), as Graph does for events and contacts.
/// </summary>
internal static partial class GraphBodies
{
    public static JsonObject Normalise(JsonNode? body, string defaultType)
    {
        var type = (body?["contentType"]?.GetValue<string>() ?? defaultType).ToLowerInvariant();
        var content = body?["content"]?.GetValue<string>() ?? string.Empty;
        return new JsonObject { ["contentType"] = type, ["content"] = content };
    }

    /// <summary>The body in the preferred type (null: as stored, "html" or "text": converted).</summary>
    public static JsonObject Render(JsonNode? stored, string? preferredType)
    {
        var type = stored?["contentType"]?.GetValue<string>() ?? "text";
        var content = stored?["content"]?.GetValue<string>() ?? string.Empty;
        var wanted = preferredType ?? type;
        if (wanted == "html" && type == "text")
        {
            content = content.Length == 0 ? string.Empty : "<html><head></head><body>" + WebUtility.HtmlEncode(content).Replace("\r\n", "\n", StringComparison.Ordinal).Replace("\n", "<br>\r\n", StringComparison.Ordinal) + "</body></html>";
        }
        else if (wanted == "html" && content.Length > 0 && !content.Contains("<html", StringComparison.OrdinalIgnoreCase))
        {
            content = "<html><head></head><body>" + content + "</body></html>";
        }
        else if (wanted == "text" && type == "html")
        {
            content = ToText(content);
        }

        return new JsonObject { ["contentType"] = wanted, ["content"] = content };
    }

    public static string Preview(JsonNode? stored)
    {
        var type = stored?["contentType"]?.GetValue<string>() ?? "text";
        var content = stored?["content"]?.GetValue<string>() ?? string.Empty;
        var text = type == "html" ? ToText(content) : content;
        text = Whitespace().Replace(text, " ").Trim();
        return text.Length > 255 ? text[..255] : text;
    }

    private static string ToText(string html)
    {
        var body = BodyElement().Match(html) is { Success: true } match ? match.Groups[1].Value : html;
        var withBreaks = LineBreak().Replace(body, "\n");
        return WebUtility.HtmlDecode(Tag().Replace(withBreaks, string.Empty)).Trim();
    }

    [GeneratedRegex(@"<body[^>]*>(.*)</body>", RegexOptions.Singleline | RegexOptions.IgnoreCase)]
    private static partial Regex BodyElement();

    [GeneratedRegex(@"<br\s*/?>\r?\n?|</p>\r?\n?|</div>\r?\n?", RegexOptions.IgnoreCase)]
    private static partial Regex LineBreak();

    [GeneratedRegex("<[^>]+>")]
    private static partial Regex Tag();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
