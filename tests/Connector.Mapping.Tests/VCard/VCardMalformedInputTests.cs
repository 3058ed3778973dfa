using System.Diagnostics;
using System.Text;
using Connector.Mapping.VCard;
using static Connector.Mapping.Tests.VCard.VCardTestText;

namespace Connector.Mapping.Tests.VCard;

/// <summary>Broken input gives clear errors naming card, line and reason, and never stops the good cards (S21).</summary>
public class VCardMalformedInputTests
{
    private static readonly string Good = Card("3.0", "UID:good-1", "FN:Good One");

    [Fact]
    public void Read_TruncatedCard_IsOneErrorForTheDocument()
    {
        var result = VCardReader.Read(Good + "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:cut\r\nFN:Jo");

        Assert.Empty(result.Contacts);
        var error = Assert.Single(result.Errors);
        Assert.Equal(6, error.Line);
        Assert.Contains("truncated", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_CardWithoutEnd_IsOneErrorForTheDocument()
    {
        var result = VCardReader.Read("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:A\r\n" + Good);

        Assert.Empty(result.Contacts);
        Assert.Equal(1, Assert.Single(result.Errors).Line);
    }

    [Fact]
    public void Read_StrayEnd_IsOneErrorForTheDocument()
    {
        var result = VCardReader.Read(Good + "END:VCARD\r\n");

        Assert.Empty(result.Contacts);
        var error = Assert.Single(result.Errors);
        Assert.Equal(6, error.Line);
        Assert.Contains("END without a matching BEGIN", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_PropertyOutsideOfACard_NamesThePropertyButNotItsValue()
    {
        var result = VCardReader.Read("FN:Jane Secret\r\n" + Good);

        var error = Assert.Single(result.Errors);
        Assert.Equal(1, error.Line);
        Assert.Contains("FN", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Secret", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_EmptyInput_SaysThereIsNoCard()
    {
        var result = VCardReader.Read("\r\n  \r\n");

        Assert.Contains("no BEGIN:VCARD", Assert.Single(result.Errors).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_InvalidQuotedPrintable_ErrorNamesCardPropertyAndLine()
    {
        var bad = Card("2.1", "UID:qp-1", "FN:A", "NOTE;ENCODING=QUOTED-PRINTABLE:abc=ZZdef");

        var result = VCardReader.Read(Good + bad);

        Assert.Equal("good-1", Assert.Single(result.Contacts).Uid);
        var error = Assert.Single(result.Errors);
        Assert.Equal("VCARD #2 UID=qp-1", error.Item);
        Assert.Equal(10, error.Line);
        Assert.Contains("NOTE has invalid quoted-printable data", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_UnknownCharset_ErrorNamesPropertyAndLine()
    {
        var result = VCardReader.Read(Card("2.1", "FN;CHARSET=X-KLINGON;ENCODING=QUOTED-PRINTABLE:abc"));

        var error = Assert.Single(result.Errors);
        Assert.Equal(3, error.Line);
        Assert.Equal("VCARD #1", error.Item);
        Assert.Contains("FN has CHARSET=X-KLINGON, which is not a known character set", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_InvalidBase64Photo_KeepsTheContactAndThePhotoVerbatim()
    {
        var result = VCardReader.Read(Card("3.0", "UID:p-1", "FN:A", "PHOTO;ENCODING=b;TYPE=JPEG:!!not*base64!!"));

        Assert.Empty(result.Errors);
        var contact = Assert.Single(result.Contacts);
        Assert.Null(contact.Photo);
        Assert.Equal("!!not*base64!!", Assert.Single(contact.ExtraProperties, p => p.Name == "PHOTO").Value);
        Assert.Contains(result.Warnings, w => w.Contains("line 5: PHOTO", StringComparison.Ordinal) && w.Contains("base64", StringComparison.Ordinal));
        RoundTrip(contact); // written back unchanged, still not mapped
    }

    [Fact]
    public void Read_TenMegabyteProperty_ErrorHasTheLine()
    {
        var huge = Card("3.0", "UID:big", "FN:A", "NOTE:" + new string('a', 10 * 1024 * 1024));
        var stopwatch = Stopwatch.StartNew();

        var result = VCardReader.Read(Good + huge);

        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(10), $"took {stopwatch.Elapsed}");
        Assert.Single(result.Contacts);
        var error = Assert.Single(result.Errors);
        Assert.Equal(10, error.Line);
        Assert.Contains("limit", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_HugeQuotedPrintableValue_IsNotQuadratic()
    {
        var lines = Enumerable.Repeat("=41=42=43=44=45=46=47=48=49=4A=4B=4C=4D=4E=4F=50=51=52=53=54=55=56=57=58=", 50_000);
        var text = Card("2.1", "FN:A", "NOTE;ENCODING=QUOTED-PRINTABLE:" + string.Join("\r\n", lines) + "\r\n");
        var stopwatch = Stopwatch.StartNew();

        var result = VCardReader.Read(text);

        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(10), $"took {stopwatch.Elapsed}");
        Assert.Equal(24 * 50_000, Assert.Single(result.Contacts).Note!.Length);
    }

    [Fact]
    public void Read_BeginVcardNested1000Times_IsACleanErrorWithoutStackOverflow()
    {
        var nested = string.Concat(Enumerable.Repeat("BEGIN:VCARD\r\n", 1000)) + string.Concat(Enumerable.Repeat("END:VCARD\r\n", 1000));

        var result = VCardReader.Read(nested + Good);

        Assert.Equal("good-1", Assert.Single(result.Contacts).Uid);
        var error = Assert.Single(result.Errors);
        Assert.Equal("VCARD #1", error.Item);
        Assert.Contains("nested deeper", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_BeginVcard1000TimesWithoutEnd_IsOneDocumentError()
    {
        var result = VCardReader.Read(string.Concat(Enumerable.Repeat("BEGIN:VCARD\r\n", 1000)));

        Assert.Contains("truncated", Assert.Single(result.Errors).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_InvalidUtf8InVersion30Card_IsAClearErrorForThatCardOnly()
    {
        var bytes = Encoding.UTF8.GetBytes(Good)
            .Concat(Encoding.UTF8.GetBytes("BEGIN:VCARD\r\nVERSION:3.0\r\nUID:bad-utf8\r\nFN:M"))
            .Concat(new byte[] { 0xFC })
            .Concat(Encoding.UTF8.GetBytes("ller\r\nEND:VCARD\r\n"))
            .ToArray();

        var result = VCardReader.Read(bytes);

        Assert.Equal("good-1", Assert.Single(result.Contacts).Uid);
        var error = Assert.Single(result.Errors);
        Assert.Equal("VCARD #2 UID=bad-utf8", error.Item);
        Assert.Equal(9, error.Line);
        Assert.Contains("not valid UTF-8 (byte 0xFC)", error.Reason, StringComparison.Ordinal);
        Assert.Contains("2.1", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_OneBadCardAmongGoodOnes_ReturnsTheGoodOnesAndNamesTheBadOneWithoutItsName()
    {
        var bad = Card("3.0", "UID:bad-1", "FN:Secret Person", "N Secret;Person");
        var other = Card("3.0", "UID:good-2", "FN:Good Two");

        var result = VCardReader.Read(Good + bad + other);

        Assert.Equal(["good-1", "good-2"], result.Contacts.Select(c => c.Uid));
        var error = Assert.Single(result.Errors);
        Assert.Equal("VCARD #2 UID=bad-1", error.Item);
        Assert.Equal(10, error.Line);
        Assert.StartsWith("VCARD #2 UID=bad-1, line 10: ", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Secret", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Person", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_OtherComponentInAVcfFile_IsAnErrorForThatBlock()
    {
        var result = VCardReader.Read("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n" + Good);

        Assert.Single(result.Contacts);
        Assert.Contains("expected BEGIN:VCARD, found BEGIN:VCALENDAR", Assert.Single(result.Errors).Reason, StringComparison.Ordinal);
    }
}
