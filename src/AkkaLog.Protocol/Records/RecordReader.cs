namespace AkkaLog.Protocol.Records;

/// <summary>
/// Walks the records of an uncompressed records section without allocating. Returns false from
/// <see cref="TryReadNext"/> at the end; <see cref="IsCorrupt"/> tells whether it stopped early
/// because the encoding did not parse.
/// </summary>
public ref struct RecordReader
{
    private readonly ReadOnlySpan<byte> _data;
    private int _position;

    /// <summary>Starts at the first record of <paramref name="records"/> (the bytes after the 61-byte header, decompressed).</summary>
    public RecordReader(ReadOnlySpan<byte> records)
    {
        _data = records;
        _position = 0;
    }

    /// <summary>True if a record did not parse; reading stops there.</summary>
    public bool IsCorrupt { get; private set; }

    /// <summary>True when every byte has been consumed by whole records.</summary>
    public readonly bool AtEnd => _position == _data.Length;

    /// <summary>
    /// Where the next record starts in the records section. Read before and after <see cref="TryReadNext"/>
    /// to get a record's whole encoding (length prefix included), e.g. to copy it unchanged into another batch.
    /// </summary>
    public readonly int Position => _position;

    /// <summary>Reads the next record.</summary>
    public bool TryReadNext(out Record record)
    {
        record = default;
        if (IsCorrupt || _position >= _data.Length) return false;
        int p = _position;
        if (!ZigZag.TryReadInt32(_data, ref p, out int length) || length < 0 || length > _data.Length - p)
            return Fail();
        int end = p + length;
        var body = _data[..end];
        if (p >= end) return Fail();
        p++; // attributes: unused in v2
        if (!ZigZag.TryReadInt64(body, ref p, out long timestampDelta)) return Fail();
        if (!ZigZag.TryReadInt32(body, ref p, out int offsetDelta)) return Fail();
        if (!TryReadNullable(body, ref p, out var key, out bool keyNull)) return Fail();
        if (!TryReadNullable(body, ref p, out var value, out bool valueNull)) return Fail();
        if (!ZigZag.TryReadInt32(body, ref p, out int headerCount) || headerCount < 0) return Fail();
        int headersStart = p;
        for (int i = 0; i < headerCount; i++)
        {
            if (!TryReadNullable(body, ref p, out _, out bool headerKeyNull) || headerKeyNull) return Fail();
            if (!TryReadNullable(body, ref p, out _, out _)) return Fail();
        }
        if (p != end) return Fail();
        record = new Record
        {
            OffsetDelta = offsetDelta,
            TimestampDelta = timestampDelta,
            Key = key,
            KeyIsNull = keyNull,
            Value = value,
            ValueIsNull = valueNull,
            Headers = body[headersStart..end],
            HeaderCount = headerCount,
        };
        _position = end;
        return true;
    }

    internal static bool TryReadNullable(ReadOnlySpan<byte> data, scoped ref int p, out ReadOnlySpan<byte> bytes, out bool isNull)
    {
        bytes = default;
        isNull = false;
        if (!ZigZag.TryReadInt32(data, ref p, out int len)) return false;
        if (len == -1) { isNull = true; return true; }
        if (len < 0 || len > data.Length - p) return false;
        bytes = data.Slice(p, len);
        p += len;
        return true;
    }

    private bool Fail()
    {
        IsCorrupt = true;
        return false;
    }
}
