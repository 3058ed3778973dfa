using System.Text;
using System.Text.Unicode;
using Connector.Domain;
using Connector.Mapping.Text;

namespace Connector.Mapping.VCard;

/// <summary>What one .vcf document held: the contacts that mapped, per-card errors and warnings.</summary>
public sealed record VCardParseResult(
    IReadOnlyList<Contact> Contacts,
    IReadOnlyList<MappingException> Errors,
    IReadOnlyList<string> Warnings);

/// <summary>
/// vCard 2.1, 3.0 and 4.0 → <see cref="Contact"/>. A document may hold several cards; each is
/// parsed on its own, so one bad card is reported in <see cref="VCardParseResult.Errors"/>
/// (named by position and UID, never by name: names are personal data) and the others are still
/// returned (S21). A document whose BEGIN/END lines do not balance (truncated, stray END, text
/// outside any card) gives one error for the whole document and no contacts.
/// </summary>
/// <remarks>
/// <para>Normalisation. <see cref="VCardWriter"/> relies on these rules for <c>Read(Write(c)) == c</c>;
/// a model built elsewhere round-trips exactly when it follows them too.</para>
/// <list type="bullet">
/// <item>Text fields (FN, N parts, NICKNAME, ORG, TITLE, ROLE, ADR parts and label, EMAIL, TEL,
/// URL, labels, categories) are unescaped, CR LF / CR become LF, and they are trimmed; an empty
/// value is null (an empty list entry is dropped). NOTE is not trimmed (it is prose), but its line
/// breaks become LF and a blank note is null.</item>
/// <item>TYPE values are lower-case, without duplicates, in order of appearance; TYPE=a,b, repeated
/// TYPE= and 2.1 bare words (<c>TEL;WORK;VOICE</c>) are the same; vCard 4 <c>PREF=1</c> is the type
/// <c>pref</c>. Other parameters of mapped properties are not kept.</item>
/// <item>Apple/Google labels: a group with one X-ABLabel and one EMAIL, TEL or URL gives
/// <see cref="TypedValue.Label"/> the label text unchanged (<c>_$!&lt;Other&gt;!$_</c> stays as it
/// is, so it round-trips exactly; <see cref="AppleLabels.DisplayText"/> makes it readable). Groups of
/// mapped properties are not kept; other grouped properties are extras with their group.</item>
/// <item>The first non-empty FN, N, NICKNAME, ORG, TITLE, ROLE, NOTE and PHOTO map; later ones are
/// extras. NICKNAME's list is joined with ", ". ORG's units after the company are joined with ";"
/// into <see cref="Contact.Department"/>. A comma inside an N or ADR component is a literal comma.</item>
/// <item>Dates: BDAY and the first readable of ANNIVERSARY, X-ANNIVERSARY, X-MS-ANNIVERSARY,
/// X-EVOLUTION-ANNIVERSARY and Apple's X-ABDATE labelled <c>_$!&lt;Anniversary&gt;!$_</c> map to
/// dates (a time part is dropped; Apple's X-APPLE-OMIT-YEAR year and 0000 mean no year); further
/// readable ones are dropped, unreadable ones are extras. REV is UTC, whole seconds; the first
/// readable one wins.</item>
/// <item>TEL drops a <c>tel:</c> scheme. A photo is inline (bytes with a lower-case media type,
/// <c>TYPE=JPEG</c> → <c>image/jpeg</c>) or a URI, never both. CATEGORIES of all CATEGORIES lines
/// are concatenated.</item>
/// <item>FN missing: derived from N, else ORG, else the first e-mail or phone (see
/// <see cref="VCardWriter"/>, which derives the same). UID missing: a stable hash
/// <c>derived-…</c> of FN, N, first e-mail and first phone, because pairing (S03) needs the same key
/// on every read; a warning says so. A vCard 4 <c>urn:uuid:</c> UID is kept as it is.</item>
/// <item>Extras: every other property, in document order, verbatim with group and parameters,
/// except that vCard 2.1 transfer encodings are undone (quoted-printable decoded, CHARSET dropped,
/// line breaks as <c>\n</c>), because the writer writes UTF-8 vCard 3.0. VERSION and PRODID are
/// regenerated and not kept.</item>
/// </list>
/// <para>Character sets: input is UTF-8. Only when it is not, and only for a card that declares
/// VERSION:2.1, the card is read as 8-bit text and each value decoded with its CHARSET, else as
/// UTF-8 when valid, else as Windows-1252. Quoted-printable bytes are decoded the same way.</para>
/// </remarks>
public static class VCardReader
{
    public static VCardParseResult Read(ReadOnlySpan<byte> bytes, ContentReaderOptions? options = null)
    {
        if (Utf8.IsValid(bytes))
        {
            return Read(ContentReader.DecodeUtf8(bytes), options);
        }

        if (bytes.StartsWith("\uFEFF"u8))
        {
            bytes = bytes[3..];
        }

        // Latin-1 maps every byte to one char and keeps line breaks where they were, so the
        // document can be cut into cards and each card's bytes recovered exactly.
        return ReadDocument(Encoding.Latin1.GetString(bytes), options, isRawBytes: true);
    }

    public static VCardParseResult Read(string text, ContentReaderOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        return ReadDocument(text.StartsWith('\uFEFF') ? text[1..] : text, options, isRawBytes: false);
    }

    private static VCardParseResult ReadDocument(string text, ContentReaderOptions? options, bool isRawBytes)
    {
        options ??= ContentReaderOptions.Default;
        List<CardSpan> spans;
        try
        {
            spans = VCardDocument.Split(text);
        }
        catch (MappingException ex)
        {
            return new VCardParseResult([], [ex], []);
        }

        if (spans.Count == 0)
        {
            return new VCardParseResult([], [new MappingException("the input holds no BEGIN:VCARD")], []);
        }

        var contacts = new List<Contact>();
        var errors = new List<MappingException>();
        var warnings = new List<string>();
        foreach (var span in spans)
        {
            var context = new CardContext(span.Position, span.FirstLine, warnings);
            try
            {
                var (cardText, legacy8Bit) = isRawBytes ? DecodeRawCard(span) : (span.Text, false);
                contacts.Add(ReadCard(cardText, legacy8Bit, context, options));
            }
            catch (MappingException ex)
            {
                var item = CardContext.Describe(span.Position, VCardDocument.FindUid(span.Text));
                errors.Add(context.InDocument(ex, item));
            }
        }

        return new VCardParseResult(contacts, errors, warnings);
    }

    /// <summary>
    /// A card from a document that is not all UTF-8: a UTF-8 card is decoded as such; a vCard 2.1
    /// card stays 8-bit for per-value decoding; any other card is an error, because 3.0 and 4.0
    /// are UTF-8 by definition and guessing would corrupt names silently.
    /// </summary>
    private static (string Text, bool Legacy8Bit) DecodeRawCard(CardSpan span)
    {
        var bytes = Encoding.Latin1.GetBytes(span.Text);
        if (Utf8.IsValid(bytes))
        {
            return (Encoding.UTF8.GetString(bytes), false);
        }

        if (VCardTransferDecoding.DeclaresVersion21(span.Text))
        {
            return (span.Text, true);
        }

        try
        {
            ContentReader.DecodeUtf8(bytes);
        }
        catch (MappingException ex)
        {
            throw new MappingException(
                $"{ex.Reason}; only a vCard 2.1 card may use another character set, and this card is not 2.1",
                ex.Line);
        }

        throw new MappingException("the card is not valid UTF-8", 1);
    }

    private static Contact ReadCard(string cardText, bool legacy8Bit, CardContext context, ContentReaderOptions options)
    {
        var roots = ContentReader.Read(cardText, options);
        if (roots.Count != 1)
        {
            throw new MappingException($"expected one BEGIN:VCARD … END:VCARD block, found {roots.Count}", 1);
        }

        var card = roots[0];
        if (card.Name != "VCARD")
        {
            throw new MappingException($"expected BEGIN:VCARD, found BEGIN:{card.Name}", card.Line);
        }

        if (card.FirstError() is { } broken)
        {
            throw broken;
        }

        foreach (var warning in card.AllWarnings())
        {
            context.Warn(warning);
        }

        VCardTransferDecoding.Decode(card, legacy8Bit, context);
        return ContactReader.Read(card, context);
    }
}
