using System.Buffers;

namespace AkkaLog.Storage;

/// <summary>Outcome of a <see cref="PartitionLog.Read"/>.</summary>
public enum LogReadStatus
{
    /// <summary>The offset is in range; <see cref="LogReadResult.Records"/> may still be empty.</summary>
    Ok,
    /// <summary>The offset is below the log start offset or above the log end offset (Kafka's OFFSET_OUT_OF_RANGE).</summary>
    OffsetOutOfRange,
}

/// <summary>
/// Stored batches returned by a read, byte for byte as appended, in a buffer rented from
/// <see cref="ArrayPool{T}.Shared"/>: dispose the result once the bytes are sent (exactly once; the
/// memory must not be used afterwards). Carries the offsets a fetch response needs.
/// </summary>
public sealed class LogReadResult : IDisposable
{
    private byte[]? _buffer;
    private readonly int _length;

    internal LogReadResult(LogReadStatus status, byte[]? buffer, int length, long firstOffset, long nextOffset,
        long logStartOffset, long logEndOffset)
    {
        Status = status;
        _buffer = buffer;
        _length = length;
        FirstOffset = firstOffset;
        NextOffset = nextOffset;
        LogStartOffset = logStartOffset;
        LogEndOffset = logEndOffset;
    }

    /// <summary>Whether the offset was in range.</summary>
    public LogReadStatus Status { get; }

    /// <summary>Whole record batches, possibly none.</summary>
    public ReadOnlyMemory<byte> Records => _buffer is null ? ReadOnlyMemory<byte>.Empty : _buffer.AsMemory(0, _length);

    /// <summary>Base offset of the first batch returned, or -1 when none.</summary>
    public long FirstOffset { get; }

    /// <summary>Offset after the last batch returned; the requested offset when none.</summary>
    public long NextOffset { get; }

    /// <summary>The log start offset when the read began.</summary>
    public long LogStartOffset { get; }

    /// <summary>The log end offset when the read began.</summary>
    public long LogEndOffset { get; }

    /// <summary>True when no batch was returned.</summary>
    public bool IsEmpty => _length == 0;

    internal static LogReadResult Empty(long offset, long logStartOffset, long logEndOffset) =>
        new(LogReadStatus.Ok, null, 0, -1, offset, logStartOffset, logEndOffset);

    internal static LogReadResult OutOfRange(long offset, long logStartOffset, long logEndOffset) =>
        new(LogReadStatus.OffsetOutOfRange, null, 0, -1, offset, logStartOffset, logEndOffset);

    /// <summary>Returns the buffer to the pool.</summary>
    public void Dispose()
    {
        var buffer = Interlocked.Exchange(ref _buffer, null);
        if (buffer is not null) ArrayPool<byte>.Shared.Return(buffer);
    }
}
