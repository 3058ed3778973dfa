using System.Text;
using Connector.Sync.Stores;

namespace Connector.Stores.Vdir.Tests;

public class VdirFileNamesTests
{
    [Theory]
    [InlineData("plain-uid@example.org", "plain-uid@example.org.ics")]
    [InlineData("040000008200E00074C5B7101A82E008", "040000008200E00074C5B7101A82E008.ics")]
    [InlineData("a/b", "a%2Fb.ics")]
    [InlineData("a%2Fb", "a%252Fb.ics")]
    [InlineData(".hidden", "%2Ehidden.ics")]
    [InlineData("..", "%2E..ics")]
    [InlineData("a b?c#d", "a%20b%3Fc%23d.ics")]
    [InlineData("ü", "%C3%BC.ics")]
    public void ForItem_Uid_MapsToSafeName(string uid, string expected)
    {
        Assert.Equal(expected, VdirFileNames.ForItem(uid, ItemKind.Event));
    }

    [Fact]
    public void ForItem_Contact_UsesVcf()
    {
        Assert.Equal("x.vcf", VdirFileNames.ForItem("x", ItemKind.Contact));
        Assert.Equal("x.ics", VdirFileNames.ForItem("x", ItemKind.Task));
    }

    [Theory]
    [InlineData(200)]
    [InlineData(1000)]
    [InlineData(100_000)]
    public void S22_ForItem_LongUnsafeUid_StaysShortAndDeterministic(int length)
    {
        var uid = string.Concat(Enumerable.Repeat("😀/", length / 3 + 1))[..length];

        var name = VdirFileNames.ForItem(uid, ItemKind.Event);

        Assert.True(Encoding.UTF8.GetByteCount(name) <= VdirFileNames.MaxItemNameBytes, $"{name.Length} bytes");
        Assert.Equal(name, VdirFileNames.ForItem(uid, ItemKind.Event));
        Assert.Contains('~', name);
        Assert.True(VdirFileNames.IsValidItemId(name, ".ics"));
    }

    [Fact]
    public void S22_ForItem_UidsDifferingOnlyAtTheEnd_GetDistinctNames()
    {
        var prefix = new string('/', 300);

        Assert.NotEqual(VdirFileNames.ForItem(prefix + "a", ItemKind.Event), VdirFileNames.ForItem(prefix + "b", ItemKind.Event));
    }

    [Fact]
    public void ForItem_CutNearAnEscape_NeverSplitsIt()
    {
        // Each '/' is three characters encoded; shift the cut across every position of an escape.
        for (var pad = 0; pad < 3; pad++)
        {
            var name = VdirFileNames.ForItem(new string('a', pad) + new string('/', 100), ItemKind.Event);
            var kept = name[..name.IndexOf('~', StringComparison.Ordinal)];

            Assert.DoesNotMatch("%.?$", kept);
        }
    }

    [Fact]
    public void ForItem_ManyRandomUids_NoTwoShareAName()
    {
        var random = new Random(22);
        var uids = Enumerable.Range(0, 5000)
            .Select(_ => new string(Enumerable.Range(0, random.Next(1, 260)).Select(_ => "a/%~. ü"[random.Next(7)]).ToArray()))
            .Distinct(StringComparer.Ordinal)
            .ToList();

        var names = uids.Select(u => VdirFileNames.ForItem(u, ItemKind.Event)).ToList();

        Assert.Equal(uids.Count, names.Distinct(StringComparer.Ordinal).Count());
        Assert.All(names, n => Assert.False(n.StartsWith('.'), n));
    }

    [Theory]
    [InlineData("a.ics", true)]
    [InlineData("A.ICS", true)]
    [InlineData(".hidden.ics", false)]
    [InlineData(".connector-1234.tmp", false)]
    [InlineData("x.ics.tmp", false)]
    [InlineData("displayname", false)]
    [InlineData("a.vcf", false)]
    [InlineData(".ics", false)]
    public void IsItemFile_CalendarFolder(string name, bool expected)
    {
        Assert.Equal(expected, VdirFileNames.IsItemFile(name, ".ics"));
    }

    [Theory]
    [InlineData("../x.ics")]
    [InlineData("sub/x.ics")]
    [InlineData("sub\\x.ics")]
    [InlineData("x.vcf")]
    public void IsValidItemId_PathOrForeignName_IsRejected(string id)
    {
        Assert.False(VdirFileNames.IsValidItemId(id, ".ics"));
    }

    [Theory]
    [InlineData("Work", "Work")]
    [InlineData("Adressbuch für alle", "Adressbuch-f-r-alle")]
    [InlineData("  ../..  ", "collection")]
    [InlineData("日本", "collection")]
    public void ForCollection_DisplayName_GivesReadableFolderName(string displayName, string expected)
    {
        Assert.Equal(expected, VdirFileNames.ForCollection(displayName));
    }
}
