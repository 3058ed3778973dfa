using System.Xml;
using System.Xml.Linq;

namespace Connector.Stores.Dav.Xml;

/// <summary>
/// What an error answer said: the RFC 4918 precondition elements of a <c>DAV:error</c> body
/// (<c>no-uid-conflict</c>, <c>valid-sync-token</c>, …) and a human message (SabreDAV's <c>s:message</c>, a
/// <c>responsedescription</c>, or the start of a plain-text body).
/// </summary>
internal sealed record DavErrorBody(IReadOnlyList<XName> Conditions, string? Message)
{
    /// <summary>Error bodies past this size are not read: a real one is a few hundred bytes.</summary>
    public const int MaxBytes = 64 * 1024;

    private const int MaxMessageLength = 300;

    public static DavErrorBody Empty { get; } = new([], null);

    public bool Has(XName condition) => Conditions.Contains(condition);

    /// <summary>True when a precondition with this local name is present, in any namespace.</summary>
    public bool Has(string localName) => Conditions.Any(c => c.LocalName == localName);

    /// <summary>True when the message contains <paramref name="text"/> (case-insensitive).</summary>
    public bool Says(string text) => Message?.Contains(text, StringComparison.OrdinalIgnoreCase) == true;

    public static async Task<DavErrorBody> ReadAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(response);
        if (response.Content.Headers.ContentLength is > MaxBytes)
        {
            return Empty;
        }

        var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        return Parse(System.Text.Encoding.UTF8.GetString(bytes, 0, Math.Min(bytes.Length, MaxBytes)));
    }

    public static DavErrorBody Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var trimmed = text.Trim();
        if (!trimmed.StartsWith('<'))
        {
            return new DavErrorBody([], Shorten(trimmed));
        }

        XElement root;
        try
        {
            using var reader = XmlReader.Create(new StringReader(trimmed), DavXml.ReaderSettings());
            root = XElement.Load(reader);
        }
        catch (XmlException)
        {
            return new DavErrorBody([], Shorten(trimmed));
        }

        // A PUT answered with 207 (Xandikos) carries the error inside a response element.
        var error = root.Name == DavXml.Error ? root : root.Descendants(DavXml.Error).FirstOrDefault();
        var conditions = error?.Elements()
            .Where(e => e.Name.Namespace != DavXml.Sabre && e.Name != DavXml.ResponseDescription)
            .Select(e => e.Name)
            .ToList() ?? [];
        var message = root.Descendants(DavXml.Sabre + "message").FirstOrDefault()?.Value
            ?? root.DescendantsAndSelf(DavXml.ResponseDescription).FirstOrDefault()?.Value;
        return new DavErrorBody(conditions, Shorten(message?.Trim()));
    }

    public override string ToString() =>
        string.Join("; ", Conditions.Select(c => c.LocalName).Append(Message).Where(s => !string.IsNullOrEmpty(s)));

    private static string? Shorten(string? message) =>
        string.IsNullOrEmpty(message) ? null : message.Length <= MaxMessageLength ? message : message[..MaxMessageLength] + "…";
}
