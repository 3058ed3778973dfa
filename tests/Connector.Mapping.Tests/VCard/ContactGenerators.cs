using Connector.Domain;
using CsCheck;

namespace Connector.Mapping.Tests.VCard;

/// <summary>
/// CsCheck generators for contacts. They produce only models the reader can represent, following
/// the normalisation rules on <see cref="Connector.Mapping.VCard.VCardReader"/>: text is trimmed and
/// never empty (NOTE may have outer white space but is not blank), line breaks are LF, types are
/// lower-case and distinct, a photo is inline or a URI, dates are valid, REV is whole UTC seconds,
/// and extras never use a name the model maps.
/// </summary>
internal static class ContactGenerators
{
    /// <summary>
    /// Text is built from pieces rather than single chars so that emoji stay whole surrogate pairs;
    /// the pieces cover what vCard must escape (, ; \ newline) and what folding must not split.
    /// </summary>
    private static readonly string[] Pieces =
    [
        "a", "Zoë", "Jörg", "ß", "漢字", "🎉", "👨‍👩‍👧", "€", ",", ";", ":", "\\", "\"", "'", "^", " ", "\n", "-", ".", "@",
        "x1", "O'Neil", "São", "tel", "=", "item1.",
    ];

    public static readonly Gen<string> Text =
        Gen.OneOf(Pieces).Array[1, 8].Select(p => string.Concat(p).Trim()).Where(s => s.Length > 0);

    public static readonly Gen<string> Note =
        Gen.OneOf(Pieces).Array[1, 12].Select(string.Concat).Where(s => !string.IsNullOrWhiteSpace(s));

    public static readonly Gen<string> Token = Gen.String[Gen.Char["abcdefghijklmnopqrstuvwxyz0123456789-"], 1, 12];

    public static readonly Gen<ValueList<string>> Types =
        Gen.OneOf("work", "home", "cell", "voice", "fax", "pref", "internet", "text", "x-custom")
            .Array[0, 3]
            .Select(t => t.Distinct().ToValueList());

    public static readonly Gen<TypedValue> Email = Gen.Select(Text, Types, Text.Maybe(), (v, t, l) => new TypedValue { Value = v, Types = t, Label = l });

    public static readonly Gen<TypedValue> Phone = Email.Where(p => !p.Value.StartsWith("tel:", StringComparison.OrdinalIgnoreCase));

    public static readonly Gen<PostalAddress> Address =
        Gen.Select(
            Gen.Select(Text.Maybe(), Text.Maybe(), Text.Maybe(), Text.Maybe()),
            Gen.Select(Text.Maybe(), Text.Maybe(), Text.Maybe()),
            Types,
            Text.Maybe(),
            (a, b, types, label) => new PostalAddress
            {
                PostOfficeBox = a.Item1,
                Extended = a.Item2,
                Street = a.Item3,
                Locality = a.Item4,
                Region = b.Item1,
                PostalCode = b.Item2,
                Country = b.Item3,
                Types = types,
                Label = label,
            })
        .Where(a => a is not { PostOfficeBox: null, Extended: null, Street: null, Locality: null, Region: null, PostalCode: null, Country: null, Label: null });

    public static readonly Gen<PartialDate> Date =
        from hasYear in Gen.Bool
        from year in Gen.Int[1900, 2100]
        from month in Gen.Int[1, 12]
        from day in Gen.Int[1, 31]
        select new PartialDate(hasYear ? year : null, month, Math.Min(day, DateTime.DaysInMonth(hasYear ? year : 2000, month)));

    public static readonly Gen<DateTime> Revision =
        Gen.Select(Gen.Int[2000, 2035], Gen.Int[1, 12], Gen.Int[1, 28], Gen.Int[0, 23], Gen.Int[0, 59], Gen.Int[0, 59],
            (y, mo, d, h, mi, s) => new DateTime(y, mo, d, h, mi, s, DateTimeKind.Utc));

    public static readonly Gen<ContactPhoto> Photo = Gen.Frequency(
        (2, Gen.Select(Gen.Byte.Array[1, 64], Gen.OneOf<string?>("image/jpeg", "image/png", "image/gif", null),
            (data, type) => new ContactPhoto { Data = data, MediaType = type })),
        (1, Gen.Select(Token, Gen.OneOf<string?>("image/jpeg", null),
            (path, type) => new ContactPhoto { Uri = "https://example.com/p/" + path, MediaType = type })));

    public static readonly Gen<StructuredName> Name =
        Gen.Select(Text.Maybe(), Text.Maybe(), Text.Maybe(), Text.Maybe(), Text.Maybe(),
            (f, g, a, p, s) => new StructuredName { Family = f, Given = g, Additional = a, Prefix = p, Suffix = s })
        .Where(n => !n.IsEmpty);

    public static readonly Gen<RawParameter> Parameter =
        Gen.Select(Gen.OneOf("X-P", "TYPE", "X-SERVICE-TYPE"), Gen.String[Gen.Char["abc ;:,\"^\né"], 0, 8].Array[0, 2],
            (name, values) => new RawParameter(name, new ValueList<string>(values)));

    /// <summary>Unknown properties, some in groups (one named like the writer's label groups).</summary>
    public static readonly Gen<RawProperty> Extra =
        Gen.Select(
            Gen.OneOf<string?>(null, null, "item1", "g2"),
            Gen.OneOf("X-CUSTOM", "X-PHONETIC-FIRST-NAME", "IMPP", "X-SOCIALPROFILE", "GEO", "X-ABRELATEDNAMES"),
            Parameter.Array[0, 2],
            Gen.String[Gen.Char["abc;:,\\ é=^\""], 0, 30],
            (group, name, parameters, value) => new RawProperty(group, name, new ValueList<RawParameter>(parameters), value));

    public static readonly Gen<Contact> Contact =
        Gen.Select(
            Gen.Select(Text, Text.Maybe(), Name.Maybe(), Text.Maybe(), Text.Maybe(), Text.Maybe(), Text.Maybe(), Text.Maybe()),
            Gen.Select(Email.Array[0, 3], Phone.Array[0, 3], Address.Array[0, 2], Email.Array[0, 2], Text.Array[0, 3]),
            Gen.Select(Date.MaybeValue(), Date.MaybeValue(), Note.Maybe(), Photo.Maybe(), Revision.MaybeValue(), Extra.Array[0, 4]),
            (a, b, c) => new Contact
            {
                Uid = a.Item1,
                FormattedName = a.Item2,
                Name = a.Item3,
                Nickname = a.Item4,
                Organization = a.Item5,
                Department = a.Item6,
                Title = a.Item7,
                Role = a.Item8,
                Emails = b.Item1,
                Phones = b.Item2,
                Addresses = b.Item3,
                Urls = b.Item4,
                Categories = b.Item5,
                Birthday = c.Item1,
                Anniversary = c.Item2,
                Note = c.Item3,
                Photo = c.Item4,
                Revision = c.Item5,
                ExtraProperties = c.Item6,
            });

    /// <summary>The value, or null one time in three.</summary>
    private static Gen<T?> Maybe<T>(this Gen<T> gen)
        where T : class =>
        Gen.Frequency((1, Gen.Const(default(T?))), (2, gen.Select(v => (T?)v)));

    private static Gen<T?> MaybeValue<T>(this Gen<T> gen)
        where T : struct =>
        Gen.Frequency((1, Gen.Const(default(T?))), (2, gen.Select(v => (T?)v)));
}
