using System.Text;

namespace AkkaLog.Protocol;

/// <summary>Variable-length primitives: varints, strings, bytes, array lengths, tag buffers.</summary>
public sealed partial class KafkaWriter
{
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false);

    /// <summary>Number of bytes <paramref name="value"/> takes as an unsigned varint.</summary>
    public static int UnsignedVarIntSize(uint value) => value switch
    {
        < 1u << 7 => 1,
        < 1u << 14 => 2,
        < 1u << 21 => 3,
        < 1u << 28 => 4,
        _ => 5,
    };

    /// <summary>Writes an unsigned LEB128 varint (flexible-version lengths and tags).</summary>
    public void WriteUnsignedVarInt(uint value)
    {
        var span = GetSpan(5);
        int i = 0;
        while (value >= 0x80)
        {
            span[i++] = (byte)(value | 0x80);
            value >>= 7;
        }

        span[i++] = (byte)value;
        Advance(i);
    }

    /// <summary>Writes an unsigned LEB128 varlong.</summary>
    public void WriteUnsignedVarLong(ulong value)
    {
        var span = GetSpan(10);
        int i = 0;
        while (value >= 0x80)
        {
            span[i++] = (byte)(value | 0x80);
            value >>= 7;
        }

        span[i++] = (byte)value;
        Advance(i);
    }

    /// <summary>Writes a zigzag-encoded signed varint (record fields).</summary>
    public void WriteVarInt(int value) => WriteUnsignedVarInt((uint)((value << 1) ^ (value >> 31)));

    /// <summary>Writes a zigzag-encoded signed varlong (record fields).</summary>
    public void WriteVarLong(long value) => WriteUnsignedVarLong((ulong)((value << 1) ^ (value >> 63)));

    /// <summary>Writes an int16-length string; null is rejected.</summary>
    public void WriteString(string value)
    {
        if (value is null)
        {
            ThrowHelper.NullString();
        }

        WriteNullableString(value);
    }

    /// <summary>Writes an int16-length string; null is written as length -1.</summary>
    public void WriteNullableString(string? value)
    {
        if (value is null)
        {
            WriteInt16(-1);
            return;
        }

        int length = Utf8.GetByteCount(value);
        if (length > short.MaxValue)
        {
            throw new KafkaProtocolException($"String of {length} UTF-8 bytes exceeds the int16 length limit.", ErrorCode.InvalidRequest);
        }

        WriteInt16((short)length);
        Utf8.GetBytes(value, GetSpan(length));
        Advance(length);
    }

    /// <summary>Writes a compact string (uvarint length + 1); null is rejected.</summary>
    public void WriteCompactString(string value)
    {
        if (value is null)
        {
            ThrowHelper.NullString();
        }

        WriteCompactNullableString(value);
    }

    /// <summary>Writes a compact string (uvarint length + 1); null is written as 0.</summary>
    public void WriteCompactNullableString(string? value)
    {
        if (value is null)
        {
            WriteUnsignedVarInt(0);
            return;
        }

        int length = Utf8.GetByteCount(value);
        WriteUnsignedVarInt((uint)length + 1);
        Utf8.GetBytes(value, GetSpan(length));
        Advance(length);
    }

    /// <summary>Writes int32-length bytes.</summary>
    public void WriteBytes(ReadOnlySpan<byte> value)
    {
        WriteInt32(value.Length);
        WriteRaw(value);
    }

    /// <summary>Writes int32-length bytes; null is written as length -1.</summary>
    public void WriteNullableBytes(ReadOnlyMemory<byte>? value)
    {
        if (value is not { } bytes)
        {
            WriteInt32(-1);
            return;
        }

        if (bytes.Length >= _referenceThreshold)
        {
            WriteInt32(bytes.Length);
            AddReference(bytes);
            return;
        }

        WriteBytes(bytes.Span);
    }

    /// <summary>Writes compact bytes (uvarint length + 1).</summary>
    public void WriteCompactBytes(ReadOnlySpan<byte> value)
    {
        WriteUnsignedVarInt((uint)value.Length + 1);
        WriteRaw(value);
    }

    /// <summary>Writes compact bytes; null is written as 0.</summary>
    public void WriteCompactNullableBytes(ReadOnlyMemory<byte>? value)
    {
        if (value is not { } bytes)
        {
            WriteUnsignedVarInt(0);
            return;
        }

        if (bytes.Length >= _referenceThreshold)
        {
            WriteUnsignedVarInt((uint)bytes.Length + 1);
            AddReference(bytes);
            return;
        }

        WriteCompactBytes(bytes.Span);
    }

    /// <summary>Writes an int32 array count; -1 means null.</summary>
    public void WriteArrayLength(int count)
    {
        if (count < -1)
        {
            throw new ArgumentOutOfRangeException(nameof(count));
        }

        WriteInt32(count);
    }

    /// <summary>Writes a compact array count (uvarint count + 1); -1 means null and is written as 0.</summary>
    public void WriteCompactArrayLength(int count)
    {
        if (count < -1)
        {
            throw new ArgumentOutOfRangeException(nameof(count));
        }

        WriteUnsignedVarInt((uint)(count + 1));
    }

    /// <summary>Writes an empty tag buffer (a single zero byte).</summary>
    public void WriteEmptyTaggedFields() => WriteUnsignedVarInt(0);

    /// <summary>
    /// Starts a tagged field: writes its tag and returns a mark to pass to
    /// <see cref="EndTaggedField"/> once the value is written.
    /// </summary>
    public int BeginTaggedField(int tag)
    {
        WriteUnsignedVarInt((uint)tag);
        return _position;
    }

    /// <summary>Ends a tagged field: inserts its size (uvarint) in front of the value.</summary>
    public void EndTaggedField(int mark) => InsertUnsignedVarInt(mark, (uint)(_position - mark));

    private static void WriteUnsignedVarIntTo(Span<byte> span, uint value)
    {
        int i = 0;
        while (value >= 0x80)
        {
            span[i++] = (byte)(value | 0x80);
            value >>= 7;
        }

        span[i] = (byte)value;
    }
}
