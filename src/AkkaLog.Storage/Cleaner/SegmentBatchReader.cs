using System.Buffers;
using AkkaLog.Protocol.Records;

namespace AkkaLog.Storage.Cleaner;

/// <summary>
/// Reads a segment's batches in file order through one reused buffer (<see cref="CleanerConfig.IoBufferSize"/>,
/// grown for a bigger batch), checking each batch's framing, magic and CRC-32C: the cleaner rewrites batches
/// with a fresh CRC, so it must not launder a corrupt one. Reads are reported to the <see cref="Throttler"/>.
/// A segment that ends mid-batch or fails a check throws <see cref="InvalidDataException"/>.
/// One thread at a time.
/// </summary>
internal sealed class SegmentBatchReader(int bufferSize, Throttler throttler) : IDisposable
{
    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(Math.Max(bufferSize, RecordBatchHeader.Size));
    private LogSegment? _segment;
    private long _bufferPosition; // file position of _buffer[0]
    private int _length;          // valid bytes in _buffer
    private int _at;              // next batch in _buffer
    private long _end;

    /// <summary>Bytes read from files so far.</summary>
    public long BytesRead { get; private set; }

    /// <summary>Starts reading <paramref name="segment"/> at the batch boundary <paramref name="position"/>, up to <paramref name="end"/>.</summary>
    public void Start(LogSegment segment, long position, long end)
    {
        _segment = segment;
        _bufferPosition = position;
        _length = 0;
        _at = 0;
        _end = end;
    }

    /// <summary>The next whole batch, or false at the end. The span is valid until the next call.</summary>
    public bool TryNext(out RecordBatchHeader header, out ReadOnlySpan<byte> batch, CancellationToken cancellationToken)
    {
        header = default;
        batch = default;
        long position = _bufferPosition + _at;
        if (position >= _end) return false;
        if (_end - position < RecordBatchHeader.Size) throw Corrupt(position, "a partial batch header");
        if (_length - _at < RecordBatchHeader.Size) Fill(position, RecordBatchHeader.Size, cancellationToken);
        var (_, batchLength) = RecordBatchHeader.ReadLogEntryPrefix(_buffer.AsSpan(_at));
        long total = (long)batchLength + RecordBatchHeader.LogOverhead;
        if (total < RecordBatchHeader.Size || position + total > _end) throw Corrupt(position, $"a batch length of {batchLength}");
        if (_length - _at < total) Fill(position, (int)total, cancellationToken);
        var span = _buffer.AsSpan(_at, (int)total);
        header = RecordBatchHeader.Read(span);
        if (header.Magic != RecordBatchHeader.CurrentMagic || header.Crc != RecordBatchHeader.ComputeCrc(span))
            throw Corrupt(position, "a bad magic or CRC");
        _at += (int)total;
        batch = span;
        return true;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        var buffer = _buffer;
        _buffer = [];
        if (buffer.Length > 0) ArrayPool<byte>.Shared.Return(buffer);
    }

    // Refills the buffer from the file so that it starts at position and holds at least need bytes.
    private void Fill(long position, int need, CancellationToken cancellationToken)
    {
        if (need > _buffer.Length)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = ArrayPool<byte>.Shared.Rent(need);
        }
        int want = (int)Math.Min(_buffer.Length, _end - position);
        int read = _segment!.ReadAt(_buffer.AsSpan(0, want), position);
        BytesRead += read;
        throttler.MaybeThrottle(read, cancellationToken);
        _bufferPosition = position;
        _length = read;
        _at = 0;
        if (read < need) throw Corrupt(position, "the end of the file");
    }

    private InvalidDataException Corrupt(long position, string what) =>
        new($"segment {_segment!.BaseOffset} of {_segment.Directory}: {what} at position {position}");
}
