using System.Buffers;

namespace AkkaLog.Broker.Network;

/// <summary>
/// One request frame (without its size prefix) copied into a pooled array, so decoded fields such
/// as record batches can be zero-copy slices that outlive the pipe's buffer. Returned to the pool
/// once the response has been written.
/// </summary>
internal sealed class RequestFrame : IDisposable
{
    private byte[]? _buffer;

    public RequestFrame(in ReadOnlySequence<byte> payload)
    {
        Length = (int)payload.Length;
        _buffer = ArrayPool<byte>.Shared.Rent(Math.Max(Length, 1));
        payload.CopyTo(_buffer);
    }

    public int Length { get; }

    public Memory<byte> Memory => _buffer is { } b ? b.AsMemory(0, Length) : throw new ObjectDisposedException(nameof(RequestFrame));

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _buffer, null) is { } b) ArrayPool<byte>.Shared.Return(b);
    }
}
