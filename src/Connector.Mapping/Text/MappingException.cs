namespace Connector.Mapping.Text;

/// <summary>
/// Input that cannot be mapped. The message always names the item (when known), the line and the
/// reason, because administrators read it to find out why an item does not sync (S21).
/// </summary>
public sealed class MappingException : Exception
{
    public MappingException(string reason, int? line = null, string? item = null, Exception? inner = null)
        : base(Format(reason, line, item), inner)
    {
        Reason = reason;
        Line = line;
        Item = item;
    }

    public MappingException()
        : this("mapping failed")
    {
    }

    public MappingException(string message)
        : this(message, null, null)
    {
    }

    public MappingException(string message, Exception innerException)
        : this(message, null, null, innerException)
    {
    }

    /// <summary>What is wrong, without position.</summary>
    public string Reason { get; }

    /// <summary>1-based line in the input where the offending property or component starts.</summary>
    public int? Line { get; }

    /// <summary>The item, e.g. <c>VEVENT UID=1234</c> or <c>VCARD #2</c>.</summary>
    public string? Item { get; }

    public MappingException WithItem(string item) => Item is null ? new MappingException(Reason, Line, item, this) : this;

    private static string Format(string reason, int? line, string? item)
    {
        var where = (item, line) switch
        {
            (not null, not null) => $"{item}, line {line}: ",
            (not null, null) => $"{item}: ",
            (null, not null) => $"line {line}: ",
            _ => string.Empty,
        };
        return where + reason;
    }
}
