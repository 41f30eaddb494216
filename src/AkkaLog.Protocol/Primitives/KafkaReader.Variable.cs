using System.Text;

namespace AkkaLog.Protocol;

/// <summary>Variable-length primitives: varints, strings, bytes, array lengths, tag buffers.</summary>
public partial struct KafkaReader
{
    /// <summary>Reads an unsigned LEB128 varint of at most 5 bytes (flexible-version lengths and tags).</summary>
    public uint ReadUnsignedVarInt()
    {
        var span = _buffer.Span;
        uint value = 0;
        for (int i = 0, shift = 0; i < 5; i++, shift += 7)
        {
            if (_position >= span.Length)
            {
                ThrowHelper.ShortRead(1, _position, 0);
            }

            byte b = span[_position++];
            value |= (uint)(b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                return value;
            }
        }

        ThrowHelper.VarIntTooLong(5, _position);
        return 0;
    }

    /// <summary>Reads an unsigned LEB128 varlong of at most 10 bytes.</summary>
    public ulong ReadUnsignedVarLong()
    {
        var span = _buffer.Span;
        ulong value = 0;
        for (int i = 0, shift = 0; i < 10; i++, shift += 7)
        {
            if (_position >= span.Length)
            {
                ThrowHelper.ShortRead(1, _position, 0);
            }

            byte b = span[_position++];
            value |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                return value;
            }
        }

        ThrowHelper.VarIntTooLong(10, _position);
        return 0;
    }

    /// <summary>Reads a zigzag-encoded signed varint (record fields).</summary>
    public int ReadVarInt()
    {
        uint raw = ReadUnsignedVarInt();
        return (int)(raw >> 1) ^ -(int)(raw & 1);
    }

    /// <summary>Reads a zigzag-encoded signed varlong (record fields).</summary>
    public long ReadVarLong()
    {
        ulong raw = ReadUnsignedVarLong();
        return (long)(raw >> 1) ^ -(long)(raw & 1);
    }

    /// <summary>Reads an int16-length string; throws on null.</summary>
    public string ReadString() =>
        ReadNullableString() ?? throw new KafkaProtocolException($"Null string where a non-null one is required (before offset {_position}).");

    /// <summary>Reads an int16-length string; length -1 means null.</summary>
    public string? ReadNullableString()
    {
        int start = _position;
        short length = ReadInt16();
        if (length < 0)
        {
            if (length != -1)
            {
                ThrowHelper.InvalidLength("string", length, start);
            }

            return null;
        }

        return DecodeUtf8(length);
    }

    /// <summary>Reads a compact (uvarint length + 1) string; throws on null.</summary>
    public string ReadCompactString() =>
        ReadCompactNullableString() ?? throw new KafkaProtocolException($"Null compact string where a non-null one is required (before offset {_position}).");

    /// <summary>Reads a compact (uvarint length + 1) string; 0 means null.</summary>
    public string? ReadCompactNullableString()
    {
        int length = ReadCompactLength("compact string");
        return length < 0 ? null : DecodeUtf8(length);
    }

    /// <summary>Reads int32-length bytes as a slice of the input; throws on null.</summary>
    public ReadOnlyMemory<byte> ReadBytes() =>
        ReadNullableBytes() ?? throw new KafkaProtocolException($"Null bytes where non-null ones are required (before offset {_position}).");

    /// <summary>Reads int32-length bytes as a slice of the input; length -1 means null.</summary>
    public ReadOnlyMemory<byte>? ReadNullableBytes()
    {
        int length = ReadArrayLengthCore("bytes", requireElementBytes: true);
        return length < 0 ? (ReadOnlyMemory<byte>?)null : ReadRaw(length);
    }

    /// <summary>Reads compact bytes as a slice of the input; throws on null.</summary>
    public ReadOnlyMemory<byte> ReadCompactBytes() =>
        ReadCompactNullableBytes() ?? throw new KafkaProtocolException($"Null compact bytes where non-null ones are required (before offset {_position}).");

    /// <summary>Reads compact bytes as a slice of the input; 0 means null.</summary>
    public ReadOnlyMemory<byte>? ReadCompactNullableBytes()
    {
        int length = ReadCompactLength("compact bytes");
        return length < 0 ? (ReadOnlyMemory<byte>?)null : ReadRaw(length);
    }

    /// <summary>
    /// Reads an int32 array count: -1 means null. Counts above the bytes left are rejected,
    /// which bounds what a hostile count can make the caller allocate.
    /// </summary>
    public int ReadArrayLength() => ReadArrayLengthCore("array", requireElementBytes: true);

    /// <summary>Reads a compact array count (uvarint count + 1): returns -1 for null.</summary>
    public int ReadCompactArrayLength() => ReadCompactLength("compact array");

    /// <summary>Reads the count of a tag buffer.</summary>
    public int ReadTagCount() => ReadCompactLengthValue("tag count", ReadUnsignedVarInt());

    /// <summary>Reads a tagged field's tag number.</summary>
    public int ReadTag()
    {
        int start = _position;
        uint tag = ReadUnsignedVarInt();
        if (tag > int.MaxValue)
        {
            ThrowHelper.InvalidLength("tag", tag, start);
        }

        return (int)tag;
    }

    /// <summary>Reads a tagged field's size and checks it fits in the input.</summary>
    public int ReadTagSize() => ReadCompactLengthValue("tagged field", ReadUnsignedVarInt());

    /// <summary>Reads a whole tag buffer, skipping every field in it.</summary>
    public void SkipTaggedFields()
    {
        int count = ReadTagCount();
        for (int i = 0; i < count; i++)
        {
            ReadTag();
            Skip(ReadTagSize());
        }
    }

    /// <summary>Throws unless the tagged field <paramref name="tag"/> ended exactly at <paramref name="end"/>.</summary>
    public readonly void EnsureTaggedFieldEnd(int end, int tag)
    {
        if (_position != end)
        {
            throw new KafkaProtocolException(
                $"Tagged field {tag} ended at offset {_position}, but its size said {end}.");
        }
    }

    private int ReadCompactLength(string what)
    {
        int start = _position;
        uint raw = ReadUnsignedVarInt();
        if (raw == 0)
        {
            return -1;
        }

        uint length = raw - 1;
        if (length > (uint)Remaining)
        {
            ThrowHelper.InvalidLength(what, length, start);
        }

        return (int)length;
    }

    private int ReadCompactLengthValue(string what, uint value)
    {
        if (value > (uint)Remaining)
        {
            ThrowHelper.InvalidLength(what, value, _position);
        }

        return (int)value;
    }

    private int ReadArrayLengthCore(string what, bool requireElementBytes)
    {
        int start = _position;
        int length = ReadInt32();
        if (length < -1 || (requireElementBytes && length > Remaining))
        {
            ThrowHelper.InvalidLength(what, length, start);
        }

        return length;
    }

    private string DecodeUtf8(int length)
    {
        if (length == 0)
        {
            return string.Empty;
        }

        var span = _buffer.Span;
        if (span.Length - _position < length)
        {
            ThrowHelper.InvalidLength("string", length, _position);
        }

        string value = Encoding.UTF8.GetString(span.Slice(_position, length));
        _position += length;
        return value;
    }
}
