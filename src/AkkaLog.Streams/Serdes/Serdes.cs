using System.Buffers.Binary;
using System.Text;
using System.Text.Json;

namespace AkkaLog.Streams;

/// <summary>
/// Built-in serdes, byte-compatible with Kafka's Java ones where those exist (UTF-8 strings,
/// big-endian int/long/double), plus JSON (System.Text.Json) for any other type.
/// </summary>
public static class Serdes
{
    /// <summary>UTF-8 strings.</summary>
    public static Serde<string> String { get; } = new DelegateSerde<string>(
        v => v is null ? null : Encoding.UTF8.GetBytes(v), (d, n) => n ? null! : Encoding.UTF8.GetString(d));

    /// <summary>Big-endian 64-bit integers.</summary>
    public static Serde<long> Long { get; } = new DelegateSerde<long>(
        v => { var b = new byte[8]; BinaryPrimitives.WriteInt64BigEndian(b, v); return b; },
        (d, n) => n ? 0 : d.Length == 8 ? BinaryPrimitives.ReadInt64BigEndian(d) : throw new FormatException($"a long needs 8 bytes, got {d.Length}"));

    /// <summary>Big-endian 32-bit integers.</summary>
    public static Serde<int> Int { get; } = new DelegateSerde<int>(
        v => { var b = new byte[4]; BinaryPrimitives.WriteInt32BigEndian(b, v); return b; },
        (d, n) => n ? 0 : d.Length == 4 ? BinaryPrimitives.ReadInt32BigEndian(d) : throw new FormatException($"an int needs 4 bytes, got {d.Length}"));

    /// <summary>Big-endian IEEE 754 doubles.</summary>
    public static Serde<double> Double { get; } = new DelegateSerde<double>(
        v => { var b = new byte[8]; BinaryPrimitives.WriteDoubleBigEndian(b, v); return b; },
        (d, n) => n ? 0 : d.Length == 8 ? BinaryPrimitives.ReadDoubleBigEndian(d) : throw new FormatException($"a double needs 8 bytes, got {d.Length}"));

    /// <summary>The bytes as they are.</summary>
    public static Serde<byte[]> ByteArray { get; } = new DelegateSerde<byte[]>(v => v, (d, n) => n ? null! : d.ToArray());

    /// <summary>JSON via System.Text.Json (web defaults: camelCase names).</summary>
    public static Serde<T> Json<T>() => new DelegateSerde<T>(
        v => v is null ? null : JsonSerializer.SerializeToUtf8Bytes(v, JsonOptions),
        (d, n) => n ? default! : JsonSerializer.Deserialize<T>(d, JsonOptions)!);

    /// <summary>
    /// <paramref name="inner"/> for a nullable value type: null is a null value (a tombstone), anything else
    /// is written by <paramref name="inner"/>. How a table of <c>long</c> can send deletions: <c>MapValues(v => (long?)v)</c>.
    /// </summary>
    public static Serde<T?> Nullable<T>(Serde<T> inner) where T : struct => new DelegateSerde<T?>(
        v => v is { } x ? inner.Serialize(x) : null, (d, n) => n ? null : inner.Deserialize(d, false));

    /// <summary>
    /// The built-in serde for <typeparamref name="T"/>: string, long, int, double, byte[] (and <c>long?</c>, <c>int?</c>,
    /// <c>double?</c>, null being a null value), else JSON.
    /// </summary>
    public static Serde<T> For<T>() =>
        typeof(T) == typeof(string) ? (Serde<T>)(object)String
        : typeof(T) == typeof(long) ? (Serde<T>)(object)Long
        : typeof(T) == typeof(int) ? (Serde<T>)(object)Int
        : typeof(T) == typeof(double) ? (Serde<T>)(object)Double
        : typeof(T) == typeof(long?) ? (Serde<T>)(object)Nullable(Long)
        : typeof(T) == typeof(int?) ? (Serde<T>)(object)Nullable(Int)
        : typeof(T) == typeof(double?) ? (Serde<T>)(object)Nullable(Double)
        : typeof(T) == typeof(byte[]) ? (Serde<T>)(object)ByteArray
        : Json<T>();

    /// <summary>Windowed keys: the inner key's bytes, then window start and end (8 bytes each, big-endian).</summary>
    public static Serde<Windowed<TKey>> Windowed<TKey>(Serde<TKey> inner) => new WindowedSerde<TKey>(inner);

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);
}
