using System.Buffers;
using System.Text;
using Connector.Domain;
using Connector.Mapping.Text;

namespace Connector.Mapping.VCard;

/// <summary>
/// PHOTO in its three shapes: inline base64 (2.1 <c>ENCODING=BASE64</c>, 3.0 <c>ENCODING=b</c>),
/// a vCard 4 <c>data:</c> URI, or a link (<c>VALUE=uri</c>).
/// </summary>
internal static class VCardPhotos
{
    private static readonly SearchValues<char> SchemeChars =
        SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+-.");

    private static readonly SearchValues<char> Base64Chars =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/");

    /// <summary>
    /// The photo, or false with the reason in <paramref name="problem"/> when its data cannot be
    /// decoded; on success <paramref name="problem"/> says what was repaired, if anything. A photo is
    /// not worth a contact: the caller keeps an undecodable PHOTO verbatim (so writing the card back
    /// loses nothing) and warns, instead of failing the card.
    /// </summary>
    public static bool TryRead(ContentLine line, out ContactPhoto? photo, out string? problem)
    {
        photo = null;
        problem = null;
        var value = line.Value.Trim();
        var mediaType = MediaType(line);
        string data;
        if (IsBase64(line))
        {
            data = value;
        }
        else if (value.StartsWith("data:", StringComparison.OrdinalIgnoreCase))
        {
            var comma = value.IndexOf(',', StringComparison.Ordinal);
            if (comma < 0)
            {
                problem = "its data: URI has no ',' before the data";
                return false;
            }

            var header = value.AsSpan(5, comma - 5);
            if (!header.EndsWith(";base64", StringComparison.OrdinalIgnoreCase))
            {
                // Percent-encoded data (SVG and the like): rare for photos; kept as the URI it is.
                photo = new ContactPhoto { Uri = value, MediaType = mediaType };
                return true;
            }

            var declared = header[..header.IndexOf(';')].Trim().ToString().ToLowerInvariant();
            mediaType = declared.Length > 0 ? declared : mediaType;
            data = value[(comma + 1)..];
        }
        else if (IsUri(line, value))
        {
            photo = new ContactPhoto { Uri = value, MediaType = mediaType };
            return true;
        }
        else
        {
            // Neither ENCODING nor a URI scheme: some writers leave out ENCODING=b on inline data.
            data = value;
        }

        if (!TryDecodeBase64(data, out var bytes, out problem))
        {
            return false;
        }

        photo = bytes.Length == 0 ? null : new ContactPhoto { Data = bytes, MediaType = mediaType };
        return true;
    }

    /// <summary>
    /// Base64 as common decoders (PHP's, which Nextcloud uses; ez-vcard's) accept it: white space
    /// anywhere, padding optional, and a dangling last character (one more than a multiple of four,
    /// which carries no whole byte) ignored. Android's export in the fixtures has such a photo.
    /// Anything outside the alphabet is an error. <paramref name="problem"/> is the error, or on
    /// success a note when a dangling character was ignored.
    /// </summary>
    internal static bool TryDecodeBase64(string value, out byte[] bytes, out string? problem)
    {
        bytes = [];
        problem = null;
        var data = new StringBuilder(value.Length);
        foreach (var c in value)
        {
            if (!char.IsWhiteSpace(c))
            {
                data.Append(c);
            }
        }

        var end = data.Length;
        while (end > 0 && data[end - 1] == '=')
        {
            end--;
        }

        data.Length = end;
        var text = data.ToString();
        var bad = text.AsSpan().IndexOfAnyExcept(Base64Chars);
        if (bad >= 0)
        {
            problem = $"its base64 data holds '{text[bad]}' at data position {bad + 1}, which base64 does not use";
            return false;
        }

        if (text.Length % 4 == 1)
        {
            text = text[..^1];
            problem = "its base64 data is one character longer than whole bytes; the dangling character was ignored";
        }

        text = text.PadRight(text.Length + ((4 - (text.Length % 4)) % 4), '=');
        bytes = Convert.FromBase64String(text);
        return true;
    }

    private static bool IsBase64(ContentLine line)
    {
        var encoding = line.Param("ENCODING")?.Trim();
        return string.Equals(encoding, "b", StringComparison.OrdinalIgnoreCase)
            || string.Equals(encoding, "BASE64", StringComparison.OrdinalIgnoreCase)
            || line.Parameters.Any(p => p.Values.Count == 0 && p.Name.Equals("BASE64", StringComparison.OrdinalIgnoreCase));
    }

    private static bool IsUri(ContentLine line, string value)
    {
        if (string.Equals(line.Param("VALUE")?.Trim(), "uri", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        // A scheme: a letter, then letters, digits, "+", "-" or ".", then ":". Base64 has no ":".
        var colon = value.IndexOf(':', StringComparison.Ordinal);
        return colon > 0 && char.IsAsciiLetter(value[0]) && value.AsSpan(0, colon).IndexOfAnyExcept(SchemeChars) < 0;
    }

    /// <summary>vCard 4 MEDIATYPE, else the 2.1/3.0 TYPE (<c>JPEG</c> → <c>image/jpeg</c>); lower-case.</summary>
    private static string? MediaType(ContentLine line)
    {
        if (line.Param("MEDIATYPE") is { } declared && declared.Trim().Length > 0)
        {
            return declared.Trim().ToLowerInvariant();
        }

        var type = line.ParamValues("TYPE").FirstOrDefault(t => t.Trim().Length > 0);
        return type is null ? null : VCardValues.MediaTypeFromTypeParameter(type);
    }
}
