using System.Text;

namespace Connector.Mapping.Text;

/// <summary>TEXT value escaping shared by iCalendar and vCard (RFC 5545 3.3.11, RFC 6350 3.4).</summary>
public static class TextValue
{
    /// <summary>Unescapes <c>\\ \; \, \n \N</c>; an unknown escape keeps the character (tolerant of real-world files).</summary>
    public static string Unescape(ReadOnlySpan<char> value)
    {
        if (value.IndexOf('\\') < 0)
        {
            return value.ToString();
        }

        var sb = new StringBuilder(value.Length);
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (c == '\\' && i + 1 < value.Length)
            {
                var next = value[++i];
                sb.Append(next is 'n' or 'N' ? '\n' : next);
            }
            else
            {
                sb.Append(c);
            }
        }

        return sb.ToString();
    }

    /// <summary>Escapes text for a TEXT value; CR LF and lone CR become <c>\n</c>.</summary>
    public static string Escape(string value)
    {
        if (value.AsSpan().IndexOfAny("\\;,\n\r") < 0)
        {
            return value;
        }

        var sb = new StringBuilder(value.Length + 8);
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            switch (c)
            {
                case '\\': sb.Append("\\\\"); break;
                case ';': sb.Append("\\;"); break;
                case ',': sb.Append("\\,"); break;
                case '\r':
                    sb.Append("\\n");
                    if (i + 1 < value.Length && value[i + 1] == '\n')
                    {
                        i++;
                    }

                    break;
                case '\n': sb.Append("\\n"); break;
                default: sb.Append(c); break;
            }
        }

        return sb.ToString();
    }

    /// <summary>Splits on an unescaped separator, keeping escapes in the parts.</summary>
    public static List<string> SplitEscaped(string value, char separator)
    {
        var parts = new List<string>();
        var start = 0;
        for (var i = 0; i < value.Length; i++)
        {
            if (value[i] == '\\')
            {
                i++;
            }
            else if (value[i] == separator)
            {
                parts.Add(value[start..i]);
                start = i + 1;
            }
        }

        parts.Add(value[start..]);
        return parts;
    }

    /// <summary>A comma-separated TEXT list (CATEGORIES, NICKNAME), unescaped, empty entries dropped.</summary>
    public static IEnumerable<string> UnescapeList(string value)
    {
        foreach (var part in SplitEscaped(value, ','))
        {
            var text = Unescape(part).Trim();
            if (text.Length > 0)
            {
                yield return text;
            }
        }
    }

    /// <summary>Null for null, empty or whitespace-only text.</summary>
    public static string? NullIfEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
