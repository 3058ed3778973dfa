using System.Text;
using System.Text.Unicode;
using Connector.Domain;
using Connector.Mapping.Text;

namespace Connector.Mapping.VCard;

/// <summary>
/// Undoes vCard 2.1 transfer encodings on every property of a card before it is mapped, so the
/// mapping (and the extras kept verbatim) only ever see Unicode wire text: quoted-printable values
/// are decoded with their CHARSET, values of a card read as raw 8-bit text are decoded with their
/// CHARSET or Windows-1252, and the CHARSET and quoted-printable ENCODING parameters are removed
/// (the writer writes UTF-8, so they would be false). Line breaks a decoded value carries become
/// the TEXT escape <c>\n</c>, because a content line cannot hold them.
/// </summary>
internal static class VCardTransferDecoding
{
    /// <summary>U+FFFD, not the default "?", so a replaced byte is recognisable as such.</summary>
    private static readonly DecoderReplacementFallback Replacement = new("\uFFFD");

    private static readonly Encoding Windows1252 = RegisterCodePages();

    /// <summary>
    /// Decodes the card's properties in place. <paramref name="legacy8Bit"/>: the card's text was
    /// taken byte for byte (Latin-1) because it is not UTF-8; each value is then decoded with its
    /// CHARSET, else as UTF-8 when it is valid UTF-8, else as Windows-1252 (what Outlook and old
    /// phones write).
    /// </summary>
    public static void Decode(Component card, bool legacy8Bit, CardContext context)
    {
        foreach (var line in card.Properties)
        {
            var charset = ResolveCharset(line);
            if (IsQuotedPrintable(line))
            {
                var bytes = DecodeQuotedPrintable(line, legacy8Bit);
                line.Value = EscapeLineBreaks(DecodeBytes(bytes, charset, line, context));
            }
            else if (legacy8Bit && !IsAscii(line.Value))
            {
                line.Value = EscapeLineBreaks(DecodeBytes(Encoding.Latin1.GetBytes(line.Value), charset, line, context));
            }

            for (var i = line.Parameters.Count - 1; i >= 0; i--)
            {
                var p = line.Parameters[i];
                if (IsTransferParameter(p))
                {
                    line.Parameters.RemoveAt(i);
                }
                else if (legacy8Bit && p.Values.Any(v => !IsAscii(v)))
                {
                    line.Parameters[i] = p with { Values = p.Values.Select(v => DecodeBytes(Encoding.Latin1.GetBytes(v), null, line, context)).ToValueList() };
                }
            }
        }

        foreach (var child in card.Children)
        {
            Decode(child, legacy8Bit, context);
        }
    }

    /// <summary>Whether the text declares vCard 2.1 (the only version where a legacy charset is allowed).</summary>
    public static bool DeclaresVersion21(string cardText)
    {
        foreach (var line in cardText.AsSpan().EnumerateLines())
        {
            var trimmed = line.Trim();
            if (trimmed.StartsWith("VERSION", StringComparison.OrdinalIgnoreCase))
            {
                var colon = trimmed.IndexOf(':');
                return colon > 0 && trimmed[(colon + 1)..].Trim().SequenceEqual("2.1");
            }
        }

        return false;
    }

    private static bool IsQuotedPrintable(ContentLine line) =>
        line.Parameters.Any(p =>
            (p.Values.Count == 0 && p.Name.Equals("QUOTED-PRINTABLE", StringComparison.OrdinalIgnoreCase))
            || (p.Name.Equals("ENCODING", StringComparison.OrdinalIgnoreCase) && p.Values.Any(v => v.Equals("QUOTED-PRINTABLE", StringComparison.OrdinalIgnoreCase))));

    /// <summary>CHARSET, and encodings that only describe the transfer (the value is now plain Unicode).</summary>
    private static bool IsTransferParameter(RawParameter p)
    {
        if (p.Name.Equals("CHARSET", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        if (p.Values.Count == 0)
        {
            return p.Name is "QUOTED-PRINTABLE" or "8BIT" or "7BIT";
        }

        return p.Name.Equals("ENCODING", StringComparison.OrdinalIgnoreCase)
            && p.Values.All(v => v.Equals("QUOTED-PRINTABLE", StringComparison.OrdinalIgnoreCase)
                || v.Equals("8BIT", StringComparison.OrdinalIgnoreCase)
                || v.Equals("7BIT", StringComparison.OrdinalIgnoreCase));
    }

    private static Encoding? ResolveCharset(ContentLine line)
    {
        var name = line.Param("CHARSET")?.Trim();
        if (string.IsNullOrEmpty(name))
        {
            return null;
        }

        try
        {
            // Replacement instead of an exception: Android has been seen to write a stray byte after
            // valid UTF-8 (ez-vcard reads the same file the same way); losing one character beats
            // losing the contact, and a warning says so.
            return Encoding.GetEncoding(name, EncoderFallback.ReplacementFallback, Replacement);
        }
        catch (ArgumentException)
        {
            throw new MappingException($"{line.Name} has CHARSET={name}, which is not a known character set", line.Line);
        }
    }

    private static string DecodeBytes(byte[] bytes, Encoding? charset, ContentLine line, CardContext context)
    {
        if (charset is null)
        {
            return Utf8.IsValid(bytes) ? Encoding.UTF8.GetString(bytes) : Windows1252.GetString(bytes);
        }

        var text = charset.GetString(bytes);
        if (charset.CodePage == Encoding.UTF8.CodePage && !Utf8.IsValid(bytes))
        {
            context.Warn(line, $"bytes that are not valid {charset.WebName} were replaced by U+FFFD");
        }

        return text;
    }

    /// <summary>
    /// Decodes <c>=XX</c> escapes; soft line breaks were already removed by the content reader.
    /// Characters a sloppy writer left unencoded count as the bytes they came from: UTF-8 in a
    /// UTF-8 document, the raw byte in an 8-bit card.
    /// </summary>
    private static byte[] DecodeQuotedPrintable(ContentLine line, bool legacy8Bit)
    {
        var value = line.Value;
        var bytes = new List<byte>(value.Length);
        var rawEncoding = legacy8Bit ? Encoding.Latin1 : Encoding.UTF8;
        for (var i = 0; i < value.Length; i++)
        {
            if (value[i] != '=')
            {
                var next = value.IndexOf('=', i);
                var run = next < 0 ? value[i..] : value[i..next];
                bytes.AddRange(rawEncoding.GetBytes(run));
                i += run.Length - 1;
                continue;
            }

            if (i + 2 < value.Length && char.IsAsciiHexDigit(value[i + 1]) && char.IsAsciiHexDigit(value[i + 2]))
            {
                bytes.Add((byte)((HexValue(value[i + 1]) << 4) | HexValue(value[i + 2])));
                i += 2;
            }
            else if (value.AsSpan(i + 1).IsWhiteSpace())
            {
                // "=" with only white space after it: a soft break whose trailing blanks survived.
                break;
            }
            else
            {
                var near = value.AsSpan(i, Math.Min(3, value.Length - i)).ToString();
                throw new MappingException($"{line.Name} has invalid quoted-printable data: \"{near}\" is not \"=\" and two hex digits", line.Line);
            }
        }

        return [.. bytes];
    }

    private static int HexValue(char c) => c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;

    private static string EscapeLineBreaks(string text) =>
        text.AsSpan().IndexOfAny('\r', '\n') < 0
            ? text
            : VCardValues.NormaliseLineBreaks(text).Replace("\n", "\\n", StringComparison.Ordinal);

    private static bool IsAscii(string text) => Ascii.IsValid(text);

    private static Encoding RegisterCodePages()
    {
        // Code pages beyond Latin-1 and the Unicode encodings are in-box but must be registered
        // before Encoding.GetEncoding knows them (CHARSET=windows-1252, ISO-8859-2, Shift_JIS...).
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        return Encoding.GetEncoding(1252, EncoderFallback.ReplacementFallback, Replacement);
    }
}
