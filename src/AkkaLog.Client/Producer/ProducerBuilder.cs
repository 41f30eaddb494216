namespace AkkaLog.Client;

/// <summary>
/// Builds an <see cref="IProducer{TKey, TValue}"/>. Keys and values of type string, byte[], int, long
/// and <see cref="Null"/> have built-in serializers; other types need <see cref="SetKeySerializer"/> /
/// <see cref="SetValueSerializer"/>. A serializer that also implements <see cref="IBufferSerializer{T}"/>
/// is used that way, writing into the producer's pooled buffers.
/// </summary>
/// <typeparam name="TKey">Key type.</typeparam>
/// <typeparam name="TValue">Value type.</typeparam>
public sealed class ProducerBuilder<TKey, TValue>
{
    private readonly ProducerConfig _config;
    private ISerializer<TKey>? _keySerializer;
    private ISerializer<TValue>? _valueSerializer;

    /// <summary>Starts from <paramref name="config"/> (copied and validated key by key).</summary>
    public ProducerBuilder(IEnumerable<KeyValuePair<string, string>> config) => _config = new ProducerConfig(config);

    /// <summary>Sets the key serializer.</summary>
    public ProducerBuilder<TKey, TValue> SetKeySerializer(ISerializer<TKey> serializer)
    {
        _keySerializer = serializer ?? throw new ArgumentNullException(nameof(serializer));
        return this;
    }

    /// <summary>Sets the value serializer.</summary>
    public ProducerBuilder<TKey, TValue> SetValueSerializer(ISerializer<TValue> serializer)
    {
        _valueSerializer = serializer ?? throw new ArgumentNullException(nameof(serializer));
        return this;
    }

    /// <summary>
    /// Creates the producer. Throws <see cref="ArgumentException"/> for a missing or inconsistent setting
    /// and <see cref="InvalidOperationException"/> when a type has no serializer. Connects in the background; the first ProduceAsync waits for metadata (max.block.ms).
    /// </summary>
    public IProducer<TKey, TValue> Build()
    {
        var key = _keySerializer ?? (ISerializer<TKey>?)Serializers.DefaultFor<TKey>()
            ?? throw new InvalidOperationException($"no key serializer for {typeof(TKey).Name}: call SetKeySerializer");
        var value = _valueSerializer ?? (ISerializer<TValue>?)Serializers.DefaultFor<TValue>()
            ?? throw new InvalidOperationException($"no value serializer for {typeof(TValue).Name}: call SetValueSerializer");
        return new Internal.Producer.Producer<TKey, TValue>(_config, key, value);
    }
}
