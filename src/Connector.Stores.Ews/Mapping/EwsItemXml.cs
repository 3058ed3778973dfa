using System.Globalization;
using System.Xml;
using Connector.Mapping.Text;

namespace Connector.Stores.Ews.Mapping;

/// <summary>How much of an item a writer emits.</summary>
public enum EwsWriteMode
{
    /// <summary>Only fields Exchange accepts on CreateItem (read-only fields are left out).</summary>
    Create,

    /// <summary>Every mapped field, read-only ones too, as GetItem returns them (emulator, tests).</summary>
    Server,
}

/// <summary>
/// Options shared by readers and writers. <see cref="MailboxTimeZone"/> (IANA) stands for the
/// request's TimeZoneContext: EWS reads zone-less dateTime values in it, all-day events and task
/// dates without a zone of their own are placed in it, and floating times are written in it.
/// Null means UTC. The host's own zone is never used (S11).
/// </summary>
public sealed record EwsMappingOptions
{
    public static EwsMappingOptions Default { get; } = new();

    public string? MailboxTimeZone { get; init; }

    public EwsWriteMode Mode { get; init; } = EwsWriteMode.Create;
}

/// <summary>An item as read from EWS: its Exchange id and change key (when present) and the model.</summary>
public sealed record EwsItem<T>(string? ItemId, string? ChangeKey, T Item)
{
    /// <summary>
    /// The ItemIds of a recurring master's exceptions (t:ModifiedOccurrences): GetItem on the master gives only their
    /// times, so a reader that wants their content reads these and merges them
    /// (<see cref="EwsCalendarItemReader.WithOccurrences"/>).
    /// </summary>
    public IReadOnlyList<string> ModifiedOccurrenceIds { get; init; } = [];
}

/// <summary>A dateTime as EWS wrote it: a UTC instant when it had 'Z' or an offset, else a wall clock.</summary>
internal readonly record struct EwsDateTime(DateTime Value, bool IsInstant);

internal static class EwsItemXml
{
    public static XmlReaderSettings ReaderSettings { get; } = new()
    {
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
        IgnoreComments = true,
        IgnoreWhitespace = true,
        IgnoreProcessingInstructions = true,
    };

    public static XmlWriterSettings WriterSettings { get; } = new()
    {
        Indent = true,
        OmitXmlDeclaration = true,
        ConformanceLevel = ConformanceLevel.Fragment,
    };

    /// <summary>
    /// Calls <paramref name="onChild"/> for every child element in the EWS types namespace, positioned on
    /// it; the callback must consume the element. Other children are skipped. Leaves the reader after
    /// the parent's end tag.
    /// </summary>
    public static void ReadChildren(XmlReader reader, Action<string> onChild)
    {
        if (reader.IsEmptyElement)
        {
            reader.Read();
            return;
        }

        var depth = reader.Depth;
        reader.Read();
        while (!(reader.NodeType == XmlNodeType.EndElement && reader.Depth == depth))
        {
            if (reader.EOF)
            {
                throw new XmlException("unexpected end of document");
            }

            if (reader.NodeType != XmlNodeType.Element)
            {
                reader.Read();
                continue;
            }

            if (reader.NamespaceURI != EwsFields.TypesNamespace)
            {
                reader.Skip();
                continue;
            }

            onChild(reader.LocalName);
        }

        reader.Read();
    }

    /// <summary>Element text, or null when empty.</summary>
    public static string? Text(XmlReader reader)
    {
        var text = reader.ReadElementContentAsString();
        return text.Length == 0 ? null : text;
    }

    public static EwsDateTime ParseDateTime(string text, string field)
    {
        var s = text.Trim();
        try
        {
            var t = s.IndexOf('T', StringComparison.Ordinal);
            var zoned = t > 0 && (s.EndsWith('Z') || s.IndexOfAny(['+', '-'], t) > 0);
            return zoned
                ? new EwsDateTime(XmlConvert.ToDateTimeOffset(s).UtcDateTime, true)
                : new EwsDateTime(XmlConvert.ToDateTime(s, XmlDateTimeSerializationMode.Unspecified), false);
        }
        catch (FormatException)
        {
            throw new MappingException($"{field} '{Shorten(s)}' is not an xs:dateTime");
        }
    }

    /// <summary>xs:date; Exchange writes recurrence dates with an offset ("2016-02-02-08:00"), which names the same day.</summary>
    public static DateOnly ParseDate(string text, string field)
    {
        var s = text.Trim();
        if (s.Length >= 10 && DateOnly.TryParseExact(s.AsSpan(0, 10), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            return date;
        }

        throw new MappingException($"{field} '{Shorten(s)}' is not an xs:date");
    }

    public static bool ParseBool(string? text, string field) => text?.Trim() switch
    {
        "true" or "1" => true,
        "false" or "0" => false,
        _ => throw new MappingException($"{field} '{Shorten(text ?? string.Empty)}' is not a boolean"),
    };

    public static int ParseInt(string? text, string field) =>
        int.TryParse(text?.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new MappingException($"{field} '{Shorten(text ?? string.Empty)}' is not an integer");

    public static double ParseDouble(string? text, string field) =>
        double.TryParse(text?.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new MappingException($"{field} '{Shorten(text ?? string.Empty)}' is not a number");

    public static TEnum ParseEnum<TEnum>(string? text, string field)
        where TEnum : struct, Enum =>
        Enum.TryParse<TEnum>(text?.Trim(), ignoreCase: false, out var value) && Enum.IsDefined(value)
            ? value
            : throw new MappingException($"{field} '{Shorten(text ?? string.Empty)}' is not a known value");

    public static string FormatUtc(DateTime utc) => utc.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    public static string FormatDate(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static string FormatInt(int value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>Checks the reader is on an element of the expected name in the EWS types namespace.</summary>
    public static void ExpectItemElement(XmlReader reader, string localName)
    {
        if (reader.NodeType != XmlNodeType.Element)
        {
            reader.MoveToContent();
        }

        if (reader.NodeType != XmlNodeType.Element || reader.LocalName != localName || reader.NamespaceURI != EwsFields.TypesNamespace)
        {
            var found = reader.NodeType == XmlNodeType.Element ? $"{{{reader.NamespaceURI}}}{reader.LocalName}" : reader.NodeType.ToString();
            throw new MappingException($"expected t:{localName} in {EwsFields.TypesNamespace}, found {found}", null, localName);
        }
    }

    public static string Shorten(string s) => s.Length <= 40 ? s : s[..40] + "…";
}

/// <summary>
/// Collects an item's child elements and writes them in the order the field table gives, so the
/// mapping code can produce them in whatever order reads best.
/// </summary>
internal sealed class OrderedElementWriter(IReadOnlyList<EwsField> fields, EwsWriteMode mode)
{
    private readonly System.Collections.Frozen.FrozenDictionary<string, int> _order = EwsFields.OrderOf(fields);
    private readonly HashSet<string> _readOnly = fields.Where(f => f.ReadOnly).Select(f => f.Element).ToHashSet(StringComparer.Ordinal);
    private readonly List<(int Order, int Seq, Action<XmlWriter> Write)> _elements = [];

    public void Add(string element, Action<XmlWriter> write)
    {
        if (!_order.TryGetValue(element, out var order))
        {
            throw new InvalidOperationException($"{element} is not a declared field");
        }

        if (mode == EwsWriteMode.Create && _readOnly.Contains(element))
        {
            return;
        }

        _elements.Add((order, _elements.Count, write));
    }

    public void AddText(string element, string? value)
    {
        if (value is not null)
        {
            Add(element, w => w.WriteElementString(element, EwsFields.TypesNamespace, value));
        }
    }

    public void WriteTo(XmlWriter writer)
    {
        foreach (var (_, _, write) in _elements.OrderBy(e => e.Order).ThenBy(e => e.Seq))
        {
            write(writer);
        }
    }
}
