using System.Text;
using System.Text.Unicode;
using Connector.Mapping.VCard;
using CsCheck;

namespace Connector.Mapping.Tests.VCard;

/// <summary>Generated contacts survive vCard write → read unchanged.</summary>
public class VCardRoundTripPropertyTests
{
    [Fact]
    public void WriteThenRead_GeneratedContacts_AreEqual()
    {
        ContactGenerators.Contact.Sample(c =>
        {
            var result = VCardReader.Read(VCardWriter.Write(c));

            Assert.Empty(result.Errors);
            // A contact without FN reads back with the FN the writer derived (and the reader derives).
            var expected = c with { FormattedName = c.FormattedName ?? VCardValues.DeriveFormattedName(c) };
            Assert.Equal(expected, Assert.Single(result.Contacts));
        }, iter: 500);
    }

    [Fact]
    public void WriteThenRead_GeneratedContactsAsUtf8Bytes_AreEqual()
    {
        ContactGenerators.Contact.Where(c => c.FormattedName is not null).Sample(c =>
        {
            var result = VCardReader.Read(Encoding.UTF8.GetBytes(VCardWriter.Write(c)));

            Assert.Empty(result.Errors);
            Assert.Equal(c, Assert.Single(result.Contacts));
        }, iter: 200);
    }

    [Fact]
    public void Write_GeneratedContacts_FoldsEveryLineWithin75OctetsOfWholeCharacters()
    {
        ContactGenerators.Contact.Sample(c =>
        {
            var bytes = Encoding.UTF8.GetBytes(VCardWriter.Write(c));
            var start = 0;
            for (var i = 0; i + 1 < bytes.Length; i++)
            {
                if (bytes[i] == '\r' && bytes[i + 1] == '\n')
                {
                    var line = bytes.AsSpan(start, i - start);
                    Assert.True(line.Length <= 75, $"{line.Length} octets");
                    Assert.True(Utf8.IsValid(line), "a fold split a character");
                    start = i + 2;
                }
            }
        }, iter: 300);
    }
}
