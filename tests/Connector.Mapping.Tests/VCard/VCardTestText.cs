using Connector.Domain;
using Connector.Mapping.VCard;

namespace Connector.Mapping.Tests.VCard;

/// <summary>Builds small cards for tests and reads them expecting success.</summary>
internal static class VCardTestText
{
    /// <summary>A card with CRLF endings: BEGIN, VERSION, the given lines, END.</summary>
    public static string Card(string version, params string[] lines) =>
        string.Join("\r\n", ["BEGIN:VCARD", "VERSION:" + version, .. lines, "END:VCARD"]) + "\r\n";

    public static Contact ReadSingle(string text)
    {
        var result = VCardReader.Read(text);
        Assert.Empty(result.Errors);
        return Assert.Single(result.Contacts);
    }

    public static Contact ReadSingle(byte[] bytes)
    {
        var result = VCardReader.Read(bytes);
        Assert.Empty(result.Errors);
        return Assert.Single(result.Contacts);
    }

    /// <summary>Write, read back, and check the model came back equal.</summary>
    public static Contact RoundTrip(Contact contact)
    {
        var written = VCardWriter.Write(contact);
        var reread = ReadSingle(written);
        Assert.Equal(contact, reread);
        return reread;
    }
}
