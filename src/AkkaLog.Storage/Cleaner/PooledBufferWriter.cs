using System.Buffers;

namespace AkkaLog.Storage.Cleaner;

/// <summary>
/// A growable <see cref="IBufferWriter{T}"/> over an <see cref="ArrayPool{T}"/> array that is kept across
/// <see cref="Reset"/>s, so the cleaner reuses the same few buffers for every batch. Dispose returns the array.
/// </summary>
internal sealed class PooledBufferWriter(int initialCapacity) : IBufferWriter<byte>, IDisposable
{
    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(Math.Max(initialCapacity, 256));

    /// <summary>Bytes written since the last <see cref="Reset"/>.</summary>
    public int WrittenCount { get; private set; }

    /// <summary>The bytes written, writable so that a header can be patched after its payload.</summary>
    public Span<byte> WrittenSpan => _buffer.AsSpan(0, WrittenCount);

    /// <summary>Forgets what was written; keeps the array.</summary>
    public void Reset() => WrittenCount = 0;

    /// <inheritdoc />
    public void Advance(int count)
    {
        if (count < 0 || WrittenCount + count > _buffer.Length) throw new ArgumentOutOfRangeException(nameof(count));
        WrittenCount += count;
    }

    /// <inheritdoc />
    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _buffer.AsMemory(WrittenCount);
    }

    /// <inheritdoc />
    public Span<byte> GetSpan(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _buffer.AsSpan(WrittenCount);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        var buffer = _buffer;
        _buffer = [];
        if (buffer.Length > 0) ArrayPool<byte>.Shared.Return(buffer);
    }

    private void Ensure(int sizeHint)
    {
        int want = Math.Max(sizeHint, 1);
        if (_buffer.Length - WrittenCount >= want) return;
        long size = Math.Max((long)_buffer.Length * 2, (long)WrittenCount + want);
        var bigger = ArrayPool<byte>.Shared.Rent((int)Math.Min(size, Array.MaxLength));
        _buffer.AsSpan(0, WrittenCount).CopyTo(bigger);
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = bigger;
    }
}
