namespace AkkaLog.Streams;

/// <summary>
/// Turns a key or value into bytes and back: what a topic, a repartition topic or a changelog holds.
/// A null reference serializes to a null key/value (a tombstone in a changelog).
/// </summary>
/// <typeparam name="T">The type carried.</typeparam>
public abstract class Serde<T>
{
    /// <summary>The bytes for <paramref name="value"/>, or null for a null key/value.</summary>
    public abstract byte[]? Serialize(T value);

    /// <summary>The value for <paramref name="data"/>; <paramref name="isNull"/> tells a null key/value from an empty one.</summary>
    public abstract T Deserialize(ReadOnlySpan<byte> data, bool isNull);
}

/// <summary>A serde made of two delegates.</summary>
/// <typeparam name="T">The type carried.</typeparam>
public sealed class DelegateSerde<T>(Func<T, byte[]?> serialize, Func<ReadOnlySpan<byte>, bool, T> deserialize) : Serde<T>
{
    /// <inheritdoc />
    public override byte[]? Serialize(T value) => serialize(value);

    /// <inheritdoc />
    public override T Deserialize(ReadOnlySpan<byte> data, bool isNull) => deserialize(data, isNull);
}
