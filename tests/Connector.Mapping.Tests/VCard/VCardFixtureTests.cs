using Connector.Domain;
using Connector.Mapping.VCard;

namespace Connector.Mapping.Tests.VCard;

/// <summary>Every real-world .vcf fixture parses, round-trips, and gives the values its source shows.</summary>
public class VCardFixtureTests
{
    public static IEnumerable<object[]> VcfFiles => SharedFixtures.Files(".vcf");

    [Fact]
    public void Fixtures_Exist()
    {
        Assert.True(VcfFiles.Count() >= 7, $"expected the .vcf fixtures in {SharedFixtures.Directory}");
    }

    [Theory]
    [MemberData(nameof(VcfFiles))]
    public void Read_Fixture_HasContactsAndNoErrors(string file)
    {
        var result = VCardReader.Read(SharedFixtures.Bytes(file));

        Assert.Empty(result.Errors);
        Assert.NotEmpty(result.Contacts);
    }

    [Theory]
    [MemberData(nameof(VcfFiles))]
    public void WriteThenRead_Fixture_GivesEqualModelPerCard(string file)
    {
        var first = VCardReader.Read(SharedFixtures.Bytes(file));

        foreach (var contact in first.Contacts)
        {
            VCardTestText.RoundTrip(contact);
        }
    }

    [Theory]
    [MemberData(nameof(VcfFiles))]
    public void WriteThenRead_FixtureAsOneDocument_GivesEqualModels(string file)
    {
        var first = VCardReader.Read(SharedFixtures.Bytes(file));

        var second = VCardReader.Read(VCardWriter.Write(first.Contacts));

        Assert.Empty(second.Errors);
        Assert.Equal(first.Contacts, second.Contacts);
    }

    [Theory]
    [MemberData(nameof(VcfFiles))]
    public void Read_FixtureTwice_DerivesTheSameUids(string file)
    {
        var first = VCardReader.Read(SharedFixtures.Bytes(file));
        var second = VCardReader.Read(SharedFixtures.Bytes(file));

        Assert.Equal(first.Contacts.Select(c => c.Uid), second.Contacts.Select(c => c.Uid));
        Assert.Equal(first.Contacts.Count, first.Contacts.Select(c => c.Uid).Distinct().Count());
    }

    [Fact]
    public void Read_GmailExport_EscapedCommaInNameAndEscapedColonInUrl()
    {
        var c = Assert.Single(VCardReader.Read(SharedFixtures.Bytes("gmail-export.vcf")).Contacts);

        Assert.Equal("Mr. John Richter, James Doe Sr.", c.FormattedName);
        Assert.Equal(new StructuredName { Family = "Doe", Given = "John", Additional = "Richter, James", Prefix = "Mr.", Suffix = "Sr." }, c.Name);
        Assert.Equal("http://www.ibm.com", Assert.Single(c.Urls).Value);
        Assert.Equal<string>(["work"], c.Urls[0].Types);
        Assert.Equal<string>(["internet", "home"], Assert.Single(c.Emails).Types);
        Assert.Equal(new PartialDate(1980, 3, 22), c.Birthday);
        Assert.EndsWith("SUCH DAMAGE.\nFavotire Color: Blue", c.Note, StringComparison.Ordinal);
        Assert.StartsWith("Crescent moon drive\n555-asd\nNice Area, Albaney, New York 12345\n", Assert.Single(c.Addresses).Extended, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_GmailExport_GroupLabelsBecomeAnniversaryAndUnknownGroupsStayExtras()
    {
        var c = Assert.Single(VCardReader.Read(SharedFixtures.Bytes("gmail-export.vcf")).Contacts);

        Assert.Equal(new PartialDate(1975, 3, 1), c.Anniversary);
        Assert.DoesNotContain(c.ExtraProperties, p => p.Name == "X-ABDATE");
        Assert.Contains(new RawProperty("item2", "X-ABRELATEDNAMES", ValueList<RawParameter>.Empty, "Jenny"), c.ExtraProperties);
        Assert.Contains(new RawProperty("item2", "X-ABLABEL", ValueList<RawParameter>.Empty, "_$!<Spouse>!$_"), c.ExtraProperties);
        Assert.Contains(new RawProperty("X-PHONETIC-FIRST-NAME", "Jon"), c.ExtraProperties);
    }

    [Fact]
    public void Read_AndroidExport_SixCardsWithQuotedPrintableUtf8()
    {
        var result = VCardReader.Read(SharedFixtures.Bytes("android-export.vcf"));

        Assert.Equal(6, result.Contacts.Count);
        var (first, third, fourth, fifth, sixth) = (result.Contacts[0], result.Contacts[2], result.Contacts[3], result.Contacts[4], result.Contacts[5]);

        Assert.Equal("john.doe@company.com", first.FormattedName); // no FN: derived from the e-mail
        Assert.Equal<string>(["pref"], Assert.Single(first.Emails).Types);
        Assert.Equal<string>(["My Contacts"], first.Categories);

        Assert.Equal("Ñ Ñ Ñ Ñ Ñ", third.FormattedName);
        Assert.Equal("Ñ Ñ Ñ Ñ", third.Name!.Family); // trimmed
        Assert.Equal<string>(["cell", "pref"], Assert.Single(third.Phones).Types);

        // Soft line breaks join without a space: "...Ñ=\r\n=C3=91..." is "ÑÑ".
        Assert.Equal("Ñ Ñ Ñ Ñ Ñ Ñ Ñ ÑÑ Ñ Ñ Ñ Ñ Ñ Ñ ÑÑ Ñ Ñ Ñ Ñ ", fourth.Note);
        Assert.Equal(4, fourth.Phones.Count);
        Assert.Contains(fourth.ExtraProperties, p => p.Name == "NOTE"); // the second NOTE

        Assert.Equal<string>(["pref", "work"], fifth.Emails[0].Types);
        Assert.Equal(new string('Ñ', 14), fifth.Emails[1].Value);
        Assert.Equal(new string('Ñ', 12), fifth.Organization);
        Assert.Equal<string>(["www.company.com", "http://www.company.com"], fifth.Urls.Select(u => u.Value));
        Assert.Equal("image/jpeg", fifth.Photo!.MediaType);
        Assert.Equal(876, fifth.Photo.Data.Count); // as ez-vcard reads it: the data is one character short
        Assert.Equal<byte>([0xFF, 0xD8], fifth.Photo.Data.Take(2));

        // The blank line after a trailing soft break ends the value: three ORGs, not one.
        Assert.Equal(new string('Ñ', 44), sixth.Organization);
        var extraOrgs = sixth.ExtraProperties.Where(p => p.Name == "ORG").ToList();
        Assert.Equal(2, extraOrgs.Count);
        Assert.Equal(new string('Ñ', 44) + "\uFFFD", extraOrgs[0].Value); // a stray byte 0x80
        Assert.Empty(extraOrgs[0].Parameters); // CHARSET and ENCODING were undone
        Assert.Equal<string>(["My Contacts"], sixth.Categories);
        Assert.Contains(result.Warnings, w => w.Contains("VCARD #6, line 82: ORG", StringComparison.Ordinal));
    }

    [Fact]
    public void Read_Outlook2003_QuotedPrintableNoteHasLfLineBreaks()
    {
        var c = Assert.Single(VCardReader.Read(SharedFixtures.Bytes("outlook-2003.vcf")).Contacts);

        Assert.Equal("This is the note field!!\nSecond line\n\nThird line is empty\n", c.Note);
        Assert.Equal("Company, The", c.Organization);
        Assert.Equal("TheDepartment", c.Department);
        Assert.Equal("Joey", c.Nickname);
        Assert.Equal("TheProfession", c.Role);
        Assert.Equal<string[]>([["work", "voice"], ["home", "voice"], ["cell", "voice"], ["work", "fax"]], c.Phones.Select(p => p.Types.ToArray()));
        Assert.Equal<string>(["pref", "internet"], Assert.Single(c.Emails).Types);
        var address = Assert.Single(c.Addresses);
        Assert.Equal("TheOffice", address.Extended);
        Assert.Equal("TheOffice\n123 Main St\nAustin, TX 12345\nUnited States of America", address.Label); // LABEL;WORK matched to ADR;WORK
        Assert.Equal(new PartialDate(1980, 3, 21), c.Birthday);
        Assert.Equal(new DateTime(2012, 10, 12, 21, 5, 25, DateTimeKind.Utc), c.Revision);
        var key = Assert.Single(c.ExtraProperties, p => p.Name == "KEY");
        Assert.Equal<string>(["X509", "ENCODING"], key.Parameters.Select(p => p.Name));
        Assert.Contains(c.ExtraProperties, p => p.Name == "FBURL");
    }

    [Fact]
    public void Read_EvolutionExport_OrgUnitsAndEvolutionAnniversary()
    {
        var c = Assert.Single(VCardReader.Read(SharedFixtures.Bytes("evolution-export.vcf")).Contacts);

        Assert.Equal("477343c8e6bf375a9bac1f96a5000837", c.Uid);
        Assert.Equal("IBM", c.Organization);
        Assert.Equal("Accounting;Dungeon", c.Department);
        Assert.Equal(new PartialDate(1980, 3, 22), c.Anniversary); // X-EVOLUTION-ANNIVERSARY
        Assert.Equal<string>(["work", "voice"], c.Phones[1].Types);
        Assert.Equal("905-555-1234", c.Phones[1].Value);
        var address = Assert.Single(c.Addresses);
        Assert.Equal(("ASB-123", "15 Crescent moon drive", "United States of America"), (address.PostOfficeBox, address.Street, address.Country));
        Assert.Contains(new RawProperty("X-EVOLUTION-FILE-AS", "Doe\\, John"), c.ExtraProperties); // verbatim, still escaped
        var aim = Assert.Single(c.ExtraProperties, p => p.Name == "X-AIM");
        Assert.Equal("cb9e11fc-bb97-4222-9cd8-99820c1de454", aim.Parameters[1].Values[0]);
        Assert.Equal("johnny5@aol.com", aim.Value);
    }

    [Fact]
    public void Read_Rfc6350Example_Version4Values()
    {
        var c = Assert.Single(VCardReader.Read(SharedFixtures.Bytes("rfc6350-example.vcf")).Contacts);

        Assert.Equal(new PartialDate(null, 2, 3), c.Birthday);
        Assert.Equal(new PartialDate(2009, 8, 8), c.Anniversary);
        Assert.Equal("ing. jr,M.Sc.", c.Name!.Suffix);
        Assert.Equal("+1-418-656-9254;ext=102", c.Phones[0].Value); // tel: dropped
        Assert.Equal<string>(["work", "voice", "pref"], c.Phones[0].Types); // TYPE="work,voice";PREF=1
        Assert.Equal<string>(["work", "cell", "voice", "video", "text"], c.Phones[1].Types);
        Assert.Equal<string>(["GENDER", "LANG", "LANG", "GEO", "KEY", "TZ"], c.ExtraProperties.Select(p => p.Name));
    }

    [Fact]
    public void Read_Rfc2426Example_TwoCardsWithTypeLists()
    {
        var result = VCardReader.Read(SharedFixtures.Bytes("rfc2426-example.vcf"));

        Assert.Equal<string?>(["Frank Dawson", "Tim Howes"], result.Contacts.Select(c => c.FormattedName));
        var frank = result.Contacts[0];
        Assert.Equal<string>(["work", "postal", "parcel"], frank.Addresses[0].Types);
        Assert.Equal("6544 Battleford Drive", frank.Addresses[0].Street);
        Assert.Equal<string>(["internet", "pref"], frank.Emails[0].Types);
        Assert.Equal("94043", result.Contacts[1].Addresses[0].PostalCode); // " 94043" trimmed
        Assert.All(result.Contacts, c => Assert.StartsWith("derived-", c.Uid, StringComparison.Ordinal));
    }

    [Fact]
    public void Read_Vcard3IcalJs_MultipleTypesLabelsAndDuplicates()
    {
        var c = Assert.Single(VCardReader.Read(SharedFixtures.Bytes("vcard3-icaljs.vcf")).Contacts);

        Assert.Equal<string>(["work", "voice", "pref", "msg"], Assert.Single(c.Phones).Types);
        Assert.Equal<string>(["internet", "pref"], c.Emails[2].Types);
        var address = Assert.Single(c.Addresses);
        Assert.Equal<string>(["dom", "home", "postal", "parcel"], address.Types);
        Assert.Equal("Mr.John Q. Public, Esq.\nMail Drop: TNE QB\n123 Main Street\nAny Town, CA  91921-1234\nU.S.A.", address.Label);
        Assert.Equal<string>(["TRAVEL AGENT", "INTERNET", "IETF", "INDUSTRY", "INFORMATION TECHNOLOGY"], c.Categories);
        Assert.Equal("Public", c.Name!.Family);
        Assert.Equal("Robbie", c.Nickname);
        Assert.Equal("http://www.abc.com/pub/photos/jqpublic.gif", c.Photo!.Uri);
        Assert.Equal(new PartialDate(1996, 4, 15), c.Birthday);
        Assert.Equal(new DateTime(1995, 10, 31, 22, 27, 10, DateTimeKind.Utc), c.Revision);
        Assert.Equal("ABC, Inc.", c.Organization);
        Assert.Equal("North American Division;Marketing", c.Department);
        Assert.Equal("This fax number is operational 0800 to 1715 EST, Mon-Fri.", c.Note);

        // The second N, NICKNAME and PHOTO are kept; the other BDAYs and REV are dropped.
        Assert.Equal<string>(["N", "NICKNAME", "PHOTO"], c.ExtraProperties.Take(3).Select(p => p.Name));
        Assert.DoesNotContain(c.ExtraProperties, p => p.Name is "BDAY" or "REV" or "PRODID" or "LABEL");
    }
}
