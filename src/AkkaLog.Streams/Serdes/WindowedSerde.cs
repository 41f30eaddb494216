using System.Buffers.Binary;

namespace AkkaLog.Streams;

/// <summary>
/// A key with the window it belongs to. Window bounds are epoch milliseconds; <see cref="Start"/> is
/// inclusive, <see cref="End"/> exclusive for time windows and inclusive for session windows (as in Kafka).
/// </summary>
/// <typeparam name="TKey">The record key type.</typeparam>
/// <param name="Key">The record key.</param>
/// <param name="Start">Window start (ms).</param>
/// <param name="End">Window end (ms).</param>
public readonly record struct Windowed<TKey>(TKey Key, long Start, long End)
{
    /// <inheritdoc />
    public override string ToString() => $"{Key}@[{Start},{End}]";
}

/// <summary>Bytes of a windowed key: <c>[key bytes][start: int64 BE][end: int64 BE]</c>.</summary>
internal sealed class WindowedSerde<TKey>(Serde<TKey> inner) : Serde<Windowed<TKey>>
{
    public override byte[]? Serialize(Windowed<TKey> value)
    {
        var key = inner.Serialize(value.Key) ?? [];
        var bytes = new byte[key.Length + 16];
        key.CopyTo(bytes, 0);
        BinaryPrimitives.WriteInt64BigEndian(bytes.AsSpan(key.Length), value.Start);
        BinaryPrimitives.WriteInt64BigEndian(bytes.AsSpan(key.Length + 8), value.End);
        return bytes;
    }

    public override Windowed<TKey> Deserialize(ReadOnlySpan<byte> data, bool isNull)
    {
        if (isNull || data.Length < 16) throw new FormatException($"a windowed key needs at least 16 bytes, got {(isNull ? "null" : data.Length)}");
        int k = data.Length - 16;
        return new Windowed<TKey>(inner.Deserialize(data[..k], false),
            BinaryPrimitives.ReadInt64BigEndian(data[k..]), BinaryPrimitives.ReadInt64BigEndian(data[(k + 8)..]));
    }
}
