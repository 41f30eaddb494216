using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace AkkaLog.Protocol;

/// <summary>
/// Writes Kafka wire primitives (big-endian) into a growable buffer rented from an
/// <see cref="ArrayPool{T}"/>. Same encodings as <see cref="KafkaReader"/>.
/// </summary>
/// <remarks>
/// Not thread-safe. <see cref="WrittenMemory"/> and <see cref="WrittenSpan"/> stay valid until
/// the next write (which may move the buffer), <see cref="Reset"/> or <see cref="Dispose"/>.
/// Size prefixes: <see cref="ReserveInt32"/> before the body, <see cref="PatchInt32"/> after.
/// </remarks>
public sealed partial class KafkaWriter : IBufferWriter<byte>, IDisposable
{
    private const int DefaultCapacity = 256;
    private readonly ArrayPool<byte> _pool;
    private byte[] _buffer;
    private int _position;

    /// <summary>Creates a writer renting from <see cref="ArrayPool{T}.Shared"/> unless a pool is given.</summary>
    public KafkaWriter(int initialCapacity = DefaultCapacity, ArrayPool<byte>? pool = null)
    {
        _pool = pool ?? ArrayPool<byte>.Shared;
        _buffer = _pool.Rent(Math.Max(initialCapacity, 16));
    }

    /// <summary>Number of bytes written so far (also the offset of the next byte).</summary>
    public int Position => _position + _referencedBytes;

    /// <summary>The bytes written so far.</summary>
    public ReadOnlyMemory<byte> WrittenMemory
    {
        get
        {
            ThrowIfReferenced();
            return new(_buffer, 0, _position);
        }
    }

    /// <summary>The bytes written so far.</summary>
    public ReadOnlySpan<byte> WrittenSpan
    {
        get
        {
            ThrowIfReferenced();
            return new(_buffer, 0, _position);
        }
    }

    /// <summary>Copies the written bytes into a new array.</summary>
    public byte[] ToArray() => WrittenSpan.ToArray();

    /// <summary>Forgets everything written; keeps the buffer.</summary>
    public void Reset()
    {
        _position = 0;
        ForgetReferences();
    }

    /// <summary>Returns the buffer to the pool. The writer must not be used afterwards.</summary>
    public void Dispose()
    {
        var buffer = _buffer;
        _buffer = Array.Empty<byte>();
        _position = 0;
        ForgetReferences();
        if (buffer.Length > 0)
        {
            _pool.Return(buffer);
        }
    }

    /// <summary>Writes a signed 8-bit integer.</summary>
    public void WriteInt8(sbyte value) => Grow(1)[0] = (byte)value;

    /// <summary>Writes a big-endian signed 16-bit integer.</summary>
    public void WriteInt16(short value) => BinaryPrimitives.WriteInt16BigEndian(Grow(2), value);

    /// <summary>Writes a big-endian unsigned 16-bit integer.</summary>
    public void WriteUInt16(ushort value) => BinaryPrimitives.WriteUInt16BigEndian(Grow(2), value);

    /// <summary>Writes a big-endian signed 32-bit integer.</summary>
    public void WriteInt32(int value) => BinaryPrimitives.WriteInt32BigEndian(Grow(4), value);

    /// <summary>Writes a big-endian unsigned 32-bit integer.</summary>
    public void WriteUInt32(uint value) => BinaryPrimitives.WriteUInt32BigEndian(Grow(4), value);

    /// <summary>Writes a big-endian signed 64-bit integer.</summary>
    public void WriteInt64(long value) => BinaryPrimitives.WriteInt64BigEndian(Grow(8), value);

    /// <summary>Writes a big-endian IEEE 754 double.</summary>
    public void WriteFloat64(double value) => BinaryPrimitives.WriteDoubleBigEndian(Grow(8), value);

    /// <summary>Writes a boolean as one byte (1 or 0).</summary>
    public void WriteBool(bool value) => Grow(1)[0] = value ? (byte)1 : (byte)0;

    /// <summary>Writes a UUID as 16 bytes, most significant first (see <see cref="KafkaReader.ReadUuid"/>).</summary>
    public void WriteUuid(Guid value) => value.TryWriteBytes(Grow(16), bigEndian: true, out _);

    /// <summary>Writes bytes as they are, with no length prefix.</summary>
    public void WriteRaw(ReadOnlySpan<byte> value) => value.CopyTo(Grow(value.Length));

    /// <summary>Writes an int32 placeholder (for a size prefix) and returns its offset.</summary>
    public int ReserveInt32()
    {
        int position = _position;
        WriteInt32(0);
        return position;
    }

    /// <summary>Overwrites the int32 at <paramref name="position"/> (from <see cref="ReserveInt32"/>).</summary>
    public void PatchInt32(int position, int value)
    {
        position = ToBufferOffset(position);
        if ((uint)position > (uint)(_position - 4))
        {
            throw new ArgumentOutOfRangeException(nameof(position));
        }

        BinaryPrimitives.WriteInt32BigEndian(_buffer.AsSpan(position, 4), value);
    }

    /// <summary>
    /// Inserts an unsigned varint at <paramref name="position"/>, moving the bytes after it.
    /// Used for the size of a tagged field, which is only known after its value is written.
    /// </summary>
    public void InsertUnsignedVarInt(int position, uint value)
    {
        if (HasReferences) throw new InvalidOperationException("cannot insert into a frame with bytes written by reference");
        if ((uint)position > (uint)_position)
        {
            throw new ArgumentOutOfRangeException(nameof(position));
        }

        int size = UnsignedVarIntSize(value);
        int tail = _position - position;
        Grow(size);
        Buffer.BlockCopy(_buffer, position, _buffer, position + size, tail);
        WriteUnsignedVarIntTo(_buffer.AsSpan(position, size), value);
    }

    /// <inheritdoc />
    public void Advance(int count)
    {
        if (count < 0 || _position + count > _buffer.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(count));
        }

        _position += count;
    }

    /// <inheritdoc />
    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        EnsureCapacity(Math.Max(sizeHint, 1));
        return _buffer.AsMemory(_position);
    }

    /// <inheritdoc />
    public Span<byte> GetSpan(int sizeHint = 0)
    {
        EnsureCapacity(Math.Max(sizeHint, 1));
        return _buffer.AsSpan(_position);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private Span<byte> Grow(int count)
    {
        if (_buffer.Length - _position < count)
        {
            Resize(count);
        }

        var span = _buffer.AsSpan(_position, count);
        _position += count;
        return span;
    }

    private void EnsureCapacity(int count)
    {
        if (_buffer.Length - _position < count)
        {
            Resize(count);
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void Resize(int needed)
    {
        ObjectDisposedException.ThrowIf(IsDisposed, this);
        long required = (long)_position + needed;
        if (required > Array.MaxLength)
        {
            throw new InvalidOperationException("KafkaWriter buffer would exceed the maximum array length.");
        }

        int newSize = (int)Math.Min(Array.MaxLength, Math.Max(required, Math.Max(_buffer.Length * 2L, DefaultCapacity)));
        byte[] next = _pool.Rent(newSize);
        _buffer.AsSpan(0, _position).CopyTo(next);
        _pool.Return(_buffer);
        _buffer = next;
    }

    private bool IsDisposed => ReferenceEquals(_buffer, Array.Empty<byte>());
}
