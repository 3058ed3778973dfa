using System.Text;
using System.Xml;

namespace Connector.Stores.Ews.Http;

/// <summary>
/// Namespaces and the few reading and writing steps every EWS operation shares. Readers walk one element at a
/// time through <see cref="ForEachChild"/>, which hands each child out as its own subtree: a parse step cannot
/// read past the element it was given, however little of it it reads.
/// </summary>
internal static class EwsXml
{
    public const string Soap = "http://schemas.xmlsoap.org/soap/envelope/";
    public const string Messages = "http://schemas.microsoft.com/exchange/services/2006/messages";
    public const string Types = "http://schemas.microsoft.com/exchange/services/2006/types";
    public const string Errors = "http://schemas.microsoft.com/exchange/services/2006/errors";

    /// <summary>Hard limits for reading answers: no DTD, no external resources, no huge entity expansions.</summary>
    public static XmlReaderSettings ReaderSettings { get; } = new()
    {
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
        IgnoreComments = true,
        IgnoreProcessingInstructions = true,
        IgnoreWhitespace = true,
        CloseInput = false,
    };

    /// <summary>UTF-8 without a byte order mark; Exchange accepts both, the schema validator in tests too.</summary>
    public static XmlWriterSettings WriterSettings { get; } = new()
    {
        Encoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false),
        Indent = false,
        CloseOutput = false,
    };

    /// <summary>
    /// Calls <paramref name="onChild"/> for each child element of the element <paramref name="reader"/> is on,
    /// with a reader limited to that child and positioned on it; leaves <paramref name="reader"/> after the
    /// element's end.
    /// </summary>
    public static void ForEachChild(XmlReader reader, Action<XmlReader> onChild)
    {
        if (reader.NodeType != XmlNodeType.Element)
        {
            throw new XmlException($"expected an element, found {reader.NodeType} {reader.Name}");
        }

        if (reader.IsEmptyElement)
        {
            reader.Read();
            return;
        }

        var depth = reader.Depth;
        if (!reader.Read())
        {
            throw new XmlException("unexpected end of the document");
        }

        while (!(reader.NodeType == XmlNodeType.EndElement && reader.Depth == depth))
        {
            if (reader.NodeType == XmlNodeType.Element)
            {
                using (var child = reader.ReadSubtree())
                {
                    child.Read();
                    onChild(child);
                }
            }

            if (!reader.Read())
            {
                throw new XmlException("unexpected end of the document");
            }
        }

        reader.Read();
    }

    /// <summary>True when the reader is on the element {<paramref name="ns"/>}<paramref name="localName"/>.</summary>
    public static bool Is(XmlReader reader, string ns, string localName) =>
        reader.NodeType == XmlNodeType.Element
        && string.Equals(reader.LocalName, localName, StringComparison.Ordinal)
        && string.Equals(reader.NamespaceURI, ns, StringComparison.Ordinal);

    /// <summary>All text inside the element the reader is on (nested elements included), trimmed.</summary>
    public static string ReadText(XmlReader reader)
    {
        if (reader.IsEmptyElement)
        {
            reader.Read();
            return string.Empty;
        }

        var text = new StringBuilder();
        var depth = reader.Depth;
        while (reader.Read() && !(reader.NodeType == XmlNodeType.EndElement && reader.Depth == depth))
        {
            if (reader.NodeType is XmlNodeType.Text or XmlNodeType.CDATA or XmlNodeType.SignificantWhitespace)
            {
                text.Append(reader.Value);
            }
        }

        reader.Read();
        return text.ToString().Trim();
    }

    /// <summary>
    /// The children of a t:MessageXml element by name: t:Value elements by their Name attribute
    /// (BackOffMilliseconds), other elements by local name (LineNumber, Violation).
    /// </summary>
    public static IReadOnlyDictionary<string, string> ReadMessageXml(XmlReader reader)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        ForEachChild(reader, child =>
        {
            var key = child.GetAttribute("Name") ?? child.LocalName;
            values[key] = ReadText(child);
        });
        return values;
    }

    public static void WriteTypesElement(XmlWriter writer, string localName, string value) =>
        writer.WriteElementString("t", localName, Types, value);

    public static void WriteMessagesElement(XmlWriter writer, string localName, string value) =>
        writer.WriteElementString("m", localName, Messages, value);
}
