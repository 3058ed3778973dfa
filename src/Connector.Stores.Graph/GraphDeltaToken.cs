using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Connector.Stores.Graph;

/// <summary>
/// The store's change token: "graph1." + base64url(payload) + "." + a check of it. The payload is Graph's deltaLink
/// and, for events, the calendarView window it was made for ("yyyy-MM-dd|yyyy-MM-dd|link"). The check lets a token
/// of another store, a truncated or altered one be recognised as invalid (→ TokenInvalid, S05) without asking the
/// server, and a deltaLink is only ever followed on the configured Graph root.
/// </summary>
internal sealed record GraphDeltaToken(string DeltaLink, DateOnly? WindowStart = null, DateOnly? WindowEnd = null)
{
    private const string Prefix = "graph1.";

    public string Format()
    {
        var payload = WindowStart is { } s && WindowEnd is { } e
            ? $"{s.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}|{e.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}|{DeltaLink}"
            : "||" + DeltaLink;
        var bytes = Encoding.UTF8.GetBytes(payload);
        return Prefix + Base64Url.EncodeToString(bytes) + "." + Check(bytes);
    }

    /// <summary>The token, or null when <paramref name="token"/> is not an intact token of this store.</summary>
    public static GraphDeltaToken? Parse(string token)
    {
        if (!token.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return null;
        }

        var rest = token.AsSpan(Prefix.Length);
        var dot = rest.LastIndexOf('.');
        if (dot <= 0)
        {
            return null;
        }

        byte[] bytes;
        try
        {
            bytes = Base64Url.DecodeFromChars(rest[..dot]);
        }
        catch (FormatException)
        {
            return null;
        }

        if (!rest[(dot + 1)..].SequenceEqual(Check(bytes)))
        {
            return null;
        }

        var parts = Encoding.UTF8.GetString(bytes).Split('|', 3);
        if (parts.Length != 3 || parts[2].Length == 0)
        {
            return null;
        }

        if (parts[0].Length == 0)
        {
            return new GraphDeltaToken(parts[2]);
        }

        return DateOnly.TryParseExact(parts[0], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var start)
            && DateOnly.TryParseExact(parts[1], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var end)
            ? new GraphDeltaToken(parts[2], start, end)
            : null;
    }

    private static string Check(byte[] payload) => Convert.ToHexStringLower(SHA256.HashData(payload).AsSpan(0, 8));
}
