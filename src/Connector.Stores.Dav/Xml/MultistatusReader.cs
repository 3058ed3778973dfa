using System.Xml;
using System.Xml.Linq;

namespace Connector.Stores.Dav.Xml;

/// <summary>One <c>DAV:propstat</c>: the properties that share a status.</summary>
internal sealed record DavPropStat(int Status, XElement Prop);

/// <summary>One <c>DAV:response</c> of a multistatus answer.</summary>
internal sealed record DavResponseEntry(string Href, int? Status, IReadOnlyList<DavPropStat> PropStats, XElement? Error, string? Description)
{
    /// <summary>
    /// The resource's status: the response-level status when given (404 for a deleted member of a sync
    /// answer), else 200 when some property was found, else the first propstat's status.
    /// </summary>
    public int EffectiveStatus =>
        Status ?? (PropStats.Any(p => IsSuccess(p.Status)) ? 200 : PropStats.Count > 0 ? PropStats[0].Status : 0);

    /// <summary>A property the server returned with a 2xx status, or null.</summary>
    public XElement? Property(XName name) =>
        PropStats.Where(p => IsSuccess(p.Status)).Select(p => p.Prop.Element(name)).FirstOrDefault(e => e is not null);

    /// <summary>The text of a found property, trimmed; null when absent or empty.</summary>
    public string? PropertyText(XName name) =>
        Property(name)?.Value.Trim() is { Length: > 0 } text ? text : null;

    /// <summary>The <c>DAV:href</c> inside a found property (current-user-principal, calendar-home-set).</summary>
    public string? PropertyHref(XName name) =>
        Property(name)?.Element(DavXml.Href)?.Value.Trim() is { Length: > 0 } href ? href : null;

    private static bool IsSuccess(int status) => status is >= 200 and < 300;
}

/// <summary>A parsed multistatus answer; <see cref="SyncToken"/> is set for sync-collection answers.</summary>
internal sealed record Multistatus(IReadOnlyList<DavResponseEntry> Responses, string? SyncToken);

/// <summary>
/// Reads a multistatus answer as it arrives: one <c>DAV:response</c> at a time, so memory is bounded by the
/// largest single response (one calendar object), not by the answer. Tolerates any prefix, the sync-token
/// before or after the responses (Radicale before, Xandikos after), and unknown elements.
/// </summary>
internal static class MultistatusReader
{
    public static async Task<Multistatus> ReadAsync(Stream stream, CancellationToken cancellationToken)
    {
        using var reader = XmlReader.Create(stream, DavXml.ReaderSettings());
        await reader.MoveToContentAsync();
        if (reader.NodeType != XmlNodeType.Element || reader.LocalName != "multistatus" || reader.NamespaceURI != DavXml.Dav.NamespaceName)
        {
            throw new XmlException($"expected DAV:multistatus, found {{{reader.NamespaceURI}}}{reader.LocalName}");
        }

        var responses = new List<DavResponseEntry>();
        string? syncToken = null;
        if (reader.IsEmptyElement)
        {
            return new Multistatus(responses, syncToken);
        }

        await reader.ReadAsync();
        while (!reader.EOF)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (reader.NodeType == XmlNodeType.EndElement)
            {
                break;
            }

            if (reader.NodeType != XmlNodeType.Element)
            {
                await reader.ReadAsync();
                continue;
            }

            if (reader.NamespaceURI == DavXml.Dav.NamespaceName && reader.LocalName == "response")
            {
                // ReadFromAsync leaves the reader on the node after the element.
                var element = (XElement)await XNode.ReadFromAsync(reader, cancellationToken);
                if (Parse(element) is { } entry)
                {
                    responses.Add(entry);
                }
            }
            else if (reader.NamespaceURI == DavXml.Dav.NamespaceName && reader.LocalName == "sync-token")
            {
                syncToken = (await reader.ReadElementContentAsStringAsync()).Trim();
            }
            else
            {
                await reader.SkipAsync();
            }
        }

        return new Multistatus(responses, syncToken);
    }

    /// <summary>Parses a multistatus held in a string (a PUT answered with 207, tests).</summary>
    public static async Task<Multistatus> ReadAsync(string text, CancellationToken cancellationToken)
    {
        using var stream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(text));
        return await ReadAsync(stream, cancellationToken);
    }

    private static DavResponseEntry? Parse(XElement response)
    {
        var href = response.Element(DavXml.Href)?.Value.Trim();
        if (string.IsNullOrEmpty(href))
        {
            return null;
        }

        var propStats = response.Elements(DavXml.PropStat)
            .Select(p => new DavPropStat(
                DavXml.ParseStatusLine(p.Element(DavXml.Status)?.Value) ?? 0,
                p.Element(DavXml.Prop) ?? new XElement(DavXml.Prop)))
            .ToList();
        return new DavResponseEntry(
            href,
            DavXml.ParseStatusLine(response.Element(DavXml.Status)?.Value),
            propStats,
            response.Element(DavXml.Error),
            response.Element(DavXml.ResponseDescription)?.Value.Trim());
    }
}
