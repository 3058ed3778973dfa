using System.Buffers.Binary;
using System.Buffers.Text;
using System.Globalization;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;

namespace Connector.Stores.Vdir;

/// <summary>
/// The change token of a vdir collection: what the folder held when it was scanned, as file name → the
/// first 64 bits of the file's SHA-256. The next scan compares against it. Opaque to the engine.
/// </summary>
/// <remarks>
/// Format: <c>vdir1.</c> + base64url(zlib(payload) + check), where check is the first 8 bytes of
/// SHA-256 of the zlib bytes (zlib alone ignores bytes after its end, so a token with something
/// appended would still decode). Payload: 4 bytes of SHA-256 of the collection id (a token of another
/// collection is rejected), a 7-bit varint entry count, then per entry in ordinal name order a varint
/// byte length, the UTF-8 name and 8 bytes of hash (big-endian). A damaged token fails to decode, and
/// that is reported as TokenInvalid, never as "no changes" (S05). About 30-40 bytes per item after compression: a
/// collection of 10,000 items has a token of a few hundred KB (S22 allows large tokens).
/// </remarks>
internal static class VdirChangeToken
{
    private const string Prefix = "vdir1.";

    private const int CheckLength = 8;

    /// <summary>Refuse to inflate more than this: a token is data from outside, not trusted to be small.</summary>
    private const int MaxPayloadBytes = 256 * 1024 * 1024;

    /// <summary>The part of a version the token keeps: 64 bits of SHA-256 are plenty to see a change.</summary>
    public static ulong Fingerprint(string version) =>
        ulong.Parse(version.AsSpan(0, 16), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture);

    public static string Encode(string collectionId, IEnumerable<KeyValuePair<string, string>> versionsByName)
    {
        var entries = versionsByName.OrderBy(e => e.Key, StringComparer.Ordinal).ToList();
        using var payload = new MemoryStream();
        Span<byte> buffer = stackalloc byte[8];

        BinaryPrimitives.WriteUInt32BigEndian(buffer, CollectionFingerprint(collectionId));
        payload.Write(buffer[..4]);
        WriteVarint(payload, entries.Count);
        foreach (var (name, version) in entries)
        {
            var bytes = Encoding.UTF8.GetBytes(name);
            WriteVarint(payload, bytes.Length);
            payload.Write(bytes);
            BinaryPrimitives.WriteUInt64BigEndian(buffer, Fingerprint(version));
            payload.Write(buffer);
        }

        using var compressed = new MemoryStream();
        using (var zlib = new ZLibStream(compressed, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            payload.Position = 0;
            payload.CopyTo(zlib);
        }

        compressed.Write(SHA256.HashData(compressed.GetBuffer().AsSpan(0, (int)compressed.Length)).AsSpan(0, CheckLength));
        return Prefix + Base64Url.EncodeToString(compressed.ToArray());
    }

    /// <summary>File name → fingerprint, or null when the token is not one of ours for this collection.</summary>
    public static Dictionary<string, ulong>? TryDecode(string token, string collectionId)
    {
        if (!token.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return null;
        }

        try
        {
            var bytes = Base64Url.DecodeFromChars(token.AsSpan(Prefix.Length));
            if (bytes.Length <= CheckLength)
            {
                return null;
            }

            var compressed = bytes.AsSpan(0, bytes.Length - CheckLength);
            if (!SHA256.HashData(compressed).AsSpan(0, CheckLength).SequenceEqual(bytes.AsSpan(compressed.Length)))
            {
                return null;
            }

            var payload = Inflate(compressed.ToArray());
            return payload is null ? null : Parse(payload, CollectionFingerprint(collectionId));
        }
        catch (FormatException)
        {
            return null;
        }
        catch (InvalidDataException)
        {
            return null;
        }
    }

    private static byte[]? Inflate(byte[] compressed)
    {
        using var zlib = new ZLibStream(new MemoryStream(compressed), CompressionMode.Decompress);
        using var payload = new MemoryStream();
        var buffer = new byte[81920];
        int read;
        while ((read = zlib.Read(buffer)) > 0)
        {
            if (payload.Length + read > MaxPayloadBytes)
            {
                return null;
            }

            payload.Write(buffer, 0, read);
        }

        return payload.ToArray();
    }

    private static Dictionary<string, ulong>? Parse(ReadOnlySpan<byte> payload, uint expectedCollection)
    {
        if (payload.Length < 5 || BinaryPrimitives.ReadUInt32BigEndian(payload) != expectedCollection)
        {
            return null;
        }

        var position = 4;
        if (!TryReadVarint(payload, ref position, out var count) || count > payload.Length)
        {
            return null;
        }

        var result = new Dictionary<string, ulong>(count, StringComparer.Ordinal);
        for (var i = 0; i < count; i++)
        {
            if (!TryReadVarint(payload, ref position, out var length) || length > payload.Length - position - 8)
            {
                return null;
            }

            var name = Encoding.UTF8.GetString(payload.Slice(position, length));
            position += length;
            result[name] = BinaryPrimitives.ReadUInt64BigEndian(payload[position..]);
            position += 8;
        }

        return position == payload.Length ? result : null;
    }

    private static uint CollectionFingerprint(string collectionId) =>
        BinaryPrimitives.ReadUInt32BigEndian(SHA256.HashData(Encoding.UTF8.GetBytes(collectionId)));

    private static void WriteVarint(Stream stream, int value)
    {
        var v = (uint)value;
        while (v >= 0x80)
        {
            stream.WriteByte((byte)(v | 0x80));
            v >>= 7;
        }

        stream.WriteByte((byte)v);
    }

    private static bool TryReadVarint(ReadOnlySpan<byte> data, ref int position, out int value)
    {
        value = 0;
        for (var shift = 0; shift < 32; shift += 7)
        {
            if (position >= data.Length)
            {
                return false;
            }

            var b = data[position++];
            value |= (b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                return value >= 0;
            }
        }

        return false;
    }
}
