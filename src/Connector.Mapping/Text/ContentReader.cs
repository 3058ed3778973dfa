using System.Text;
using Connector.Domain;

namespace Connector.Mapping.Text;

/// <summary>
/// Reads RFC 5545 / RFC 6350 content (and vCard 2.1) into components: unfolds lines (space or TAB
/// continuation, CRLF, LF or CR endings), joins vCard 2.1 quoted-printable soft line breaks, parses
/// groups, parameters (quoted, multi-valued, RFC 6868 caret encoding, 2.1 bare words) and checks
/// BEGIN/END nesting. Linear in the input; every limit gives a <see cref="MappingException"/>.
/// </summary>
public static class ContentReader
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Decodes bytes as UTF-8 (BOM allowed); invalid bytes are an error naming the line.</summary>
    public static string DecodeUtf8(ReadOnlySpan<byte> bytes)
    {
        if (bytes.StartsWith("\uFEFF"u8))
        {
            bytes = bytes[3..];
        }

        try
        {
            return StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException ex)
        {
            var index = Math.Clamp(ex.Index, 0, bytes.Length);
            var line = 1 + bytes[..index].Count((byte)'\n');
            throw new MappingException($"the input is not valid UTF-8 (byte 0x{(ex.BytesUnknown is { Length: > 0 } b ? b[0] : 0):X2})", line);
        }
    }

    /// <summary>Reads all top-level components (a file may hold several VCARDs or VCALENDARs).</summary>
    /// <remarks>
    /// A content line that cannot be parsed (no colon, bad name, over the size limit) belongs to the
    /// component it sits in: an extension (<c>X-</c>) line is dropped with a warning on that component,
    /// any other becomes an error of that component, so only that item fails (S21). Text outside every
    /// BEGIN/END block is ignored with a warning in <paramref name="warnings"/>.
    /// </remarks>
    public static List<Component> Read(string text, ContentReaderOptions? options = null, List<string>? warnings = null)
    {
        options ??= ContentReaderOptions.Default;
        var roots = new List<Component>();
        var stack = new Stack<Component>();
        void OnBadLine(MappingException error, string head)
        {
            if (!stack.TryPeek(out var owner))
            {
                warnings?.Add($"line {error.Line}: ignored text outside BEGIN/END ({error.Reason})");
            }
            else if (head.StartsWith("X-", StringComparison.OrdinalIgnoreCase))
            {
                owner.Warnings.Add($"line {error.Line}: ignored a malformed extension property ({error.Reason})");
            }
            else
            {
                owner.Errors.Add(error);
            }
        }

        foreach (var line in ReadLines(text, options, OnBadLine))
        {
            if (line.Name == "BEGIN")
            {
                var name = line.Value.Trim().ToUpperInvariant();
                if (name.Length == 0)
                {
                    throw new MappingException("BEGIN without a component name", line.Line);
                }

                if (stack.Count >= options.MaxDepth)
                {
                    throw new MappingException($"components nested deeper than {options.MaxDepth} levels (BEGIN:{name})", line.Line);
                }

                var component = new Component(name, line.Line);
                if (stack.TryPeek(out var parent))
                {
                    parent.Children.Add(component);
                }
                else
                {
                    roots.Add(component);
                }

                stack.Push(component);
            }
            else if (line.Name == "END")
            {
                var name = line.Value.Trim().ToUpperInvariant();
                if (!stack.TryPop(out var open))
                {
                    throw new MappingException($"END:{name} without a matching BEGIN", line.Line);
                }

                if (open.Name != name)
                {
                    throw new MappingException($"END:{name} does not close BEGIN:{open.Name} opened at line {open.Line}", line.Line);
                }
            }
            else if (stack.TryPeek(out var current))
            {
                if (current.Properties.Count >= options.MaxPropertiesPerComponent)
                {
                    throw new MappingException($"{current.Name} has more than {options.MaxPropertiesPerComponent} properties", line.Line);
                }

                current.Properties.Add(line);
            }
            else
            {
                warnings?.Add($"line {line.Line}: ignored property {line.Name} outside of any BEGIN/END block");
            }
        }

        if (stack.Count > 0)
        {
            var innermost = stack.Peek();
            throw new MappingException(
                $"the input ends before END:{innermost.Name} (BEGIN:{innermost.Name} at line {innermost.Line}); it looks truncated",
                innermost.Line);
        }

        return roots;
    }

    /// <summary>Unfolds and parses content lines; blank lines are skipped.</summary>
    /// <param name="onBadLine">
    /// Receives each line that cannot be parsed, with the line's first characters; when null, such a
    /// line throws.
    /// </param>
    public static IEnumerable<ContentLine> ReadLines(string text, ContentReaderOptions? options = null, Action<MappingException, string>? onBadLine = null)
    {
        options ??= ContentReaderOptions.Default;
        var position = 0;
        var lineNumber = 0;
        StringBuilder? folded = null;

        while (position < text.Length)
        {
            var first = NextPhysicalLine(text, ref position, ref lineNumber);
            var startLine = lineNumber;
            if (first.IsEmpty || first.IsWhiteSpace())
            {
                continue;
            }

            folded?.Clear();
            var length = first.Length;
            var isFolded = false;
            bool? isQuotedPrintable = null;

            var tooLong = false;
            while (true)
            {
                // Seen in Mozilla exports: a name, a blank line, then " :value". A line that cannot be
                // complete (no colon yet) skips blank lines before a continuation.
                if (!isFolded && first.IndexOf(':') < 0)
                {
                    SkipBlankLinesBeforeContinuation(text, ref position, ref lineNumber);
                }

                // RFC 5545 3.1: a line starting with a space or TAB continues the previous one.
                if (position < text.Length && (text[position] == ' ' || text[position] == '\t'))
                {
                    if (!isFolded)
                    {
                        folded ??= new StringBuilder();
                        folded.Append(first);
                        isFolded = true;
                    }

                    var continuation = NextPhysicalLine(text, ref position, ref lineNumber);
                    if (!tooLong)
                    {
                        folded!.Append(continuation[1..]);
                    }

                    length += continuation.Length - 1;
                }
                else if (EndsWithSoftBreak(isFolded ? folded! : null, first) && position < text.Length
                    && (isQuotedPrintable ??= IsQuotedPrintable(isFolded ? folded!.ToString() : first.ToString())))
                {
                    // vCard 2.1: a quoted-printable value continues after "=" at the end of a line. The
                    // "=" is a soft line break, not part of the value, so it is dropped here and the
                    // value reaching the decoder is plain quoted-printable. The head is checked once per
                    // property: re-checking the growing value would make long values quadratic.
                    if (!isFolded)
                    {
                        folded ??= new StringBuilder();
                        folded.Append(first);
                        isFolded = true;
                    }

                    folded!.Length--;
                    var continuation = NextPhysicalLine(text, ref position, ref lineNumber);
                    folded.Append(continuation);
                    length += continuation.Length - 1;

                    // A blank line ends the value: Android writes "=" CRLF CRLF when a value ends
                    // exactly at a soft break, and the next property must not be swallowed.
                    if (continuation.IsEmpty)
                    {
                        break;
                    }
                }
                else
                {
                    break;
                }

                // Keep consuming the continuation lines of an oversized property, without keeping
                // them, so the next property is read from the right place.
                tooLong |= length > options.MaxValueLength + 1024;
            }

            var logical = isFolded ? folded!.ToString() : first.ToString();
            ContentLine? parsed = null;
            MappingException? error = null;
            if (tooLong)
            {
                error = new MappingException($"a property is longer than the limit of {options.MaxValueLength} characters", startLine);
            }
            else if (onBadLine is null)
            {
                parsed = ParseLine(logical, startLine, options);
            }
            else
            {
                try
                {
                    parsed = ParseLine(logical, startLine, options);
                }
                catch (MappingException ex)
                {
                    error = ex;
                }
            }

            if (parsed is not null)
            {
                yield return parsed;
            }
            else if (onBadLine is null)
            {
                throw error!;
            }
            else
            {
                onBadLine(error!, logical.Length > 16 ? logical[..16].Trim() : logical.Trim());
            }
        }
    }

    private static void SkipBlankLinesBeforeContinuation(string text, ref int position, ref int lineNumber)
    {
        var probe = position;
        var skipped = 0;
        while (probe < text.Length && (text[probe] == '\r' || text[probe] == '\n'))
        {
            if (text[probe] == '\n' || (text[probe] == '\r' && (probe + 1 >= text.Length || text[probe + 1] != '\n')))
            {
                skipped++;
            }

            probe++;
        }

        if (skipped > 0 && probe < text.Length && (text[probe] == ' ' || text[probe] == '\t'))
        {
            position = probe;
            lineNumber += skipped;
        }
    }

    private static bool EndsWithSoftBreak(StringBuilder? folded, ReadOnlySpan<char> first) =>
        folded is not null ? folded.Length > 0 && folded[^1] == '=' : first.Length > 0 && first[^1] == '=';

    private static bool IsQuotedPrintable(string logical)
    {
        var colon = FindValueColon(logical);
        var head = colon < 0 ? logical.AsSpan() : logical.AsSpan(0, colon);
        return head.Contains("QUOTED-PRINTABLE", StringComparison.OrdinalIgnoreCase);
    }

    private static ReadOnlySpan<char> NextPhysicalLine(string text, ref int position, ref int lineNumber)
    {
        lineNumber++;
        var rest = text.AsSpan(position);
        var end = rest.IndexOfAny('\r', '\n');
        if (end < 0)
        {
            position = text.Length;
            return rest;
        }

        var line = rest[..end];
        position += end + 1;
        if (rest[end] == '\r' && position < text.Length && text[position] == '\n')
        {
            position++;
        }
        else if (rest[end] == '\r' && position + 1 < text.Length && text[position] == '\r' && text[position + 1] == '\n')
        {
            // iPhone vCard exports end lines with CR CR LF: one line ending, not a blank line.
            position += 2;
        }

        return line;
    }

    /// <summary>Index of the colon that separates name and parameters from the value (quotes respected).</summary>
    private static int FindValueColon(string line)
    {
        var inQuotes = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (c == '"')
            {
                inQuotes = !inQuotes;
            }
            else if (!inQuotes && c == ':')
            {
                return i;
            }
        }

        return -1;
    }

    internal static ContentLine ParseLine(string line, int lineNumber, ContentReaderOptions options, bool isRetry = false)
    {
        var nameEnd = line.AsSpan().IndexOfAny(';', ':');
        if (nameEnd <= 0)
        {
            // Only the first word is quoted: the rest may be a person's name (a vCard "FN John Doe"
            // without its colon), and these messages end up in logs.
            var shown = Shorten(FirstWord(line));
            throw new MappingException(nameEnd == 0 ? $"content line without a property name: \"{shown}…\"" : $"content line without ':' and value: \"{shown}…\"", lineNumber);
        }

        var fullName = line[..nameEnd].Trim();
        if (fullName.Contains(' ', StringComparison.Ordinal))
        {
            // Seen in hand-written feeds: "REFRESH - INTERVAL;VALUE = DURATION:PT48H". Names never hold spaces.
            fullName = fullName.Replace(" ", string.Empty, StringComparison.Ordinal);
        }

        string? group = null;
        var dot = fullName.LastIndexOf('.');
        if (dot > 0)
        {
            group = fullName[..dot];
            fullName = fullName[(dot + 1)..];
        }

        if (fullName.Length == 0 || !IsValidName(fullName))
        {
            throw new MappingException($"\"{Shorten(FirstWord(fullName))}\" is not a valid property name", lineNumber);
        }

        var parameters = new List<RawParameter>();
        var i = nameEnd;
        while (i < line.Length && line[i] == ';')
        {
            i++;
            i = ParseParameter(line, i, parameters, lineNumber);
        }

        if (i >= line.Length || line[i] != ':')
        {
            // Seen in Exchange 2010 exports: DTSTART;TZID="W. Europe Standard Time:20200609T090000"
            // (the closing quote after the value). Move the quote back before the last colon, once.
            var lastColon = line.LastIndexOf(':');
            if (line.EndsWith('"') && lastColon > nameEnd && !isRetry)
            {
                return ParseLine(line[..lastColon] + "\":" + line[(lastColon + 1)..^1], lineNumber, options, isRetry: true);
            }

            throw new MappingException($"property {fullName.ToUpperInvariant()} has no ':' before its value", lineNumber);
        }

        var value = line[(i + 1)..];
        if (value.Length > options.MaxValueLength)
        {
            throw new MappingException($"property {fullName.ToUpperInvariant()} is {value.Length} characters long, over the limit of {options.MaxValueLength}", lineNumber);
        }

        return new ContentLine(group, fullName.ToUpperInvariant(), parameters, value, lineNumber);
    }

    private static int ParseParameter(string line, int i, List<RawParameter> parameters, int lineNumber)
    {
        var nameStart = i;
        while (i < line.Length && line[i] != '=' && line[i] != ';' && line[i] != ':')
        {
            i++;
        }

        var name = line[nameStart..i].Trim();
        if (i >= line.Length || line[i] != '=')
        {
            // vCard 2.1 bare parameter: TEL;WORK;VOICE:... or NOTE;QUOTED-PRINTABLE:...
            if (name.Length > 0)
            {
                parameters.Add(new RawParameter(name.ToUpperInvariant(), ValueList<string>.Empty));
            }

            return i;
        }

        i++; // '='
        var values = new List<string>();
        while (true)
        {
            if (i < line.Length && line[i] == '"')
            {
                var close = line.IndexOf('"', i + 1);
                if (close < 0)
                {
                    throw new MappingException($"parameter {name.ToUpperInvariant()} has an unterminated quoted value", lineNumber);
                }

                values.Add(DecodeCaret(line.AsSpan(i + 1, close - i - 1)));
                i = close + 1;
            }
            else
            {
                var start = i;
                while (i < line.Length && line[i] != ',' && line[i] != ';' && line[i] != ':')
                {
                    i++;
                }

                values.Add(DecodeCaret(line.AsSpan(start, i - start).Trim()));
            }

            if (i < line.Length && line[i] == ',')
            {
                i++;
                continue;
            }

            break;
        }

        parameters.Add(new RawParameter(name.ToUpperInvariant(), new ValueList<string>(values)));
        return i;
    }

    /// <summary>RFC 6868: ^n newline, ^^ caret, ^' double quote.</summary>
    private static string DecodeCaret(ReadOnlySpan<char> value)
    {
        if (value.IndexOf('^') < 0)
        {
            return value.ToString();
        }

        var sb = new StringBuilder(value.Length);
        for (var i = 0; i < value.Length; i++)
        {
            if (value[i] == '^' && i + 1 < value.Length)
            {
                switch (value[i + 1])
                {
                    case 'n' or 'N':
                        sb.Append('\n');
                        i++;
                        continue;
                    case '^':
                        sb.Append('^');
                        i++;
                        continue;
                    case '\'':
                        sb.Append('"');
                        i++;
                        continue;
                }
            }

            sb.Append(value[i]);
        }

        return sb.ToString();
    }

    private static bool IsValidName(string name)
    {
        foreach (var c in name)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c == '-' || c == '_'))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Up to the first white space: what error messages may quote of a broken line.</summary>
    private static string FirstWord(string s)
    {
        var trimmed = s.AsSpan().TrimStart();
        var space = trimmed.IndexOfAny(' ', '\t');
        return (space < 0 ? trimmed : trimmed[..space]).ToString();
    }

    private static string Shorten(string s) => s.Length > 40 ? s[..40] + "…" : s;
}
