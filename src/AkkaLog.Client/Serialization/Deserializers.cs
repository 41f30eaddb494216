using System.Buffers.Binary;
using System.Text;

namespace AkkaLog.Client;

/// <summary>
/// Built-in deserializers, the counterparts of <see cref="Serializers"/> and byte-compatible with the
/// Java client's (<c>StringDeserializer</c> is UTF-8, <c>IntegerDeserializer</c>/<c>LongDeserializer</c>
/// are big-endian). A null key/value reads as null (or throws for the integer types, which have none).
/// </summary>
public static class Deserializers
{
    /// <summary>UTF-8 strings; null stays null.</summary>
    public static IDeserializer<string> Utf8 { get; } = new Utf8Deserializer();

    /// <summary>A copy of the bytes; null stays null.</summary>
    public static IDeserializer<byte[]> ByteArray { get; } = new ByteArrayDeserializer();

    /// <summary>Accepts only null keys/values (throws <see cref="ArgumentException"/> otherwise).</summary>
    public static IDeserializer<Null> Null { get; } = new NullDeserializer();

    /// <summary>Skips the bytes without looking at them; always yields null.</summary>
    public static IDeserializer<Ignore> Ignore { get; } = new IgnoreDeserializer();

    /// <summary>Big-endian 32-bit integers (exactly 4 bytes).</summary>
    public static IDeserializer<int> Int32 { get; } = new Int32Deserializer();

    /// <summary>Big-endian 64-bit integers (exactly 8 bytes).</summary>
    public static IDeserializer<long> Int64 { get; } = new Int64Deserializer();

    /// <summary>The built-in deserializer for <typeparamref name="T"/>, or null if there is none.</summary>
    internal static object? DefaultFor<T>() =>
        typeof(T) == typeof(string) ? Utf8
        : typeof(T) == typeof(byte[]) ? ByteArray
        : typeof(T) == typeof(Null) ? Null
        : typeof(T) == typeof(Ignore) ? Ignore
        : typeof(T) == typeof(int) ? Int32
        : typeof(T) == typeof(long) ? Int64
        : null;

    private sealed class Utf8Deserializer : IDeserializer<string>
    {
        public string Deserialize(ReadOnlySpan<byte> data, bool isNull, SerializationContext context) =>
            isNull ? null! : Encoding.UTF8.GetString(data);
    }

    private sealed class ByteArrayDeserializer : IDeserializer<byte[]>
    {
        public byte[] Deserialize(ReadOnlySpan<byte> data, bool isNull, SerializationContext context) => isNull ? null! : data.ToArray();
    }

    private sealed class NullDeserializer : IDeserializer<Null>
    {
        public Null Deserialize(ReadOnlySpan<byte> data, bool isNull, SerializationContext context) =>
            isNull ? null! : throw new ArgumentException($"the {context.Component} is not null: Deserializers.Null only reads null data");
    }

    private sealed class IgnoreDeserializer : IDeserializer<Ignore>
    {
        public Ignore Deserialize(ReadOnlySpan<byte> data, bool isNull, SerializationContext context) => null!;
    }

    private sealed class Int32Deserializer : IDeserializer<int>
    {
        public int Deserialize(ReadOnlySpan<byte> data, bool isNull, SerializationContext context)
        {
            if (isNull || data.Length != 4)
                throw new ArgumentException($"the {context.Component} is {(isNull ? "null" : $"{data.Length} bytes")}, not a 4-byte Int32");
            return BinaryPrimitives.ReadInt32BigEndian(data);
        }
    }

    private sealed class Int64Deserializer : IDeserializer<long>
    {
        public long Deserialize(ReadOnlySpan<byte> data, bool isNull, SerializationContext context)
        {
            if (isNull || data.Length != 8)
                throw new ArgumentException($"the {context.Component} is {(isNull ? "null" : $"{data.Length} bytes")}, not an 8-byte Int64");
            return BinaryPrimitives.ReadInt64BigEndian(data);
        }
    }
}
