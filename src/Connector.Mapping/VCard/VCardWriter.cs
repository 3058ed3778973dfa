using System.Globalization;
using Connector.Domain;
using Connector.Mapping.Text;

namespace Connector.Mapping.VCard;

/// <summary>
/// <see cref="Contact"/> → vCard 3.0, Nextcloud's default: UTF-8, CRLF, folded at 75 octets
/// without splitting a character. <c>VCardReader.Read(Write(c))</c> gives <c>c</c> back for every
/// contact the reader produces and every contact that follows the reader's normalisation rules.
/// </summary>
/// <remarks>
/// vCard 3.0 has no ANNIVERSARY and no date without a year, so the writer uses the forms Sabre
/// (Nextcloud's vCard library) writes when it converts vCard 4 to 3: X-ANNIVERSARY plus Apple's
/// <c>itemN.X-ABDATE</c> with the label <c>_$!&lt;Anniversary&gt;!$_</c>, and the year 1604 with
/// <c>X-APPLE-OMIT-YEAR=1604</c>. Labels go into <c>itemN.</c> groups beside their value, as Apple
/// and Google write them. Extras are written last, verbatim.
/// </remarks>
public static class VCardWriter
{
    /// <summary>PRODID of every card this connector writes.</summary>
    public const string ProductId = "-//Exchange-Nextcloud Connector//Connector 1.0//EN";

    /// <summary>Names the writer always writes itself; an extra with one of them would break the card.</summary>
    private static readonly HashSet<string> GeneratedNames = new(["BEGIN", "END", "VERSION", "PRODID", "UID"], StringComparer.OrdinalIgnoreCase);

    public static string Write(Contact contact)
    {
        var w = new ContentWriter();
        WriteCard(w, contact);
        return w.ToString();
    }

    /// <summary>Several cards in one document (an export); each is written as by <see cref="Write(Contact)"/>.</summary>
    public static string Write(IEnumerable<Contact> contacts)
    {
        ArgumentNullException.ThrowIfNull(contacts);
        var w = new ContentWriter();
        foreach (var contact in contacts)
        {
            WriteCard(w, contact);
        }

        return w.ToString();
    }

    private static void WriteCard(ContentWriter w, Contact c)
    {
        ArgumentNullException.ThrowIfNull(c);

        // Pairing (S03) stands on the UID; a card without one would be paired by a derived UID.
        ArgumentException.ThrowIfNullOrWhiteSpace(c.Uid, "contact.Uid");
        var groups = new GroupNames(c.ExtraProperties);

        w.Begin("VCARD");
        w.Line("VERSION", "3.0");
        w.Line("PRODID", ProductId);
        w.Text("UID", c.Uid);

        // FN and N are required in 3.0; FN is derived the way the reader derives it.
        w.Text("FN", c.FormattedName ?? VCardValues.DeriveFormattedName(c) ?? string.Empty);
        var n = c.Name ?? new StructuredName();
        w.Line("N", string.Join(';', new[] { n.Family, n.Given, n.Additional, n.Prefix, n.Suffix }.Select(EscapeOrEmpty)));

        w.Text("NICKNAME", c.Nickname);
        if (c.Organization is not null || c.Department is not null)
        {
            // The department holds the units after the company joined with ";" (see the reader).
            IEnumerable<string> units = c.Department is null ? [] : c.Department.Split(';').Select(TextValue.Escape);
            w.Line("ORG", string.Join(';', units.Prepend(EscapeOrEmpty(c.Organization))));
        }

        w.Text("TITLE", c.Title);
        w.Text("ROLE", c.Role);
        WriteTyped(w, "EMAIL", c.Emails, groups);
        WriteTyped(w, "TEL", c.Phones, groups);
        foreach (var address in c.Addresses)
        {
            WriteAddress(w, address);
        }

        WriteTyped(w, "URL", c.Urls, groups);
        if (c.Birthday is { } birthday)
        {
            WriteDate(w, null, "BDAY", birthday);
        }

        if (c.Anniversary is { } anniversary)
        {
            WriteDate(w, null, "X-ANNIVERSARY", anniversary);
            var group = groups.Next();
            WriteDate(w, group, "X-ABDATE", anniversary);
            w.Write(group, "X-ABLabel", null, TextValue.Escape(VCardValues.AppleAnniversaryLabel));
        }

        w.Text("NOTE", c.Note);
        WritePhoto(w, c.Photo);
        if (c.Categories.Count > 0)
        {
            w.Line("CATEGORIES", string.Join(',', c.Categories.Select(TextValue.Escape)));
        }

        if (c.Revision is { } revision)
        {
            w.Line("REV", VCardDates.FormatRevision(revision));
        }

        foreach (var extra in c.ExtraProperties)
        {
            if (!GeneratedNames.Contains(extra.Name) && !WouldFillClearedField(extra, c))
            {
                w.Raw(extra);
            }
        }

        w.End("VCARD");
    }

    private static void WriteTyped(ContentWriter w, string name, ValueList<TypedValue> values, GroupNames groups)
    {
        foreach (var v in values)
        {
            var group = v.Label is null ? null : groups.Next();
            w.Write(group, name, TypeParameter(v.Types), VCardValues.EscapeUnstructured(v.Value));
            if (group is not null)
            {
                w.Write(group, "X-ABLabel", null, TextValue.Escape(v.Label!));
            }
        }
    }

    private static void WriteAddress(ContentWriter w, PostalAddress a)
    {
        var parts = new[] { a.PostOfficeBox, a.Extended, a.Street, a.Locality, a.Region, a.PostalCode, a.Country };
        var types = TypeParameter(a.Types);
        w.Line("ADR", types, string.Join(';', parts.Select(EscapeOrEmpty)));

        // vCard 3 LABEL, right after its ADR and with the same TYPEs: that is how the reader pairs them.
        if (a.Label is not null)
        {
            w.Line("LABEL", types, TextValue.Escape(a.Label));
        }
    }

    private static void WriteDate(ContentWriter w, string? group, string name, PartialDate date)
    {
        var (value, omitsYear) = VCardDates.FormatPartialDate(date);
        RawParameter[]? parameters = omitsYear
            ? [new RawParameter(VCardDates.OmitYearParameter, VCardDates.OmittedYear.ToString(CultureInfo.InvariantCulture))]
            : null;
        w.Write(group, name, parameters, value);
    }

    private static void WritePhoto(ContentWriter w, ContactPhoto? photo)
    {
        if (photo is null)
        {
            return;
        }

        var type = photo.MediaType is { Length: > 0 } mediaType
            ? new RawParameter("TYPE", VCardValues.TypeParameterFromMediaType(mediaType))
            : null;
        if (photo.Data.Count > 0)
        {
            RawParameter[] parameters = type is null ? [new("ENCODING", "b")] : [new("ENCODING", "b"), type];
            w.Line("PHOTO", parameters, Convert.ToBase64String([.. photo.Data]));
        }
        else if (!string.IsNullOrWhiteSpace(photo.Uri))
        {
            RawParameter[] parameters = type is null ? [new("VALUE", "uri")] : [new("VALUE", "uri"), type];
            w.Line("PHOTO", parameters, photo.Uri);
        }
    }

    private static RawParameter[]? TypeParameter(ValueList<string> types) =>
        types.Count == 0 ? null : [new RawParameter("TYPE", types)];

    private static string EscapeOrEmpty(string? value) => value is null ? string.Empty : TextValue.Escape(value);

    /// <summary>
    /// A later duplicate of a single-valued property (kept as an extra by the reader) would be read
    /// back into its field. When that field has been cleared, writing the duplicate would bring a
    /// value back the user removed (S18), so it is left out.
    /// </summary>
    private static bool WouldFillClearedField(RawProperty extra, Contact c) => extra.Name.ToUpperInvariant() switch
    {
        "FN" => c.FormattedName is null && VCardValues.Text(extra.Value) is not null,
        "N" => c.Name is null && TextValue.SplitEscaped(extra.Value, ';').Any(p => VCardValues.Text(p) is not null),
        "NICKNAME" => c.Nickname is null && TextValue.UnescapeList(extra.Value).Any(),
        "ORG" => c.Organization is null && c.Department is null && TextValue.SplitEscaped(extra.Value, ';').Any(p => VCardValues.Text(p) is not null),
        "TITLE" => c.Title is null && VCardValues.Text(extra.Value) is not null,
        "ROLE" => c.Role is null && VCardValues.Text(extra.Value) is not null,
        "NOTE" => c.Note is null && VCardValues.Note(extra.Value) is not null,
        "PHOTO" => c.Photo is null && VCardPhotos.TryRead(AsLine(extra), out var photo, out _) && photo is not null,
        _ => false,
    };

    private static ContentLine AsLine(RawProperty p) => new(p.Group, p.Name.ToUpperInvariant(), [.. p.Parameters], p.Value, 0);

    /// <summary>
    /// <c>itemN</c> group names for labels, skipping the groups extras already use: sharing one
    /// would pair a label with the wrong property on the next read.
    /// </summary>
    private sealed class GroupNames(ValueList<RawProperty> extras)
    {
        private readonly HashSet<string> _used = new(extras.Select(e => e.Group).OfType<string>(), StringComparer.OrdinalIgnoreCase);
        private int _next = 1;

        public string Next()
        {
            string name;
            do
            {
                name = string.Create(CultureInfo.InvariantCulture, $"item{_next++}");
            }
            while (!_used.Add(name));

            return name;
        }
    }
}
