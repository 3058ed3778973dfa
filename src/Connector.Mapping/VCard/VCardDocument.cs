using Connector.Mapping.Text;

namespace Connector.Mapping.VCard;

/// <summary>One top-level BEGIN … END block of a document, as text, with its first line number.</summary>
internal readonly record struct CardSpan(int Position, int FirstLine, string Text);

/// <summary>
/// Cuts a .vcf document into its top-level cards before any of them is parsed, so a card that
/// cannot be parsed costs only itself. Only BEGIN/END lines are looked at; the balance check is
/// a counter, not recursion, so hostile nesting cannot exhaust the stack.
/// </summary>
internal static class VCardDocument
{
    /// <summary>The cards; an unbalanced document (truncated, stray END, text outside any card) throws.</summary>
    public static List<CardSpan> Split(string text)
    {
        var spans = new List<CardSpan>();
        var depth = 0;
        var cardStart = 0;
        var cardLine = 0;
        var lineNumber = 0;
        var position = 0;

        while (position < text.Length)
        {
            var lineStart = position;
            var line = NextLine(text, ref position);
            lineNumber++;
            if (line.IsWhiteSpace())
            {
                continue;
            }

            var isContinuation = line[0] is ' ' or '\t';
            var keyword = isContinuation ? null : Keyword(line);
            if (keyword == "BEGIN")
            {
                if (depth == 0)
                {
                    (cardStart, cardLine) = (lineStart, lineNumber);
                }

                depth++;
            }
            else if (keyword == "END")
            {
                if (depth == 0)
                {
                    throw new MappingException("END without a matching BEGIN", lineNumber);
                }

                if (--depth == 0)
                {
                    spans.Add(new CardSpan(spans.Count + 1, cardLine, text[cardStart..position]));
                }
            }
            else if (depth == 0)
            {
                // Only the property name is quoted: the value may be personal data.
                throw new MappingException($"a {PropertyName(line)} line is outside of any BEGIN:VCARD … END:VCARD", lineNumber);
            }
        }

        if (depth > 0)
        {
            throw new MappingException($"the input ends inside the card that begins at line {cardLine} (no END:VCARD); it looks truncated", cardLine);
        }

        return spans;
    }

    /// <summary>The card's UID as written, for naming a card that failed before it was mapped.</summary>
    public static string? FindUid(string cardText)
    {
        foreach (var line in cardText.AsSpan().EnumerateLines())
        {
            if (Keyword(line) == "UID")
            {
                var colon = line.IndexOf(':');
                var uid = colon < 0 ? default : line[(colon + 1)..].Trim();
                return uid.IsEmpty ? null : Shorten(uid);
            }
        }

        return null;
    }

    /// <summary>BEGIN, END or UID when the line is one of those properties (any case, no group).</summary>
    private static string? Keyword(ReadOnlySpan<char> line)
    {
        var end = line.IndexOfAny(';', ':');
        if (end < 0)
        {
            return null;
        }

        var name = line[..end].Trim();
        return name.Equals("BEGIN", StringComparison.OrdinalIgnoreCase) ? "BEGIN"
            : name.Equals("END", StringComparison.OrdinalIgnoreCase) ? "END"
            : name.Equals("UID", StringComparison.OrdinalIgnoreCase) ? "UID"
            : null;
    }

    private static string PropertyName(ReadOnlySpan<char> line)
    {
        var end = line.IndexOfAny(';', ':');
        var name = (end < 0 ? line : line[..end]).Trim();
        return name.IsEmpty ? "nameless" : Shorten(name).ToUpperInvariant();
    }

    private static ReadOnlySpan<char> NextLine(string text, ref int position)
    {
        var rest = text.AsSpan(position);
        var end = rest.IndexOfAny('\r', '\n');
        if (end < 0)
        {
            position = text.Length;
            return rest;
        }

        position += end + 1;
        if (rest[end] == '\r' && position < text.Length && text[position] == '\n')
        {
            position++;
        }

        return rest[..end];
    }

    private static string Shorten(ReadOnlySpan<char> s) => s.Length > 60 ? string.Concat(s[..60], "…") : s.ToString();
}
