using System.Security.Cryptography;
using System.Text;
using Connector.Domain;
using Connector.Mapping.Text;

namespace Connector.Mapping.VCard;

/// <summary>
/// Value rules the reader and the writer must agree on, kept in one place so that a round trip
/// (<c>Read(Write(c)) == c</c>) cannot drift: text normalisation, TYPE lists, photo media types,
/// the derived FN and the derived UID.
/// </summary>
internal static class VCardValues
{
    /// <summary>Apple's label for an <c>X-ABDATE</c> that is an anniversary (also written by Sabre).</summary>
    public const string AppleAnniversaryLabel = "_$!<Anniversary>!$_";

    /// <summary>TEXT value → model text: unescaped, CR LF and CR become LF, trimmed, empty → null.</summary>
    public static string? Text(string wire) => TextValue.NullIfEmpty(NormaliseLineBreaks(TextValue.Unescape(wire)).Trim());

    /// <summary>NOTE keeps its leading and trailing white space (a note is prose); only line breaks are normalised.</summary>
    public static string? Note(string wire)
    {
        var text = NormaliseLineBreaks(TextValue.Unescape(wire));
        return string.IsNullOrWhiteSpace(text) ? null : text;
    }

    public static string NormaliseLineBreaks(string text) =>
        text.Contains('\r', StringComparison.Ordinal) ? text.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n') : text;

    /// <summary>
    /// Escaping for values that are not prose (EMAIL, TEL, URL): only backslash and line breaks are
    /// escaped, so a URL keeps its commas and a <c>tel:</c> number its <c>;ext=</c> on the wire.
    /// The reader unescapes these values fully, so both forms read back the same.
    /// </summary>
    public static string EscapeUnstructured(string value)
    {
        if (value.AsSpan().IndexOfAny("\\\r\n") < 0)
        {
            return value;
        }

        return NormaliseLineBreaks(value).Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);
    }

    /// <summary>
    /// TYPE values (TYPE=a,b, repeated TYPE=, vCard 2.1 bare words), lower-case, without duplicates,
    /// in order of appearance; a vCard 4 <c>PREF=1</c> adds <c>pref</c>.
    /// </summary>
    public static ValueList<string> Types(ContentLine line)
    {
        var types = new List<string>();
        foreach (var raw in line.ParamValues("TYPE"))
        {
            var type = raw.Trim().ToLowerInvariant();
            if (type.Length > 0 && !types.Contains(type))
            {
                types.Add(type);
            }
        }

        if (line.Param("PREF") is { } pref && pref.Trim() == "1" && !types.Contains("pref"))
        {
            types.Add("pref");
        }

        return types.ToValueList();
    }

    /// <summary>vCard 3 <c>TYPE=JPEG</c> → <c>image/jpeg</c>; a value with a slash is already a media type.</summary>
    public static string MediaTypeFromTypeParameter(string type)
    {
        var t = type.Trim().ToLowerInvariant();
        return t.Contains('/', StringComparison.Ordinal) ? t : "image/" + t;
    }

    /// <summary>The inverse of <see cref="MediaTypeFromTypeParameter"/>: <c>image/jpeg</c> → <c>JPEG</c>.</summary>
    public static string TypeParameterFromMediaType(string mediaType) =>
        mediaType.StartsWith("image/", StringComparison.OrdinalIgnoreCase)
            ? mediaType["image/".Length..].ToUpperInvariant()
            : mediaType;

    /// <summary>
    /// FN when the card has none (vCard 2.1 and 4.0 exports without FN; 3.0 requires it): the name,
    /// else the organisation, else the first e-mail address or phone number. The reader and the
    /// writer both use this, so a contact without FN reads back equal.
    /// </summary>
    public static string? DeriveFormattedName(Contact contact)
    {
        if (contact.Name is { } n)
        {
            var parts = new[] { n.Prefix, n.Given, n.Additional, n.Family, n.Suffix }.Where(p => p is not null);
            var joined = string.Join(' ', parts);
            if (joined.Length > 0)
            {
                return joined;
            }
        }

        return contact.Organization
            ?? (contact.Emails.Count > 0 ? contact.Emails[0].Value : null)
            ?? (contact.Phones.Count > 0 ? contact.Phones[0].Value : null);
    }

    /// <summary>
    /// A UID for a card without one. Pairing (S03) needs a key that is the same every time the
    /// same card is read; a random UID would make each read a new contact and sync duplicates. The
    /// hash covers what identifies a person on a card (FN, N, first e-mail, first phone) and is
    /// prefixed so it is recognisable as derived.
    /// </summary>
    public static string DeriveUid(Contact contact)
    {
        var n = contact.Name;
        var key = string.Join(
            '\u001f',
            "VCARD",
            contact.FormattedName,
            n?.Family,
            n?.Given,
            n?.Additional,
            n?.Prefix,
            n?.Suffix,
            contact.Emails.Count > 0 ? contact.Emails[0].Value : null,
            contact.Phones.Count > 0 ? contact.Phones[0].Value : null);
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(key));
        return "derived-" + Convert.ToHexStringLower(hash.AsSpan(0, 16));
    }
}
