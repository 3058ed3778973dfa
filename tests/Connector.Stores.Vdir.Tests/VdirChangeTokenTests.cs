using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;

namespace Connector.Stores.Vdir.Tests;

public class VdirChangeTokenTests
{
    private static string VersionOf(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    [Fact]
    public void Encode_ThenDecode_GivesEveryNameAndFingerprint()
    {
        var versions = new Dictionary<string, string> { ["a.ics"] = VersionOf("a"), ["ü 😀.ics"] = VersionOf("b") };

        var decoded = VdirChangeToken.TryDecode(VdirChangeToken.Encode("cal", versions), "cal");

        Assert.NotNull(decoded);
        Assert.Equal(versions.Keys.Order(), decoded.Keys.Order());
        Assert.All(versions, v => Assert.Equal(VdirChangeToken.Fingerprint(v.Value), decoded[v.Key]));
    }

    [Fact]
    public void Encode_Empty_RoundTrips()
    {
        Assert.Empty(VdirChangeToken.TryDecode(VdirChangeToken.Encode("cal", []), "cal")!);
    }

    [Fact]
    public void TryDecode_TokenOfAnotherCollection_IsNull()
    {
        var token = VdirChangeToken.Encode("cal", new Dictionary<string, string> { ["a.ics"] = VersionOf("a") });

        Assert.Null(VdirChangeToken.TryDecode(token, "other"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("vdir1.")]
    [InlineData("vdir1.!!!")]
    [InlineData("vdir1.AAAA")]
    [InlineData("vdir2.eJwDAAAAAAE")]
    [InlineData("http://sabre.io/ns/sync/12")]
    public void TryDecode_Garbage_IsNull(string token)
    {
        Assert.Null(VdirChangeToken.TryDecode(token, "cal"));
    }

    [Fact]
    public void S05_TryDecode_TokenWithSomethingAppendedOrCut_IsNull()
    {
        // zlib ignores bytes after its end: before the SHA-256 check, "token + x" decoded whenever the
        // base64 length allowed one more byte (seen as a flaky S05 conformance failure).
        for (var entries = 0; entries < 40; entries++)
        {
            var token = VdirChangeToken.Encode("cal", Enumerable.Range(0, entries).ToDictionary(i => $"i{i}.ics", i => VersionOf($"{i}")));

            foreach (var damaged in new[] { token + "x", token + "AA", token + "AAAA", token[..^1], token[..^4] })
            {
                Assert.Null(VdirChangeToken.TryDecode(damaged, "cal"));
            }
        }
    }

    [Fact]
    public void TryDecode_AnyFlippedCharacter_IsNullOrTheSameCollection()
    {
        var token = VdirChangeToken.Encode("cal", Enumerable.Range(0, 50).ToDictionary(i => $"item{i}.ics", i => VersionOf($"{i}")));

        for (var i = "vdir1.".Length; i < token.Length; i++)
        {
            var damaged = token[..i] + (token[i] == 'A' ? 'B' : 'A') + token[(i + 1)..];

            // zlib's checksum catches a damaged payload; a damaged tail may only drop base64 padding bits.
            var decoded = VdirChangeToken.TryDecode(damaged, "cal");
            Assert.True(decoded is null || decoded.Count == 50, $"position {i} decoded to {decoded?.Count} entries");
        }
    }

    [Fact]
    public void S22_Token_TenThousandItems_StaysReasonable()
    {
        var versions = Enumerable.Range(0, 10_000).ToDictionary(i => $"conformance-{Guid.NewGuid():N}.ics", i => VersionOf($"{i}"));

        var watch = Stopwatch.StartNew();
        var token = VdirChangeToken.Encode("cal", versions);
        var decoded = VdirChangeToken.TryDecode(token, "cal");
        watch.Stop();

        Assert.Equal(10_000, decoded!.Count);
        Assert.True(token.Length < 600_000, $"token of {token.Length} characters");
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"encode + decode took {watch.Elapsed}");
    }
}
