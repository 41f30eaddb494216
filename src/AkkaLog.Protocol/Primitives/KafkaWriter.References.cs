using System.Runtime.InteropServices;

namespace AkkaLog.Protocol;

public sealed partial class KafkaWriter
{
    // Large bytes fields written by reference (see WriteLargeBytesByReference): where each sits in our
    // own buffer, and the caller's memory that goes there. Null until the first one.
    private List<(int At, ReadOnlyMemory<byte> Bytes)>? _references;
    private int _referencedBytes;
    private int _referenceThreshold = int.MaxValue;

    /// <summary>
    /// From now on, bytes fields of at least <paramref name="minBytes"/> (a produce request's record
    /// batches) are not copied: the writer keeps a reference, counts them in <see cref="Position"/>, and
    /// <see cref="GetSegments"/> hands them to a gather write next to the writer's own bytes. The caller's
    /// memory must stay unchanged until the frame is sent. <see cref="WrittenSpan"/>, <see cref="WrittenMemory"/>
    /// and <see cref="ToArray"/> then refuse, since the bytes are not in one buffer.
    /// </summary>
    public void WriteLargeBytesByReference(int minBytes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(minBytes, 1);
        _referenceThreshold = minBytes;
    }

    /// <summary>True when some bytes were written by reference (see <see cref="WriteLargeBytesByReference"/>).</summary>
    public bool HasReferences => _references is { Count: > 0 };

    /// <summary>
    /// Adds the written frame to <paramref name="segments"/> in order: the writer's own bytes and, between
    /// them, the fields written by reference. Referenced memory must be array-backed.
    /// </summary>
    public void GetSegments(List<ArraySegment<byte>> segments)
    {
        int from = 0;
        foreach (var (at, bytes) in _references ?? [])
        {
            if (at > from) segments.Add(new ArraySegment<byte>(_buffer, from, at - from));
            if (!MemoryMarshal.TryGetArray(bytes, out var array))
                throw new InvalidOperationException("bytes written by reference must be backed by an array");
            segments.Add(array);
            from = at;
        }
        if (_position > from) segments.Add(new ArraySegment<byte>(_buffer, from, _position - from));
    }

    /// <summary>Keeps <paramref name="bytes"/> by reference at the current end of our own bytes.</summary>
    private void AddReference(ReadOnlyMemory<byte> bytes)
    {
        (_references ??= new()).Add((_position, bytes));
        _referencedBytes += bytes.Length;
    }

    /// <summary>Our buffer's offset for a logical <paramref name="position"/> (one that counts referenced bytes).</summary>
    private int ToBufferOffset(int position)
    {
        if (_references is null) return position;
        int referencedBefore = 0;
        foreach (var (at, bytes) in _references)
        {
            int logicalStart = at + referencedBefore;
            if (position <= logicalStart) break; // at or before these bytes: not moved by them
            if (position < logicalStart + bytes.Length)
                throw new ArgumentOutOfRangeException(nameof(position), "the position lies inside bytes written by reference");
            referencedBefore += bytes.Length;
        }
        return position - referencedBefore;
    }

    private void ThrowIfReferenced()
    {
        if (_references is { Count: > 0 })
            throw new InvalidOperationException("some bytes were written by reference: send the frame with GetSegments");
    }

    private void ForgetReferences()
    {
        _references?.Clear();
        _referencedBytes = 0;
    }
}
