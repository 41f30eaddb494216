using AkkaLog.Protocol.Records;
using Microsoft.Win32.SafeHandles;

namespace AkkaLog.Storage.Internal;

/// <summary>
/// Walks the batch headers of a segment file from a batch boundary up to an end position, reading the
/// file through a caller-provided window so that a scan of small batches costs a few reads, not one
/// per batch. It trusts the framing (the log only serves bytes it validated or wrote itself) but stops
/// at a header that does not fit before the end rather than reading past it.
/// </summary>
internal ref struct BatchWalker
{
    private readonly SafeFileHandle _handle;
    private readonly long _end;
    private readonly Span<byte> _window;
    private long _windowStart;
    private int _windowLength;

    public BatchWalker(SafeFileHandle handle, long start, long end, Span<byte> window)
    {
        _handle = handle;
        _end = end;
        _window = window;
        Position = start;
        _windowStart = -1;
    }

    /// <summary>Position of the batch <see cref="TryRead"/> returns next.</summary>
    public long Position { get; private set; }

    /// <summary>Reads the header at <see cref="Position"/> and moves past its batch; false at the end.</summary>
    public bool TryRead(out RecordBatchHeader header, out long batchPosition)
    {
        header = default;
        batchPosition = Position;
        if (Position + RecordBatchHeader.Size > _end) return false;
        if (_windowStart < 0 || Position < _windowStart || Position + RecordBatchHeader.Size > _windowStart + _windowLength)
        {
            int want = (int)Math.Min(_window.Length, _end - Position);
            _windowLength = FileIo.ReadAtLeast(_handle, _window[..want], Position);
            _windowStart = Position;
            if (_windowLength < RecordBatchHeader.Size) return false;
        }
        header = RecordBatchHeader.Read(_window.Slice((int)(Position - _windowStart), RecordBatchHeader.Size));
        if (header.BatchLength < RecordBatchHeader.Size - RecordBatchHeader.LogOverhead || Position + header.TotalSize > _end)
            return false;
        Position += header.TotalSize;
        return true;
    }
}
