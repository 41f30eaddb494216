namespace AkkaLog.Client;

/// <summary>
/// Turns the bytes of a consumed key or value into <typeparamref name="T"/>. Called on the consumer's
/// thread inside Consume; the bytes point into the fetch buffer and is only valid
/// during the call, so copy what must outlive it.
/// </summary>
/// <typeparam name="T">The type produced.</typeparam>
public interface IDeserializer<T>
{
    /// <summary>The value for <paramref name="data"/>; <paramref name="isNull"/> tells a null key/value from an empty one.</summary>
    T Deserialize(ReadOnlySpan<byte> data, bool isNull, SerializationContext context);
}

/// <summary>The type of a key or value the consumer does not deserialize at all (<see cref="Deserializers.Ignore"/>).</summary>
public sealed class Ignore
{
    private Ignore() { }
}
