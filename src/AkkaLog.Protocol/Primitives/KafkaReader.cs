using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace AkkaLog.Protocol;

/// <summary>
/// Reads Kafka wire primitives (big-endian) from a <see cref="ReadOnlyMemory{T}"/>.
/// </summary>
/// <remarks>
/// A mutable struct: pass it by <c>ref</c>, never copy it, or the copy's position moves instead.
/// Every read checks bounds; the first read past the end throws a
/// <see cref="KafkaProtocolException"/> naming the offset (no <see cref="IndexOutOfRangeException"/>
/// escapes). Byte fields (<see cref="ReadBytes"/> and friends) return slices of the input, so the
/// input memory must outlive them.
/// <code>
/// fixed width   int8 | int16 | int32 | int64 | uint16 | uint32 | float64, all big-endian
/// bool          1 byte, non-zero = true
/// uuid          16 bytes, most significant byte first
/// string        int16 length (-1 = null) + UTF-8
/// compact       uvarint (length + 1, 0 = null) + bytes
/// bytes         int32 length (-1 = null) + bytes
/// array         int32 count (-1 = null) | compact: uvarint (count + 1)
/// tag buffer    uvarint count, then per field: uvarint tag, uvarint size, size bytes
/// </code>
/// </remarks>
public partial struct KafkaReader
{
    private readonly ReadOnlyMemory<byte> _buffer;
    private int _position;

    /// <summary>Creates a reader positioned at the start of <paramref name="buffer"/>.</summary>
    public KafkaReader(ReadOnlyMemory<byte> buffer)
    {
        _buffer = buffer;
        _position = 0;
    }

    /// <summary>Creates a reader over a byte array.</summary>
    public KafkaReader(byte[] buffer)
        : this(new ReadOnlyMemory<byte>(buffer))
    {
    }

    /// <summary>The whole input.</summary>
    public readonly ReadOnlyMemory<byte> Buffer => _buffer;

    /// <summary>Offset of the next byte to read.</summary>
    public readonly int Position => _position;

    /// <summary>Total input length.</summary>
    public readonly int Length => _buffer.Length;

    /// <summary>Bytes left to read.</summary>
    public readonly int Remaining => _buffer.Length - _position;

    /// <summary>True when every byte has been read.</summary>
    public readonly bool IsAtEnd => _position >= _buffer.Length;

    /// <summary>The unread part of the input.</summary>
    public readonly ReadOnlyMemory<byte> RemainingMemory => _buffer.Slice(_position);

    /// <summary>Reads a signed 8-bit integer.</summary>
    public sbyte ReadInt8() => (sbyte)Take(1)[0];

    /// <summary>Reads a big-endian signed 16-bit integer.</summary>
    public short ReadInt16() => BinaryPrimitives.ReadInt16BigEndian(Take(2));

    /// <summary>Reads a big-endian unsigned 16-bit integer.</summary>
    public ushort ReadUInt16() => BinaryPrimitives.ReadUInt16BigEndian(Take(2));

    /// <summary>Reads a big-endian signed 32-bit integer.</summary>
    public int ReadInt32() => BinaryPrimitives.ReadInt32BigEndian(Take(4));

    /// <summary>Reads a big-endian unsigned 32-bit integer.</summary>
    public uint ReadUInt32() => BinaryPrimitives.ReadUInt32BigEndian(Take(4));

    /// <summary>Reads a big-endian signed 64-bit integer.</summary>
    public long ReadInt64() => BinaryPrimitives.ReadInt64BigEndian(Take(8));

    /// <summary>Reads a big-endian IEEE 754 double.</summary>
    public double ReadFloat64() => BinaryPrimitives.ReadDoubleBigEndian(Take(8));

    /// <summary>Reads a boolean (one byte, non-zero = true).</summary>
    public bool ReadBool() => Take(1)[0] != 0;

    /// <summary>
    /// Reads a 16-byte UUID. Bytes map to the <see cref="Guid"/> in big-endian order, so writing
    /// it back with <see cref="KafkaWriter.WriteUuid"/> reproduces the exact input bytes.
    /// </summary>
    public Guid ReadUuid() => new(Take(16), bigEndian: true);

    /// <summary>Returns the next <paramref name="count"/> bytes as a slice (no copy).</summary>
    public ReadOnlyMemory<byte> ReadRaw(int count)
    {
        if (count < 0)
        {
            ThrowHelper.InvalidLength("raw", count, _position);
        }

        EnsureAvailable(count);
        var slice = _buffer.Slice(_position, count);
        _position += count;
        return slice;
    }

    /// <summary>Skips <paramref name="count"/> bytes.</summary>
    public void Skip(int count)
    {
        if (count < 0)
        {
            ThrowHelper.InvalidLength("skip", count, _position);
        }

        EnsureAvailable(count);
        _position += count;
    }

    /// <summary>Throws unless every byte of the input has been read.</summary>
    public readonly void EnsureAtEnd()
    {
        if (_position != _buffer.Length)
        {
            throw new KafkaProtocolException(
                $"{_buffer.Length - _position} unexpected trailing byte(s) at offset {_position}.");
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private ReadOnlySpan<byte> Take(int count)
    {
        var span = _buffer.Span;
        if (span.Length - _position < count)
        {
            ThrowHelper.ShortRead(count, _position, span.Length - _position);
        }

        var result = span.Slice(_position, count);
        _position += count;
        return result;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private readonly void EnsureAvailable(int count)
    {
        if (_buffer.Length - _position < count)
        {
            ThrowHelper.ShortRead(count, _position, _buffer.Length - _position);
        }
    }
}
