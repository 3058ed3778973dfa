namespace Connector.Stores.Dav.Tests;

public sealed class DavSyncTokenTests
{
    [Theory]
    [InlineData("dav1:s:http://sabre.io/ns/sync/12", true, "http://sabre.io/ns/sync/12")]
    [InlineData("dav1:s:4b825dc642cb6eb9a060e54bf8d69288fbee4904", true, "4b825dc642cb6eb9a060e54bf8d69288fbee4904")]
    [InlineData("dav1:c:\"ctag-1\"", false, "\"ctag-1\"")]
    [InlineData("dav1:c:", false, "")]
    public void Parse_OwnFormat_RoundTrips(string text, bool syncCollection, string value)
    {
        var token = DavSyncToken.Parse(text);

        Assert.Equal(new DavSyncToken(syncCollection ? DavSyncMode.SyncCollection : DavSyncMode.CollectionTag, value), token);
        Assert.Equal(text, token!.Value.ToString());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("http://sabre.io/ns/sync/12")]
    [InlineData("dav1:s:")]
    [InlineData("dav1:x:abc")]
    [InlineData("dav2:s:abc")]
    [InlineData("dav1")]
    public void S05_Parse_ForeignOrBroken_IsNull(string? text)
    {
        Assert.Null(DavSyncToken.Parse(text));
    }

    [Theory]
    [InlineData("http://sabre.io/ns/sync/120", "http://sabre.io/ns/sync/95", true)]
    [InlineData("http://sabre.io/ns/sync/120", "http://sabre.io/ns/sync/120", false)]
    [InlineData("http://sabre.io/ns/sync/120", "http://sabre.io/ns/sync/121", false)]
    [InlineData("http://sabre.io/ns/sync/99", "http://sabre.io/ns/sync/100", false)]
    [InlineData("http://sabre.io/ns/sync/100", "http://sabre.io/ns/sync/99", true)]
    [InlineData("http://sabre.io/ns/sync/18446744073709551616", "http://sabre.io/ns/sync/18446744073709551615", true)]
    [InlineData("http://sabre.io/ns/sync/120", "http://other.example/ns/sync/5", false)]
    [InlineData("http://radicale.org/ns/sync/9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08", "http://radicale.org/ns/sync/1", false)]
    [InlineData("4b825dc642cb6eb9a060e54bf8d69288fbee4904", "02f1e39294c0f513b64b6b070840e507e06b238a", false)]
    public void S05_WentBackwards_OnlyForNumberedTokensThatDecrease(string sent, string received, bool expected)
    {
        Assert.Equal(expected, DavSyncToken.WentBackwards(sent, received));
    }

    [Theory]
    [InlineData("http://sabre.io/ns/sync/1", true)]
    [InlineData("http://sabre.io/ns/sync/", false)]
    [InlineData("http://radicale.org/ns/sync/abc", false)]
    public void IsSabreForm_RecognisesNextcloudTokens(string token, bool expected)
    {
        Assert.Equal(expected, DavSyncToken.IsSabreForm(token));
    }
}
