using System.Buffers;

namespace AkkaLog.Client;

/// <summary>Which part of a record is being serialized.</summary>
public enum MessageComponentType
{
    /// <summary>The key.</summary>
    Key,
    /// <summary>The value.</summary>
    Value,
}

/// <summary>What a serializer knows about the record it serializes.</summary>
/// <param name="Component">Key or value.</param>
/// <param name="Topic">The destination topic.</param>
/// <param name="Headers">The record's headers (a serializer may add to them), or null.</param>
public readonly record struct SerializationContext(MessageComponentType Component, string Topic, Headers? Headers = null);

/// <summary>Turns a key or value into bytes; return null to write a null key/value.</summary>
/// <typeparam name="T">The type serialized.</typeparam>
public interface ISerializer<in T>
{
    /// <summary>The bytes for <paramref name="data"/>, or null for a null key/value.</summary>
    byte[]? Serialize(T data, SerializationContext context);
}

/// <summary>
/// A serializer that writes straight into the producer's pooled buffer, so producing allocates no
/// byte array per record. The producer prefers this over <see cref="ISerializer{T}"/> when a
/// serializer implements both (the built-in <see cref="Serializers"/> do).
/// </summary>
/// <typeparam name="T">The type serialized.</typeparam>
public interface IBufferSerializer<in T>
{
    /// <summary>Writes <paramref name="data"/> to <paramref name="output"/>; returns false (writing nothing) for a null key/value.</summary>
    bool Serialize(T data, SerializationContext context, IBufferWriter<byte> output);
}

/// <summary>
/// A serializer whose output is its input's own bytes (<see cref="Serializers.ByteArray"/>): the
/// producer appends them straight into the batch instead of copying them into its buffer first.
/// </summary>
internal interface IPassThroughSerializer<in T>
{
    /// <summary>The bytes to send as they are, or null for a null key/value.</summary>
    ReadOnlyMemory<byte>? Bytes(T data);
}

/// <summary>The type of a key or value that is always null (e.g. <c>ProducerBuilder&lt;Null, string&gt;</c>).</summary>
public sealed class Null
{
    private Null() { }
}
