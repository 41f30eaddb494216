using System.Buffers;

namespace AkkaLog.Client.Internal.Network;

/// <summary>
/// A response frame (correlation id onwards). Most frames are plain arrays the parsed response may
/// keep slices of; Fetch frames, the big ones, are rented from the shared pool (a fresh megabyte
/// array per fetch cost page faults and GC) and carried by a <see cref="FrameLease"/>.
/// </summary>
internal readonly record struct ResponseFrame(byte[] Buffer, int Length, bool Pooled)
{
    /// <summary>The frame's bytes.</summary>
    public ReadOnlyMemory<byte> Memory => Buffer.AsMemory(0, Length);

    /// <summary>Gives a pooled frame back (for a response nobody waits for any more).</summary>
    public void ReturnIfPooled()
    {
        if (Pooled) ArrayPool<byte>.Shared.Return(Buffer);
    }
}

/// <summary>
/// Shared ownership of a pooled response frame: every holder of slices into it (the fetcher while it
/// parses, each partition's <c>CompletedFetch</c>) takes a reference and releases it when done; the
/// last release returns the array to the pool. Records handed to the application are copies
/// (deserializers copy), so nothing outside these holders sees the frame.
/// </summary>
internal sealed class FrameLease
{
    private byte[]? _buffer;
    private int _references = 1;

    /// <summary>Owns <paramref name="frame"/>'s array with one reference, the creator's.</summary>
    public FrameLease(ResponseFrame frame) => _buffer = frame.Pooled ? frame.Buffer : null;

    /// <summary>Takes another reference.</summary>
    public FrameLease AddReference()
    {
        Interlocked.Increment(ref _references);
        return this;
    }

    /// <summary>Drops a reference; the last one returns the array.</summary>
    public void Release()
    {
        if (Interlocked.Decrement(ref _references) != 0) return;
        var buffer = Interlocked.Exchange(ref _buffer, null);
        if (buffer is not null) ArrayPool<byte>.Shared.Return(buffer);
    }
}
