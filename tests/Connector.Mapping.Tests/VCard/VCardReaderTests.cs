using System.Text;
using Connector.Domain;
using Connector.Mapping.VCard;
using static Connector.Mapping.Tests.VCard.VCardTestText;

namespace Connector.Mapping.Tests.VCard;

/// <summary>vCard 2.1, 3.0 and 4.0 specifics and the reader's normalisation rules.</summary>
public class VCardReaderTests
{
    static VCardReaderTests() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    [Fact]
    public void Read_Version21_BareParametersAreLowerCaseTypes()
    {
        var c = ReadSingle(Card("2.1", "FN:A", "TEL;WORK;VOICE:1", "EMAIL;PREF;INTERNET:a@example.com"));

        Assert.Equal(ValueList.Of("work", "voice"), c.Phones[0].Types);
        Assert.Equal(ValueList.Of("pref", "internet"), c.Emails[0].Types);
        Assert.True(c.Emails[0].IsPreferred);
    }

    [Fact]
    public void Read_Version21_QuotedPrintableIsDecodedWithItsCharset()
    {
        var c = ReadSingle(Card(
            "2.1",
            "FN;CHARSET=ISO-8859-1;ENCODING=QUOTED-PRINTABLE:J=F6rg M=FCller",
            "NOTE;QUOTED-PRINTABLE;CHARSET=UTF-8:Zeile 1=0D=0AZeile =",
            "2 =E2=82=AC"));

        Assert.Equal("Jörg Müller", c.FormattedName);
        Assert.Equal("Zeile 1\nZeile 2 €", c.Note); // bare QUOTED-PRINTABLE, soft break after "Zeile "
    }

    [Fact]
    public void Read_Version21_QuotedPrintableWithoutCharset_IsUtf8OrElseWindows1252()
    {
        var c = ReadSingle(Card("2.1", "FN;ENCODING=QUOTED-PRINTABLE:K=C3=A4se", "NOTE;ENCODING=QUOTED-PRINTABLE:K=E4se =80"));

        Assert.Equal("Käse", c.FormattedName);
        Assert.Equal("Käse €", c.Note);
    }

    [Fact]
    public void Read_QuotedPrintableWithUnencodedCharacters_KeepsThem()
    {
        var c = ReadSingle(Card("2.1", "FN;ENCODING=QUOTED-PRINTABLE:Zo=C3=AB € 5 🎉"));

        Assert.Equal("Zoë € 5 🎉", c.FormattedName);
    }

    [Fact]
    public void Read_Version21Raw8Bit_FallsBackToWindows1252AndHonoursCharset()
    {
        var text = Card("2.1", "FN:J\u00f6rg \u20ac", "N;CHARSET=ISO-8859-7:\u03a0\u03b1\u03cd\u03bb\u03bf\u03c2;;;;", "TITLE:Gesch\u00e4ftsf\u00fchrer");
        var bytes = new List<byte>();
        foreach (var line in text.Split("\r\n"))
        {
            var charset = line.StartsWith("N;", StringComparison.Ordinal) ? Encoding.GetEncoding("ISO-8859-7") : Encoding.GetEncoding(1252);
            bytes.AddRange(charset.GetBytes(line + "\r\n"));
        }

        var c = ReadSingle(bytes.ToArray()[..^2]);

        Assert.Equal("Jörg €", c.FormattedName);
        Assert.Equal("Παύλος", c.Name!.Family);
        Assert.Equal("Geschäftsführer", c.Title);
        Assert.DoesNotContain(c.ExtraProperties, p => p.Parameters.Any(q => q.Name == "CHARSET"));
    }

    [Fact]
    public void Read_Version21_Base64PhotoWithWhitespaceAndBlankLines()
    {
        var data = Enumerable.Range(0, 120).Select(i => (byte)i).ToArray();
        var base64 = Convert.ToBase64String(data);
        var c = ReadSingle(Card("2.1", "FN:A", "PHOTO;ENCODING=BASE64;TYPE=GIF:", "    " + base64[..60], "    " + base64[60..], "", "", "TITLE:T"));

        Assert.Equal(new ContactPhoto { Data = data, MediaType = "image/gif" }, c.Photo);
        Assert.Equal("T", c.Title);
    }

    [Fact]
    public void Read_Version30_RepeatedAndCommaTypesAreTheSame()
    {
        var a = ReadSingle(Card("3.0", "FN:A", "TEL;TYPE=WORK;TYPE=voice:1", "EMAIL;TYPE=INTERNET;TYPE=HOME;TYPE=internet:a@b"));
        var b = ReadSingle(Card("3.0", "FN:A", "TEL;TYPE=work,voice:1", "EMAIL;TYPE=internet,home:a@b"));

        Assert.Equal(a, b);
        Assert.Equal(ValueList.Of("internet", "home"), a.Emails[0].Types);
    }

    [Fact]
    public void Read_Version30_BinaryPhotoAndUriPhoto()
    {
        var inline = ReadSingle(Card("3.0", "FN:A", "PHOTO;ENCODING=b;TYPE=JPEG:AQID"));
        var link = ReadSingle(Card("3.0", "FN:A", "PHOTO;VALUE=uri;TYPE=PNG:https://example.com/a.png"));

        Assert.Equal(new ContactPhoto { Data = ValueList.Of<byte>(1, 2, 3), MediaType = "image/jpeg" }, inline.Photo);
        Assert.Equal(new ContactPhoto { Uri = "https://example.com/a.png", MediaType = "image/png" }, link.Photo);
    }

    [Fact]
    public void Read_Version40_DataUriPhotoTelUriPrefAndAdrLabel()
    {
        var c = ReadSingle(Card(
            "4.0",
            "FN:A",
            "PHOTO:data:image/png;base64,AQID",
            "TEL;VALUE=uri;TYPE=cell;PREF=1:tel:+1-555-0100",
            "ADR;TYPE=home;LABEL=\"1 Main St\\nSpringfield\":;;1 Main St;Springfield;;;",
            "KIND:individual"));

        Assert.Equal(new ContactPhoto { Data = ValueList.Of<byte>(1, 2, 3), MediaType = "image/png" }, c.Photo);
        Assert.Equal("+1-555-0100", c.Phones[0].Value);
        Assert.Equal(ValueList.Of("cell", "pref"), c.Phones[0].Types);
        Assert.Equal("1 Main St\nSpringfield", c.Addresses[0].Label);
        Assert.Equal(new RawProperty("KIND", "individual"), Assert.Single(c.ExtraProperties));
    }

    [Theory]
    [InlineData("BDAY:19800321", 1980)]
    [InlineData("BDAY:1980-03-21", 1980)]
    [InlineData("BDAY:--0321", null)]
    [InlineData("BDAY:--03-21", null)]
    [InlineData("BDAY:1980-03-21T00:00:00Z", 1980)]
    [InlineData("BDAY;VALUE=date-time:19800321T230000-0500", 1980)]
    [InlineData("BDAY;X-APPLE-OMIT-YEAR=1604:1604-03-21", null)]
    [InlineData("BDAY:0000-03-21", null)]
    public void Read_BirthdayForms_GiveTheSameDate(string line, int? year)
    {
        var c = ReadSingle(Card("3.0", "FN:A", line));

        Assert.Equal(new PartialDate(year, 3, 21), c.Birthday);
        Assert.Empty(c.ExtraProperties);
    }

    [Theory]
    [InlineData("BDAY;VALUE=text:circa 1800")]
    [InlineData("BDAY:1980-02-30")]
    [InlineData("BDAY:--03")]
    public void Read_UnreadableBirthday_IsKeptAsExtra(string line)
    {
        var c = ReadSingle(Card("4.0", "FN:A", line));

        Assert.Null(c.Birthday);
        Assert.Equal("BDAY", Assert.Single(c.ExtraProperties).Name);
    }

    [Theory]
    [InlineData("ANNIVERSARY:20090808T1430-0500")]
    [InlineData("X-ANNIVERSARY:2009-08-08")]
    [InlineData("X-MS-ANNIVERSARY:20090808")]
    [InlineData("X-EVOLUTION-ANNIVERSARY:2009-08-08")]
    [InlineData("item7.X-ABDATE:2009-08-08", "item7.X-ABLabel:_$!<Anniversary>!$_")]
    public void Read_AnniversaryForms_GiveTheSameDate(params string[] lines)
    {
        var c = ReadSingle(Card("3.0", ["FN:A", .. lines]));

        Assert.Equal(new PartialDate(2009, 8, 8), c.Anniversary);
        Assert.Empty(c.ExtraProperties);
    }

    [Fact]
    public void Read_AppleDateWithOtherLabel_StaysExtraWithItsGroup()
    {
        var c = ReadSingle(Card("3.0", "FN:A", "item1.X-ABDATE:2010-05-06", "item1.X-ABLabel:Graduation"));

        Assert.Null(c.Anniversary);
        Assert.Equal<string?>(["item1", "item1"], c.ExtraProperties.Select(p => p.Group));
    }

    [Fact]
    public void Read_GroupedValuesWithAppleLabels_KeepTheLabelTextUnchanged()
    {
        var c = ReadSingle(Card(
            "3.0",
            "FN:A",
            "item1.EMAIL;TYPE=INTERNET:a@example.com",
            "item1.X-ABLabel:_$!<Other>!$_",
            "item2.TEL:+1 555 0111",
            "item2.X-ABLabel:Boat",
            "item3.URL:https\\://example.com",
            "item3.X-ABLabel:_$!<HomePage>!$_"));

        Assert.Equal("_$!<Other>!$_", c.Emails[0].Label);
        Assert.Equal("Boat", c.Phones[0].Label);
        Assert.Equal(("https://example.com", "_$!<HomePage>!$_"), (c.Urls[0].Value, c.Urls[0].Label));
        Assert.Empty(c.ExtraProperties);
        Assert.Equal("Other", AppleLabels.DisplayText(c.Emails[0].Label!));
        Assert.Equal("Boat", AppleLabels.DisplayText("Boat"));
    }

    [Fact]
    public void Read_GroupWithTwoLabelledValues_LabelStaysExtra()
    {
        var c = ReadSingle(Card("3.0", "FN:A", "item1.EMAIL:a@example.com", "item1.TEL:1", "item1.X-ABLabel:Shared"));

        Assert.Null(c.Emails[0].Label);
        Assert.Null(c.Phones[0].Label);
        Assert.Equal(new RawProperty("item1", "X-ABLABEL", ValueList<RawParameter>.Empty, "Shared"), Assert.Single(c.ExtraProperties));
    }

    [Fact]
    public void Read_Version30Label_GoesToTheAdrWithTheSameTypes()
    {
        var c = ReadSingle(Card(
            "3.0",
            "FN:A",
            "ADR;TYPE=home:;;1 Home St;Town;;;",
            "ADR;TYPE=work:;;2 Work St;City;;;",
            "LABEL;TYPE=work:2 Work St\\nCity",
            "LABEL;TYPE=postal:Nowhere"));

        Assert.Null(c.Addresses[0].Label);
        Assert.Equal("2 Work St\nCity", c.Addresses[1].Label);
        Assert.Equal("LABEL", Assert.Single(c.ExtraProperties).Name); // no postal ADR
    }

    [Fact]
    public void Read_StructuredValues_SplitOnUnescapedSemicolonsOnly()
    {
        var c = ReadSingle(Card(
            "3.0",
            "FN:A",
            "N:O\\;Brien;Seán;;Dr.;",
            "ORG:Smith\\, Jones & Co;R&D;Lab 2",
            "ADR:;;1 Main St\\, Apt 2;Austin, TX;;;USA",
            "NICKNAME:Jim,Jimmie"));

        Assert.Equal(new StructuredName { Family = "O;Brien", Given = "Seán", Prefix = "Dr." }, c.Name);
        Assert.Equal(("Smith, Jones & Co", "R&D;Lab 2"), (c.Organization, c.Department));
        Assert.Equal(("1 Main St, Apt 2", "Austin, TX"), (c.Addresses[0].Street, c.Addresses[0].Locality));
        Assert.Equal("Jim, Jimmie", c.Nickname);
    }

    [Fact]
    public void Read_TextNormalisation_TrimsEmptiesAndLineBreaks()
    {
        var c = ReadSingle(Card("3.0", "FN:  Ann  ", "TITLE:   ", "ROLE:", "NOTE:  first\\nsecond  ", "CATEGORIES:a, ,b", "CATEGORIES:c"));

        Assert.Equal("Ann", c.FormattedName);
        Assert.Null(c.Title);
        Assert.Null(c.Role);
        Assert.Equal("  first\nsecond  ", c.Note); // a note is prose: not trimmed
        Assert.Equal(ValueList.Of("a", "b", "c"), c.Categories);
    }

    [Fact]
    public void Read_CardWithoutUid_DerivesAStableUidAndWarns()
    {
        var text = Card("3.0", "FN:Ann", "EMAIL:ann@example.com");
        var first = VCardReader.Read(text);
        var again = VCardReader.Read(text);
        var other = VCardReader.Read(Card("3.0", "FN:Ann", "EMAIL:ann@example.org"));

        Assert.StartsWith("derived-", first.Contacts[0].Uid, StringComparison.Ordinal);
        Assert.Equal(first.Contacts[0].Uid, again.Contacts[0].Uid);
        Assert.NotEqual(first.Contacts[0].Uid, other.Contacts[0].Uid);
        Assert.Contains(first.Warnings, w => w.Contains("no UID", StringComparison.Ordinal));
    }

    [Fact]
    public void Read_Version4UrnUuid_IsKeptAsItIs()
    {
        var c = ReadSingle(Card("4.0", "UID:urn:uuid:f81d4fae-7dec-11d0-a765-00a0c91e6bf6", "FN:A"));

        Assert.Equal("urn:uuid:f81d4fae-7dec-11d0-a765-00a0c91e6bf6", c.Uid);
    }

    [Theory]
    [InlineData("N:Doe;John;Q;Dr.;Jr.", "Dr. John Q Doe Jr.")]
    [InlineData("ORG:Acme;Sales", "Acme")]
    [InlineData("EMAIL:a@example.com", "a@example.com")]
    [InlineData("TEL:+1 555", "+1 555")]
    public void Read_CardWithoutFn_DerivesIt(string line, string expected)
    {
        var c = ReadSingle(Card("2.1", line));

        Assert.Equal(expected, c.FormattedName);
    }

    [Theory]
    [InlineData("REV:20121012T210525Z")]
    [InlineData("REV:2012-10-12T21:05:25Z")]
    [InlineData("REV:2012-10-12T23:05:25+02:00")]
    [InlineData("REV:2012-10-12T21:05:25.750Z")]
    public void Read_RevisionForms_AreUtcWholeSeconds(string line)
    {
        var c = ReadSingle(Card("3.0", "FN:A", line));

        Assert.Equal(new DateTime(2012, 10, 12, 21, 5, 25, DateTimeKind.Utc), c.Revision);
        Assert.Equal(DateTimeKind.Utc, c.Revision!.Value.Kind);
    }

    [Fact]
    public void Read_UnknownProperties_AreKeptVerbatimWithGroupAndParameters()
    {
        var c = ReadSingle(Card(
            "3.0",
            "PRODID:-//Other//EN",
            "FN:A",
            "X-SOCIALPROFILE;type=twitter:https://x.com/a",
            "item4.X-ABRELATEDNAMES:Charles",
            "item4.X-ABLabel:_$!<Friend>!$_",
            "IMPP;X-SERVICE-TYPE=Skype:skype:a\\,b",
            "GEO:geo:1,2",
            "X-PHONETIC-LAST-NAME:Dow"));

        Assert.Equal(
            [
                new RawProperty(null, "X-SOCIALPROFILE", ValueList.Of(new RawParameter("TYPE", "twitter")), "https://x.com/a"),
                new RawProperty("item4", "X-ABRELATEDNAMES", ValueList<RawParameter>.Empty, "Charles"),
                new RawProperty("item4", "X-ABLABEL", ValueList<RawParameter>.Empty, "_$!<Friend>!$_"),
                new RawProperty(null, "IMPP", ValueList.Of(new RawParameter("X-SERVICE-TYPE", "Skype")), "skype:a\\,b"),
                new RawProperty("GEO", "geo:1,2"),
                new RawProperty("X-PHONETIC-LAST-NAME", "Dow"),
            ],
            c.ExtraProperties.ToArray());
    }

    [Fact]
    public void Read_QuotedPrintableExtra_IsDecodedToVersion3Text()
    {
        var c = ReadSingle(Card("2.1", "FN:A", "X-NOTE2;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE;X-KEEP=1:a=0D=0Ab =C3=A4"));

        Assert.Equal(new RawProperty(null, "X-NOTE2", ValueList.Of(new RawParameter("X-KEEP", "1")), "a\\nb ä"), Assert.Single(c.ExtraProperties));
    }

    [Fact]
    public void Read_Utf8ByteOrderMark_IsIgnored()
    {
        var bytes = Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(Card("3.0", "FN:Zoë"))).ToArray();

        Assert.Equal("Zoë", ReadSingle(bytes).FormattedName);
    }
}
