namespace Connector.Stores.Dav.Tests;

public sealed class DavStoreOptionsTests
{
    private static readonly DavStoreOptions Valid = new() { BaseUri = new Uri("https://cloud.example.org/"), UserName = "alice", Password = "p4ss" };

    [Fact]
    public void Validate_Defaults_Pass()
    {
        Valid.Validate();
        Assert.Equal(DavStoreOptions.DefaultBatchLimit, Valid.BatchLimit);
    }

    [Fact]
    public void ToString_NeverShowsThePassword()
    {
        Assert.DoesNotContain("p4ss", Valid.ToString(), StringComparison.Ordinal);
        Assert.Contains("alice", Valid.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("BaseUri")]
    [InlineData("BatchLimit")]
    [InlineData("Timeout")]
    [InlineData("UserName")]
    public void Validate_BadValue_NamesIt(string property)
    {
        var bad = property switch
        {
            "BaseUri" => Valid with { BaseUri = new Uri("ftp://cloud.example.org/") },
            "BatchLimit" => Valid with { BatchLimit = 0 },
            "Timeout" => Valid with { Timeout = TimeSpan.Zero },
            _ => Valid with { Password = null },
        };

        var thrown = Assert.Throws<ArgumentException>(bad.Validate);

        Assert.Equal(property, thrown.ParamName);
    }
}
