namespace AkkaLog.Protocol.Records;

/// <summary>Walks the headers of a <see cref="Record"/> (already validated by <see cref="RecordReader"/>).</summary>
public ref struct RecordHeaderReader
{
    private readonly ReadOnlySpan<byte> _data;
    private int _position;

    /// <summary>Reads from a record's <see cref="Record.Headers"/>.</summary>
    public RecordHeaderReader(ReadOnlySpan<byte> headers)
    {
        _data = headers;
        _position = 0;
    }

    /// <summary>Reads the next header; a null value is reported with <paramref name="valueIsNull"/>.</summary>
    public bool TryReadNext(out ReadOnlySpan<byte> key, out ReadOnlySpan<byte> value, out bool valueIsNull)
    {
        value = default;
        valueIsNull = false;
        int p = _position;
        if (p >= _data.Length || !RecordReader.TryReadNullable(_data, ref p, out key, out _))
        {
            key = default;
            return false;
        }
        bool ok = RecordReader.TryReadNullable(_data, ref p, out value, out valueIsNull);
        _position = p;
        return ok;
    }
}
