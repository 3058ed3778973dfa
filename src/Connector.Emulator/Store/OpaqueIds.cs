using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Connector.Emulator.Store;

/// <summary>What an emulator id points at.</summary>
internal enum IdKind : byte
{
    Item = 1,
    Occurrence = 2,
    Folder = 3,
}

/// <summary>A decoded item, occurrence or folder id.</summary>
internal readonly record struct DecodedId(IdKind Kind, Guid MailboxKey, long Serial, long OccurrenceTicks);

/// <summary>
/// Item and folder ids: opaque base64 like Exchange's (about 150 characters, with '+' and '/'),
/// encoding the mailbox, the item serial and, for an occurrence, its original start. Stable for
/// the life of the item; a move to another folder gives a new id, as in Exchange.
/// </summary>
internal static class OpaqueIds
{
    private const int PayloadLength = 39;
    private const int TotalLength = 111;
    private static readonly byte[] Marker = "EMU1"u8.ToArray();

    public static string Encode(IdKind kind, Guid mailboxKey, long serial, long occurrenceTicks = 0)
    {
        var bytes = new byte[TotalLength];
        bytes[0] = 0x00;
        bytes[1] = 0x03;
        Marker.CopyTo(bytes, 2);
        bytes[6] = (byte)kind;
        mailboxKey.TryWriteBytes(bytes.AsSpan(7, 16));
        BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(23, 8), serial);
        BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(31, 8), occurrenceTicks);

        // Deterministic filler so ids have Exchange's length without looking like runs of 'A'.
        var filler = SHA256.HashData(bytes.AsSpan(0, PayloadLength));
        for (var i = PayloadLength; i < TotalLength; i++)
        {
            bytes[i] = filler[(i - PayloadLength) % filler.Length];
        }

        return Convert.ToBase64String(bytes);
    }

    public static bool TryDecode(string? id, out DecodedId decoded)
    {
        decoded = default;
        if (string.IsNullOrEmpty(id) || id.Length > 1024)
        {
            return false;
        }

        var buffer = new byte[(id.Length * 3 / 4) + 3];
        if (!Convert.TryFromBase64String(id, buffer, out var length) || length < PayloadLength)
        {
            return false;
        }

        if (buffer[0] != 0x00 || buffer[1] != 0x03 || !buffer.AsSpan(2, 4).SequenceEqual(Marker))
        {
            return false;
        }

        var kind = (IdKind)buffer[6];
        if (kind is not (IdKind.Item or IdKind.Occurrence or IdKind.Folder))
        {
            return false;
        }

        decoded = new DecodedId(
            kind,
            new Guid(buffer.AsSpan(7, 16)),
            BinaryPrimitives.ReadInt64LittleEndian(buffer.AsSpan(23, 8)),
            BinaryPrimitives.ReadInt64LittleEndian(buffer.AsSpan(31, 8)));
        return true;
    }

    /// <summary>A stable key for a mailbox, derived from its SMTP address.</summary>
    public static Guid MailboxKey(string smtpAddress)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(smtpAddress.ToUpperInvariant()));
        return new Guid(hash.AsSpan(0, 16));
    }
}

/// <summary>
/// ChangeKeys in Exchange's layout: a 4-byte type marker (0x0F calendar item, 0x11 contact, 0x13
/// task, 0x01 folder), a 4-byte length, then a predecessor change list (16-byte GUID + 6-byte
/// change number), base64 — "DwAAABYAAAA…" — optionally padded to test long values (S22).
/// </summary>
internal static class ChangeKeys
{
    public static string Create(int typeMarker, Guid source, long changeNumber, int paddingBytes)
    {
        var pclLength = 22 + Math.Max(0, paddingBytes);
        var bytes = new byte[8 + pclLength];
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(0, 4), typeMarker);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(4, 4), pclLength);
        source.TryWriteBytes(bytes.AsSpan(8, 16));
        var number = new byte[8];
        BinaryPrimitives.WriteInt64BigEndian(number, changeNumber);
        number.AsSpan(2, 6).CopyTo(bytes.AsSpan(24, 6));
        if (paddingBytes > 0)
        {
            var filler = SHA256.HashData(bytes.AsSpan(0, 30));
            for (var i = 30; i < bytes.Length; i++)
            {
                bytes[i] = filler[(i - 30) % filler.Length];
            }
        }

        return Convert.ToBase64String(bytes);
    }
}

/// <summary>
/// The SyncState of SyncFolderItems / SyncFolderHierarchy: an encoded position in a folder's change
/// log, bound to this emulator process, the mailbox, the folder and the folder's sync generation,
/// and signed so that any edited or foreign value is rejected (ErrorInvalidSyncStateData).
/// </summary>
internal sealed class SyncStateCodec
{
    private const int HeaderLength = 4 + 1 + 16 + 16 + 8 + 4 + 8;
    private const int MacLength = 16;
    private static readonly byte[] Magic = "EMSS"u8.ToArray();
    private readonly byte[] key = RandomNumberGenerator.GetBytes(32);
    private readonly Guid instance = Guid.NewGuid();
    private readonly int paddingBytes;

    public SyncStateCodec(int paddingBytes)
    {
        this.paddingBytes = Math.Max(0, paddingBytes);
    }

    public string Encode(Guid mailboxKey, long folderSerial, int generation, long position)
    {
        var bytes = new byte[HeaderLength + paddingBytes + MacLength];
        Magic.CopyTo(bytes, 0);
        bytes[4] = 1;
        instance.TryWriteBytes(bytes.AsSpan(5, 16));
        mailboxKey.TryWriteBytes(bytes.AsSpan(21, 16));
        BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(37, 8), folderSerial);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(45, 4), generation);
        BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(49, 8), position);
        if (paddingBytes > 0)
        {
            var filler = SHA256.HashData(bytes.AsSpan(0, HeaderLength));
            for (var i = 0; i < paddingBytes; i++)
            {
                bytes[HeaderLength + i] = (byte)(filler[i % filler.Length] ^ (byte)(i / filler.Length));
            }
        }

        var mac = HMACSHA256.HashData(key, bytes.AsSpan(0, bytes.Length - MacLength));
        mac.AsSpan(0, MacLength).CopyTo(bytes.AsSpan(bytes.Length - MacLength));
        return Convert.ToBase64String(bytes);
    }

    /// <summary>Decodes a state issued by this process for this mailbox and folder; null when it is not one.</summary>
    public long? TryDecode(string state, Guid mailboxKey, long folderSerial, int generation)
    {
        var buffer = new byte[(state.Length * 3 / 4) + 3];
        if (!Convert.TryFromBase64String(state.Trim(), buffer, out var length) || length < HeaderLength + MacLength)
        {
            return null;
        }

        var bytes = buffer.AsSpan(0, length);
        var mac = HMACSHA256.HashData(key, bytes[..^MacLength]);
        if (!CryptographicOperations.FixedTimeEquals(mac.AsSpan(0, MacLength), bytes[^MacLength..]))
        {
            return null;
        }

        if (!bytes[..4].SequenceEqual(Magic) || bytes[4] != 1
            || new Guid(bytes.Slice(5, 16)) != instance
            || new Guid(bytes.Slice(21, 16)) != mailboxKey
            || BinaryPrimitives.ReadInt64LittleEndian(bytes.Slice(37, 8)) != folderSerial
            || BinaryPrimitives.ReadInt32LittleEndian(bytes.Slice(45, 4)) != generation)
        {
            return null;
        }

        return BinaryPrimitives.ReadInt64LittleEndian(bytes.Slice(49, 8));
    }
}
