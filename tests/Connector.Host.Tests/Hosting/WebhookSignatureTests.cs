using System.Security.Cryptography;
using System.Text;
using Connector.Host.Hosting;

namespace Connector.Host.Tests.Hosting;

public class WebhookSignatureTests
{
    private const string Secret = "0123456789abcdef0123456789abcdef";
    private static readonly byte[] Body = Encoding.UTF8.GetBytes("{\"event\":\"user.changed\",\"userId\":\"alice\"}");
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeSeconds(1_764_000_000);

    private static WebhookVerification Verify(string? timestamp, string? signature, byte[]? body = null, string secret = Secret) =>
        WebhookSignature.Verify(secret, timestamp, signature, body ?? Body, Now, WebhookSignature.DefaultTolerance);

    [Fact]
    public void Sign_IsHmacSha256OverTimestampDotBody_LowercaseHex()
    {
        // Written out independently of the class so that the wire format, not the code, is pinned.
        var message = Encoding.ASCII.GetBytes("1764000000.").Concat(Body).ToArray();
        var expected = "sha256=" + Convert.ToHexString(HMACSHA256.HashData(Encoding.UTF8.GetBytes(Secret), message)).ToLowerInvariant();

        Assert.Equal(expected, WebhookSignature.Sign(Secret, 1_764_000_000, Body));
    }

    [Fact]
    public void Sign_KnownVector_MatchesOpenSslOutput()
    {
        // printf '%s' '1764000000.{"event":"user.changed","userId":"alice"}' | openssl dgst -sha256 -hmac 0123456789abcdef0123456789abcdef
        Assert.Equal("sha256=" + KnownVector, WebhookSignature.Sign(Secret, 1_764_000_000, Body));
    }

    [Fact]
    public void Verify_FreshCorrectSignature_IsValid()
    {
        Assert.Equal(WebhookVerification.Valid, Verify("1764000000", WebhookSignature.Sign(Secret, 1_764_000_000, Body)));
    }

    [Fact]
    public void Verify_UppercaseHex_IsValid()
    {
        var signature = WebhookSignature.Sign(Secret, 1_764_000_000, Body);
        Assert.Equal(WebhookVerification.Valid, Verify("1764000000", "sha256=" + signature["sha256=".Length..].ToUpperInvariant()));
    }

    [Fact]
    public void Verify_OtherSecret_IsMismatch()
    {
        var signature = WebhookSignature.Sign("another-secret-of-enough-length", 1_764_000_000, Body);
        Assert.Equal(WebhookVerification.SignatureMismatch, Verify("1764000000", signature));
    }

    [Fact]
    public void Verify_TamperedBody_IsMismatch()
    {
        var signature = WebhookSignature.Sign(Secret, 1_764_000_000, Body);
        var tampered = Encoding.UTF8.GetBytes("{\"event\":\"user.changed\",\"userId\":\"mallory\"}");
        Assert.Equal(WebhookVerification.SignatureMismatch, Verify("1764000000", signature, tampered));
    }

    [Fact]
    public void Verify_TimestampMovedWithinWindow_IsMismatch()
    {
        // The timestamp is signed: moving it (even inside the window) breaks the signature.
        var signature = WebhookSignature.Sign(Secret, 1_764_000_000, Body);
        Assert.Equal(WebhookVerification.SignatureMismatch, Verify("1764000060", signature));
    }

    [Theory]
    [InlineData(-6 * 60)]
    [InlineData(6 * 60)]
    public void Verify_SixMinutesAway_IsOutOfRange(int offsetSeconds)
    {
        var sentAt = 1_764_000_000 + offsetSeconds;
        var signature = WebhookSignature.Sign(Secret, sentAt, Body);
        Assert.Equal(WebhookVerification.TimestampOutOfRange, Verify(sentAt.ToString(System.Globalization.CultureInfo.InvariantCulture), signature));
    }

    [Theory]
    [InlineData(-299)]
    [InlineData(299)]
    public void Verify_JustInsideWindow_IsValid(int offsetSeconds)
    {
        var sentAt = 1_764_000_000 + offsetSeconds;
        var signature = WebhookSignature.Sign(Secret, sentAt, Body);
        Assert.Equal(WebhookVerification.Valid, Verify(sentAt.ToString(System.Globalization.CultureInfo.InvariantCulture), signature));
    }

    [Theory]
    [InlineData(null, "sha256=00", WebhookVerification.MissingTimestamp)]
    [InlineData("", "sha256=00", WebhookVerification.MissingTimestamp)]
    [InlineData("-1764000000", "sha256=00", WebhookVerification.MalformedTimestamp)]
    [InlineData("1764000000.5", "sha256=00", WebhookVerification.MalformedTimestamp)]
    [InlineData("2026-11-24T00:00:00Z", "sha256=00", WebhookVerification.MalformedTimestamp)]
    [InlineData("1764000000", null, WebhookVerification.MissingSignature)]
    [InlineData("1764000000", "", WebhookVerification.MissingSignature)]
    [InlineData("1764000000", "sha1=0123", WebhookVerification.MalformedSignature)]
    [InlineData("1764000000", "sha256=xyz", WebhookVerification.MalformedSignature)]
    [InlineData("1764000000", "sha256=zz" + "00000000000000000000000000000000000000000000000000000000000000", WebhookVerification.MalformedSignature)]
    public void Verify_BadHeaders_AreNamed(string? timestamp, string? signature, WebhookVerification expected)
    {
        Assert.Equal(expected, Verify(timestamp, signature));
    }

    private const string KnownVector = "4cd7e8d1f366790e4be3e2ec841e3da89715e521aecc06189a0c75beeb691810";
}
