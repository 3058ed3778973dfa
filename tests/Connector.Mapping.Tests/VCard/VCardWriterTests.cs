using System.Text;
using System.Text.Unicode;
using Connector.Domain;
using Connector.Mapping.Text;
using Connector.Mapping.VCard;
using static Connector.Mapping.Tests.VCard.VCardTestText;

namespace Connector.Mapping.Tests.VCard;

/// <summary>What the vCard 3.0 writer puts on the wire.</summary>
public class VCardWriterTests
{
    private static readonly Contact Minimal = new() { Uid = "u-1", FormattedName = "Ann" };

    [Fact]
    public void Write_MinimalContact_HasTheRequiredVersion30Lines()
    {
        var text = VCardWriter.Write(Minimal);

        Assert.Equal(
            "BEGIN:VCARD\r\nVERSION:3.0\r\nPRODID:" + VCardWriter.ProductId + "\r\nUID:u-1\r\nFN:Ann\r\nN:;;;;\r\nEND:VCARD\r\n",
            text);
    }

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    public void Write_BlankUid_IsRefused(string uid)
    {
        Assert.Throws<ArgumentException>(() => VCardWriter.Write(Minimal with { Uid = uid }));
    }

    [Fact]
    public void Write_WithoutFormattedName_DerivesFnFromTheName()
    {
        var contact = Minimal with { FormattedName = null, Name = new StructuredName { Given = "Ann", Family = "Lee" } };

        var text = VCardWriter.Write(contact);

        Assert.Contains("\r\nFN:Ann Lee\r\n", text, StringComparison.Ordinal);
        Assert.Contains("\r\nN:Lee;Ann;;;\r\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Write_LongTextWithEmojiAndUmlauts_FoldsAt75OctetsWithoutSplittingACharacter()
    {
        var note = string.Concat(Enumerable.Repeat("Grüße aus Köln 🎉👨‍👩‍👧 ñ € 漢字, ", 20)).Trim();
        var contact = Minimal with { Note = note, Title = new string('ä', 100) };

        var bytes = Encoding.UTF8.GetBytes(VCardWriter.Write(contact));

        foreach (var line in Split(bytes, "\r\n"u8))
        {
            Assert.True(line.Length <= 75, $"a line has {line.Length} octets");
            Assert.True(Utf8.IsValid(line), "a fold split a UTF-8 sequence");
        }

        Assert.Equal(note, ReadSingle(bytes).Note); // unfolding restores the text
        RoundTrip(contact);
    }

    [Fact]
    public void Write_SpecialCharacters_AreEscapedPerValueType()
    {
        var contact = Minimal with
        {
            Title = "a,b;c\\d\ne",
            Note = "line 1\r\nline 2",
            Emails = ValueList.Of(new TypedValue { Value = "x,y@example.com" }),
            Urls = ValueList.Of(new TypedValue { Value = "https://example.com/?a=1,2;b" }),
            Categories = ValueList.Of("x,y", "z"),
            Name = new StructuredName { Family = "O;Brien", Given = "Seán, Jr" },
        };

        var text = VCardWriter.Write(contact);

        Assert.Contains("\r\nTITLE:a\\,b\\;c\\\\d\\ne\r\n", text, StringComparison.Ordinal);
        Assert.Contains("\r\nNOTE:line 1\\nline 2\r\n", text, StringComparison.Ordinal);
        Assert.Contains("\r\nEMAIL:x,y@example.com\r\n", text, StringComparison.Ordinal); // not prose: commas stay
        Assert.Contains("\r\nURL:https://example.com/?a=1,2;b\r\n", text, StringComparison.Ordinal);
        Assert.Contains("\r\nCATEGORIES:x\\,y,z\r\n", text, StringComparison.Ordinal);
        Assert.Contains("\r\nN:O\\;Brien;Seán\\, Jr;;;\r\n", text, StringComparison.Ordinal);
        var reread = ReadSingle(text);
        Assert.Equal("line 1\nline 2", reread.Note); // CR LF normalised to LF
        Assert.Equal(contact with { Note = "line 1\nline 2" }, reread);
    }

    [Fact]
    public void Write_InlinePhoto_IsBase64WithEncodingBAndImageType()
    {
        var contact = Minimal with { Photo = new ContactPhoto { Data = Enumerable.Range(0, 200).Select(i => (byte)i).ToArray(), MediaType = "image/jpeg" } };

        var text = VCardWriter.Write(contact);

        Assert.Contains("\r\nPHOTO;ENCODING=b;TYPE=JPEG:AAECAwQF", text, StringComparison.Ordinal);
        RoundTrip(contact);
    }

    [Fact]
    public void Write_UriPhoto_IsValueUri()
    {
        var contact = Minimal with { Photo = new ContactPhoto { Uri = "https://example.com/p/1.png", MediaType = "image/png" } };

        var text = VCardWriter.Write(contact);

        Assert.Contains("\r\nPHOTO;VALUE=uri;TYPE=PNG:https://example.com/p/1.png\r\n", text, StringComparison.Ordinal);
        RoundTrip(contact);
    }

    [Fact]
    public void Write_Types_AreOneCommaSeparatedTypeParameter()
    {
        var contact = Minimal with { Phones = ValueList.Of(new TypedValue { Value = "1", Types = ValueList.Of("work", "voice", "pref") }) };

        Assert.Contains("\r\nTEL;TYPE=work,voice,pref:1\r\n", VCardWriter.Write(contact), StringComparison.Ordinal);
    }

    [Fact]
    public void Write_Labels_GoIntoItemGroupsThatExtrasDoNotUse()
    {
        var contact = Minimal with
        {
            Emails = ValueList.Of(new TypedValue { Value = "a@example.com", Label = "_$!<Other>!$_" }),
            Phones = ValueList.Of(new TypedValue { Value = "1", Types = ValueList.Of("cell"), Label = "Boat" }),
            ExtraProperties = ValueList.Of(
                new RawProperty("item1", "X-ABRELATEDNAMES", ValueList<RawParameter>.Empty, "Jenny"),
                new RawProperty("item1", "X-ABLABEL", ValueList<RawParameter>.Empty, "_$!<Spouse>!$_")),
        };

        var text = VCardWriter.Write(contact);

        Assert.Contains("\r\nitem2.EMAIL:a@example.com\r\nitem2.X-ABLabel:_$!<Other>!$_\r\n", text, StringComparison.Ordinal);
        Assert.Contains("\r\nitem3.TEL;TYPE=cell:1\r\nitem3.X-ABLabel:Boat\r\n", text, StringComparison.Ordinal);
        RoundTrip(contact);
    }

    [Fact]
    public void Write_DatesWithoutYear_UseApplesOmitYear()
    {
        var contact = Minimal with { Birthday = new PartialDate(null, 2, 29), Anniversary = new PartialDate(2001, 6, 1) };

        var text = VCardWriter.Write(contact);

        Assert.Contains("\r\nBDAY;X-APPLE-OMIT-YEAR=1604:1604-02-29\r\n", text, StringComparison.Ordinal);
        Assert.Contains("\r\nX-ANNIVERSARY:2001-06-01\r\nitem1.X-ABDATE:2001-06-01\r\nitem1.X-ABLabel:_$!<Anniversary>!$_\r\n", text, StringComparison.Ordinal);
        RoundTrip(contact);
    }

    [Fact]
    public void Write_AddressLabel_IsALabelPropertyRightAfterItsAdr()
    {
        var contact = Minimal with
        {
            Addresses = ValueList.Of(
                new PostalAddress { Street = "1 Home St", Types = ValueList.Of("home") },
                new PostalAddress { Street = "2 Home St", Types = ValueList.Of("home"), Label = "2 Home St\nTown" }),
        };

        var text = VCardWriter.Write(contact);

        Assert.Contains("\r\nADR;TYPE=home:;;2 Home St;;;;\r\nLABEL;TYPE=home:2 Home St\\nTown\r\n", text, StringComparison.Ordinal);
        RoundTrip(contact);
    }

    [Fact]
    public void Write_DepartmentWithUnits_IsSplitIntoOrgUnits()
    {
        var contact = Minimal with { Organization = "ABC, Inc.", Department = "Sales;EMEA" };

        Assert.Contains("\r\nORG:ABC\\, Inc.;Sales;EMEA\r\n", VCardWriter.Write(contact), StringComparison.Ordinal);
        RoundTrip(contact);
    }

    [Fact]
    public void Write_SeveralContacts_GivesOneCardEach()
    {
        var contacts = new[] { Minimal, Minimal with { Uid = "u-2", FormattedName = "Bo" } };

        var result = VCardReader.Read(VCardWriter.Write(contacts));

        Assert.Equal(contacts, result.Contacts);
    }

    [Fact]
    public void Write_Extras_ComeLastAndVerbatim()
    {
        var extra = new RawProperty("g", "X-CUSTOM", ValueList.Of(new RawParameter("X-P", "a:b", "c")), "v\\,w");
        var contact = Minimal with { ExtraProperties = ValueList.Of(extra) };

        var text = VCardWriter.Write(contact);

        Assert.EndsWith("\r\ng.X-CUSTOM;X-P=\"a:b\",c:v\\,w\r\nEND:VCARD\r\n", text, StringComparison.Ordinal);
        RoundTrip(contact);
    }

    private static List<byte[]> Split(byte[] bytes, ReadOnlySpan<byte> separator)
    {
        var lines = new List<byte[]>();
        var rest = bytes.AsSpan();
        int index;
        while ((index = rest.IndexOf(separator)) >= 0)
        {
            lines.Add(rest[..index].ToArray());
            rest = rest[(index + separator.Length)..];
        }

        lines.Add(rest.ToArray());
        return lines;
    }
}
