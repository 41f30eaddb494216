using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace AkkaLog.Client;

/// <summary>
/// Built-in serializers, byte-compatible with the Java client's (<c>StringSerializer</c> is UTF-8,
/// <c>IntegerSerializer</c>/<c>LongSerializer</c> are big-endian). Each works both ways: as
/// <see cref="ISerializer{T}"/> and, allocation-free, as <see cref="IBufferSerializer{T}"/>.
/// </summary>
public static class Serializers
{
    /// <summary>UTF-8 strings; a null string is a null key/value.</summary>
    public static ISerializer<string> Utf8 { get; } = new Utf8Serializer();

    /// <summary>Always null.</summary>
    public static ISerializer<Null> Null { get; } = new NullSerializer();

    /// <summary>The bytes as they are; null stays null.</summary>
    public static ISerializer<byte[]> ByteArray { get; } = new ByteArraySerializer();

    /// <summary>Big-endian 32-bit integers.</summary>
    public static ISerializer<int> Int32 { get; } = new Int32Serializer();

    /// <summary>Big-endian 64-bit integers.</summary>
    public static ISerializer<long> Int64 { get; } = new Int64Serializer();

    /// <summary>The built-in serializer for <typeparamref name="T"/>, or null if there is none.</summary>
    internal static object? DefaultFor<T>() =>
        typeof(T) == typeof(string) ? Utf8
        : typeof(T) == typeof(Null) ? Null
        : typeof(T) == typeof(byte[]) ? ByteArray
        : typeof(T) == typeof(int) ? Int32
        : typeof(T) == typeof(long) ? Int64
        : null;

    private sealed class Utf8Serializer : ISerializer<string>, IBufferSerializer<string>
    {
        public byte[]? Serialize(string data, SerializationContext context) => data is null ? null : Encoding.UTF8.GetBytes(data);

        public bool Serialize(string data, SerializationContext context, IBufferWriter<byte> output)
        {
            if (data is null) return false;
            var span = output.GetSpan(Encoding.UTF8.GetMaxByteCount(data.Length));
            output.Advance(Encoding.UTF8.GetBytes(data, span));
            return true;
        }
    }

    private sealed class NullSerializer : ISerializer<Null>, IBufferSerializer<Null>
    {
        public byte[]? Serialize(Null data, SerializationContext context) => null;

        public bool Serialize(Null data, SerializationContext context, IBufferWriter<byte> output) => false;
    }

    private sealed class ByteArraySerializer : ISerializer<byte[]>, IBufferSerializer<byte[]>, IPassThroughSerializer<byte[]>
    {
        public byte[]? Serialize(byte[] data, SerializationContext context) => data;

        // A null array is a null key/value. Careful: a null byte[] (or a bare null literal in a conditional) converts
        // implicitly to an empty, non-null ReadOnlyMemory, which would turn a tombstone into an empty value.
        public ReadOnlyMemory<byte>? Bytes(byte[] data) => data is null ? default(ReadOnlyMemory<byte>?) : new ReadOnlyMemory<byte>(data);

        public bool Serialize(byte[] data, SerializationContext context, IBufferWriter<byte> output)
        {
            if (data is null) return false;
            output.Write(data);
            return true;
        }
    }

    private sealed class Int32Serializer : ISerializer<int>, IBufferSerializer<int>
    {
        public byte[]? Serialize(int data, SerializationContext context)
        {
            var bytes = new byte[4];
            BinaryPrimitives.WriteInt32BigEndian(bytes, data);
            return bytes;
        }

        public bool Serialize(int data, SerializationContext context, IBufferWriter<byte> output)
        {
            BinaryPrimitives.WriteInt32BigEndian(output.GetSpan(4), data);
            output.Advance(4);
            return true;
        }
    }

    private sealed class Int64Serializer : ISerializer<long>, IBufferSerializer<long>
    {
        public byte[]? Serialize(long data, SerializationContext context)
        {
            var bytes = new byte[8];
            BinaryPrimitives.WriteInt64BigEndian(bytes, data);
            return bytes;
        }

        public bool Serialize(long data, SerializationContext context, IBufferWriter<byte> output)
        {
            BinaryPrimitives.WriteInt64BigEndian(output.GetSpan(8), data);
            output.Advance(8);
            return true;
        }
    }
}
