using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Connector.Host.Hosting;

/// <summary>The outcome of checking a webhook's signature; anything but <see cref="Valid"/> is refused.</summary>
public enum WebhookVerification
{
    Valid,
    MissingTimestamp,
    MalformedTimestamp,
    TimestampOutOfRange,
    MissingSignature,
    MalformedSignature,
    SignatureMismatch,
}

/// <summary>
/// The signature of webhooks between the Nextcloud app and the worker (both directions), pure so
/// that the app's PHP side can mirror it line by line:
/// <code>
/// X-Connector-Timestamp: &lt;unix seconds, decimal ASCII&gt;
/// X-Connector-Signature: sha256=&lt;lowercase hex of HMAC-SHA256(key = UTF-8 bytes of SharedSecret,
///                                  message = timestamp ASCII + "." + raw body bytes)&gt;
/// </code>
/// The timestamp is inside the signed bytes, so it cannot be moved without the secret; a request
/// outside ±<see cref="DefaultTolerance"/> of the receiver's clock is refused, which bounds replays
/// to that window (harmless here: a replayed webhook only nudges a user's due time again).
/// </summary>
public static class WebhookSignature
{
    public const string TimestampHeader = "X-Connector-Timestamp";
    public const string SignatureHeader = "X-Connector-Signature";
    public const string SignaturePrefix = "sha256=";

    public static readonly TimeSpan DefaultTolerance = TimeSpan.FromMinutes(5);

    /// <summary>The <see cref="SignatureHeader"/> value for a body sent at <paramref name="unixSeconds"/>.</summary>
    public static string Sign(string secret, long unixSeconds, ReadOnlySpan<byte> body)
    {
        ArgumentException.ThrowIfNullOrEmpty(secret);
        return SignaturePrefix + Convert.ToHexStringLower(ComputeMac(secret, unixSeconds.ToString(CultureInfo.InvariantCulture), body));
    }

    /// <summary>
    /// Checks both headers against the body. The comparison is constant-time, and a header that is
    /// merely malformed never reaches it, so timing says nothing about the expected signature.
    /// </summary>
    public static WebhookVerification Verify(
        string secret,
        string? timestampHeader,
        string? signatureHeader,
        ReadOnlySpan<byte> body,
        DateTimeOffset now,
        TimeSpan tolerance)
    {
        ArgumentException.ThrowIfNullOrEmpty(secret);
        if (string.IsNullOrWhiteSpace(timestampHeader))
        {
            return WebhookVerification.MissingTimestamp;
        }

        // Digits only (no sign, no spaces inside): the signed bytes must be exactly what was sent.
        var timestampText = timestampHeader.Trim();
        if (timestampText.Length > 12 || !long.TryParse(timestampText, NumberStyles.None, CultureInfo.InvariantCulture, out var unixSeconds))
        {
            return WebhookVerification.MalformedTimestamp;
        }

        var sentAt = DateTimeOffset.FromUnixTimeSeconds(unixSeconds);
        if ((now - sentAt).Duration() > tolerance)
        {
            return WebhookVerification.TimestampOutOfRange;
        }

        if (string.IsNullOrWhiteSpace(signatureHeader))
        {
            return WebhookVerification.MissingSignature;
        }

        var signatureText = signatureHeader.Trim();
        if (!signatureText.StartsWith(SignaturePrefix, StringComparison.OrdinalIgnoreCase)
            || signatureText.Length != SignaturePrefix.Length + (HMACSHA256.HashSizeInBytes * 2))
        {
            return WebhookVerification.MalformedSignature;
        }

        byte[] presented;
        try
        {
            presented = Convert.FromHexString(signatureText.AsSpan(SignaturePrefix.Length));
        }
        catch (FormatException)
        {
            return WebhookVerification.MalformedSignature;
        }

        var expected = ComputeMac(secret, timestampText, body);
        return CryptographicOperations.FixedTimeEquals(expected, presented)
            ? WebhookVerification.Valid
            : WebhookVerification.SignatureMismatch;
    }

    private static byte[] ComputeMac(string secret, string timestampText, ReadOnlySpan<byte> body)
    {
        var prefix = Encoding.ASCII.GetBytes(timestampText + ".");
        var message = new byte[prefix.Length + body.Length];
        prefix.CopyTo(message, 0);
        body.CopyTo(message.AsSpan(prefix.Length));
        return HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), message);
    }
}
