namespace Connector.Stores.Dav.Tests;

public sealed class DavResourceNameTests
{
    [Theory]
    [InlineData("040000008200E00074C5B7101A82E00800000000D0A5F3F2", "040000008200E00074C5B7101A82E00800000000D0A5F3F2.ics")]
    [InlineData("abc-123_x.y@example.org", "abc-123_x.y@example.org.ics")]
    [InlineData("B7E6A5D4-3C2B-4A19-8F07-E6D5C4B3A291", "B7E6A5D4-3C2B-4A19-8F07-E6D5C4B3A291.ics")]
    public void S22_SafeUid_KeepsItsName(string uid, string expected)
    {
        Assert.True(DavResourceName.IsSafe(uid));
        Assert.Equal(expected, DavResourceName.For(uid, ".ics"));
    }

    [Theory]
    [InlineData("a/b")]
    [InlineData("with space")]
    [InlineData("ünïcødé")]
    [InlineData(".hidden")]
    [InlineData("-leading-dash")]
    [InlineData("trailing.")]
    [InlineData("a?b#c")]
    [InlineData("percent%2F")]
    [InlineData("plus+sign")]
    [InlineData("uid-0123456789abcdef0123456789abcdef")]
    [InlineData("")]
    public void S22_UnsafeUid_GetsAHashedName(string uid)
    {
        var name = DavResourceName.For(uid, ".vcf");

        Assert.False(DavResourceName.IsSafe(uid));
        Assert.Matches("^uid-[0-9a-f]{32}\\.vcf$", name);
        Assert.Equal(name, DavResourceName.For(uid, ".vcf"));
    }

    [Fact]
    public void S22_LongUids_AreHashedAndDistinct()
    {
        var prefix = new string('x', 300);

        var a = DavResourceName.For(prefix + "a", ".ics");
        var b = DavResourceName.For(prefix + "b", ".ics");

        Assert.NotEqual(a, b);
        Assert.True(a.Length < 64);
        Assert.Equal(DavResourceName.MaxPlainLength + 4, DavResourceName.For(new string('y', DavResourceName.MaxPlainLength), ".ics").Length);
    }
}
