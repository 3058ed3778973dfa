using System.Text;
using Connector.Domain;

namespace Connector.Mapping.Text;

/// <summary>
/// Writes content lines with CRLF endings, folded at 75 octets without splitting a UTF-8 sequence
/// (RFC 5545 3.1, RFC 6350 3.2), parameters quoted when needed and RFC 6868-encoded.
/// </summary>
public sealed class ContentWriter
{
    private const int MaxOctetsPerLine = 75;
    private readonly StringBuilder _sb;

    public ContentWriter(StringBuilder? target = null) => _sb = target ?? new StringBuilder(1024);

    public void Begin(string component) => Line("BEGIN", component);

    public void End(string component) => Line("END", component);

    /// <summary>A property whose value is already escaped for the wire.</summary>
    public void Line(string name, string value) => Write(null, name, null, value);

    public void Line(string name, IEnumerable<RawParameter>? parameters, string value) => Write(null, name, parameters, value);

    /// <summary>A TEXT property: the value is escaped here.</summary>
    public void Text(string name, string? value, IEnumerable<RawParameter>? parameters = null)
    {
        if (value is not null)
        {
            Write(null, name, parameters, TextValue.Escape(value));
        }
    }

    public void Raw(RawProperty property) => Write(property.Group, property.Name, property.Parameters, property.Value);

    public void Raw(RawComponent component)
    {
        Begin(component.Name);
        foreach (var p in component.Properties)
        {
            Raw(p);
        }

        foreach (var c in component.Components)
        {
            Raw(c);
        }

        End(component.Name);
    }

    public void Write(string? group, string name, IEnumerable<RawParameter>? parameters, string value)
    {
        var line = new StringBuilder(name.Length + value.Length + 16);
        if (!string.IsNullOrEmpty(group))
        {
            line.Append(group).Append('.');
        }

        line.Append(name);
        if (parameters is not null)
        {
            foreach (var p in parameters)
            {
                line.Append(';').Append(p.Name);
                if (p.Values.Count == 0)
                {
                    continue;
                }

                line.Append('=');
                for (var i = 0; i < p.Values.Count; i++)
                {
                    if (i > 0)
                    {
                        line.Append(',');
                    }

                    AppendParameterValue(line, p.Values[i]);
                }
            }
        }

        line.Append(':').Append(value);
        AppendFolded(line);
    }

    public override string ToString() => _sb.ToString();

    private static void AppendParameterValue(StringBuilder line, string value)
    {
        // Quote what would otherwise split the parameter, and outer spaces, which readers trim.
        var needsQuotes = value.AsSpan().IndexOfAny(":;,") >= 0
            || (value.Length > 0 && (char.IsWhiteSpace(value[0]) || char.IsWhiteSpace(value[^1])));
        if (needsQuotes)
        {
            line.Append('"');
        }

        foreach (var c in value)
        {
            switch (c)
            {
                case '^': line.Append("^^"); break;
                case '"': line.Append("^'"); break;
                case '\n': line.Append("^n"); break;
                case '\r': break;
                default: line.Append(c); break;
            }
        }

        if (needsQuotes)
        {
            line.Append('"');
        }
    }

    private void AppendFolded(StringBuilder line)
    {
        var octets = 0;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            int size;
            if (char.IsHighSurrogate(c) && i + 1 < line.Length && char.IsLowSurrogate(line[i + 1]))
            {
                size = 4;
            }
            else
            {
                size = c < 0x80 ? 1 : c < 0x800 ? 2 : 3;
            }

            if (octets + size > MaxOctetsPerLine)
            {
                _sb.Append("\r\n ");
                octets = 1;
            }

            _sb.Append(c);
            if (size == 4)
            {
                _sb.Append(line[++i]);
            }

            octets += size;
        }

        _sb.Append("\r\n");
    }
}
