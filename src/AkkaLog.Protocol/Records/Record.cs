namespace AkkaLog.Protocol.Records;

/// <summary>
/// One record inside a batch, as views into the batch's (decompressed) records section.
/// <code>
/// length varint | attributes int8 | timestampDelta varlong | offsetDelta varint |
/// keyLength varint (-1 = null) | key | valueLength varint (-1 = null) | value |
/// headerCount varint | (headerKeyLength varint | key | headerValueLength varint | value)*
/// </code>
/// </summary>
public readonly ref struct Record
{
    /// <summary>Offset relative to the batch's base offset.</summary>
    public int OffsetDelta { get; init; }
    /// <summary>Timestamp relative to the batch's base timestamp.</summary>
    public long TimestampDelta { get; init; }
    /// <summary>Key bytes; see <see cref="KeyIsNull"/>.</summary>
    public ReadOnlySpan<byte> Key { get; init; }
    /// <summary>True when the key is null (length -1), as opposed to empty.</summary>
    public bool KeyIsNull { get; init; }
    /// <summary>Value bytes; see <see cref="ValueIsNull"/>.</summary>
    public ReadOnlySpan<byte> Value { get; init; }
    /// <summary>True for a tombstone (value length -1).</summary>
    public bool ValueIsNull { get; init; }
    /// <summary>The encoded headers section (count then entries), walk it with <see cref="RecordHeaderReader"/>.</summary>
    public ReadOnlySpan<byte> Headers { get; init; }
    /// <summary>Number of headers.</summary>
    public int HeaderCount { get; init; }
}
