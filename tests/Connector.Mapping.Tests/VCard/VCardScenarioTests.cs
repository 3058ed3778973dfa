using Connector.Domain;
using Connector.Mapping.VCard;
using static Connector.Mapping.Tests.VCard.VCardTestText;

namespace Connector.Mapping.Tests.VCard;

/// <summary>S18: contact field updates in both directions, including clearing, types and unknown fields.</summary>
public class VCardScenarioTests
{
    private static Contact Fixture(string file, int index = 0) => VCardReader.Read(SharedFixtures.Bytes(file)).Contacts[index];

    [Fact]
    public void S18_ClearTitle_ReReadHasNoTitle()
    {
        var original = Fixture("evolution-export.vcf");
        var cleared = original with { Title = null };

        var reread = ReadSingle(VCardWriter.Write(cleared));

        Assert.Null(reread.Title);
        Assert.Equal(cleared, reread);
    }

    [Fact]
    public void S18_RemoveOneEmail_ReReadHasTheOthersOnly()
    {
        var original = Fixture("vcard3-icaljs.vcf");
        var updated = original with { Emails = original.Emails.Where(e => e.Value != "jdoe@isp.net").ToValueList() };

        var reread = ReadSingle(VCardWriter.Write(updated));

        Assert.Equal(["jqpublic@xyz.dom1.com", "jane_doe@abc.com"], reread.Emails.Select(e => e.Value));
        Assert.Equal(updated, reread);
    }

    [Fact]
    public void S18_ClearFieldsThatHadDuplicates_DuplicatesDoNotComeBack()
    {
        // The fixture has two N, two NICKNAME and two PHOTO lines; the second of each is an extra.
        var original = Fixture("vcard3-icaljs.vcf");
        var cleared = original with { Nickname = null, Photo = null, Name = null };

        var reread = ReadSingle(VCardWriter.Write(cleared));

        Assert.Null(reread.Nickname);
        Assert.Null(reread.Photo);
        Assert.Null(reread.Name);
        Assert.DoesNotContain(reread.ExtraProperties, p => p.Name is "NICKNAME" or "PHOTO" or "N");
        Assert.Equal(original.ExtraProperties.Count - 3, reread.ExtraProperties.Count);
    }

    [Fact]
    public void S18_ClearDatesNoteAndAddress_ReReadHasThemCleared()
    {
        var original = Fixture("outlook-2003.vcf");
        var cleared = original with { Birthday = null, Note = null, Addresses = ValueList<PostalAddress>.Empty, Revision = null, Nickname = null };

        var reread = ReadSingle(VCardWriter.Write(cleared));

        Assert.Equal(cleared, reread);
        Assert.Null(reread.Birthday);
        Assert.Empty(reread.Addresses);
    }

    [Fact]
    public void S18_ClearAnniversaryWrittenTwice_ReReadHasNone()
    {
        var original = Fixture("gmail-export.vcf");

        var reread = ReadSingle(VCardWriter.Write(original with { Anniversary = null }));

        Assert.Null(reread.Anniversary);
    }

    [Theory]
    [InlineData("3.0", "TEL;TYPE=work;TYPE=voice:+1 555 0100")]
    [InlineData("3.0", "TEL;TYPE=work,voice:+1 555 0100")]
    [InlineData("3.0", "TEL;TYPE=\"work,voice\":+1 555 0100")]
    [InlineData("3.0", "TEL;type=WORK;type=VOICE:+1 555 0100")]
    [InlineData("2.1", "TEL;WORK;VOICE:+1 555 0100")]
    [InlineData("4.0", "TEL;VALUE=uri;TYPE=work,voice:tel:+1 555 0100")]
    public void S18_MultipleTypeParameters_AllParseToTheSameTypes(string version, string line)
    {
        var c = ReadSingle(Card(version, "UID:t", "FN:A", line));

        Assert.Equal(new TypedValue { Value = "+1 555 0100", Types = ValueList.Of("work", "voice") }, Assert.Single(c.Phones));
    }

    [Fact]
    public void S18_AddTypeToAPhone_ReReadHasIt()
    {
        var original = Fixture("rfc2426-example.vcf");
        var phone = original.Phones[0];
        var updated = original with { Phones = original.Phones.Skip(1).Prepend(phone with { Types = phone.Types.Add("pref") }).ToValueList() };

        var reread = RoundTrip(updated);

        Assert.Equal<string>(["voice", "msg", "work", "pref"], reread.Phones[0].Types);
    }

    [Theory]
    [InlineData("gmail-export.vcf")]
    [InlineData("evolution-export.vcf")]
    [InlineData("vcard3-icaljs.vcf")]
    [InlineData("rfc6350-example.vcf")]
    [InlineData("outlook-2003.vcf")]
    public void S18_UnknownFieldsSurviveAnUpdateOfKnownFields(string file)
    {
        var original = Fixture(file);
        var updated = original with
        {
            Title = "Chief Counter",
            Phones = original.Phones.Add(new TypedValue { Value = "+49 30 1234", Types = ValueList.Of("work") }),
            Note = "Updated on the Exchange side",
        };

        var reread = ReadSingle(VCardWriter.Write(updated));

        Assert.Equal(original.ExtraProperties, reread.ExtraProperties);
        Assert.Equal("Chief Counter", reread.Title);
        Assert.Equal(updated, reread);
    }

    [Fact]
    public void S18_UpdateOfAnotherField_KeepsAppleLabels()
    {
        var original = ReadSingle(Card("3.0", "UID:l", "FN:A", "item1.TEL:1", "item1.X-ABLabel:Boat", "item2.X-ABRELATEDNAMES:Jenny", "item2.X-ABLabel:_$!<Spouse>!$_"));

        var reread = ReadSingle(VCardWriter.Write(original with { Title = "T" }));

        Assert.Equal("Boat", reread.Phones[0].Label);
        Assert.Equal(original.ExtraProperties, reread.ExtraProperties);
    }
}
