namespace AkkaLog.Client;

/// <summary>
/// Builds an <see cref="IConsumer{TKey, TValue}"/>. Keys and values of type string, byte[], int, long,
/// <see cref="Null"/> and <see cref="Ignore"/> have built-in deserializers; other types need
/// <see cref="SetKeyDeserializer"/> / <see cref="SetValueDeserializer"/>. The rebalance handlers are
/// notifications: the consumer itself applies the group's assignment (a handler may Seek, Commit or Pause).
/// They run on the consumer's thread inside Consume (and Close/Unsubscribe).
/// </summary>
/// <typeparam name="TKey">Key type.</typeparam>
/// <typeparam name="TValue">Value type.</typeparam>
public sealed class ConsumerBuilder<TKey, TValue>
{
    private readonly ConsumerConfig _config;
    private IDeserializer<TKey>? _keyDeserializer;
    private IDeserializer<TValue>? _valueDeserializer;
    private Action<IConsumer<TKey, TValue>, List<TopicPartition>>? _assigned;
    private Action<IConsumer<TKey, TValue>, List<TopicPartitionOffset>>? _revoked;
    private Action<IConsumer<TKey, TValue>, List<TopicPartitionOffset>>? _lost;

    /// <summary>Starts from <paramref name="config"/> (a <see cref="ConsumerConfig"/> or raw keys; copied and validated key by key).</summary>
    public ConsumerBuilder(IEnumerable<KeyValuePair<string, string>> config) => _config = new ConsumerConfig(config);

    /// <summary>Sets the key deserializer.</summary>
    public ConsumerBuilder<TKey, TValue> SetKeyDeserializer(IDeserializer<TKey> deserializer)
    {
        _keyDeserializer = deserializer ?? throw new ArgumentNullException(nameof(deserializer));
        return this;
    }

    /// <summary>Sets the value deserializer.</summary>
    public ConsumerBuilder<TKey, TValue> SetValueDeserializer(IDeserializer<TValue> deserializer)
    {
        _valueDeserializer = deserializer ?? throw new ArgumentNullException(nameof(deserializer));
        return this;
    }

    /// <summary>Called after the group assigned partitions (already added to the assignment; the handler may Seek them).</summary>
    public ConsumerBuilder<TKey, TValue> SetPartitionsAssignedHandler(Action<IConsumer<TKey, TValue>, List<TopicPartition>> handler)
    {
        _assigned = handler ?? throw new ArgumentNullException(nameof(handler));
        return this;
    }

    /// <summary>
    /// Called before partitions are taken away in a rebalance, with their current positions (after the
    /// auto-commit, if enabled; a handler doing manual commits commits here).
    /// </summary>
    public ConsumerBuilder<TKey, TValue> SetPartitionsRevokedHandler(Action<IConsumer<TKey, TValue>, List<TopicPartitionOffset>> handler)
    {
        _revoked = handler ?? throw new ArgumentNullException(nameof(handler));
        return this;
    }

    /// <summary>
    /// Called when partitions were lost rather than handed over (the member was expelled from the group:
    /// session timeout, max.poll.interval.ms): their offsets can no longer be committed. Without this
    /// handler the revoked handler is called instead.
    /// </summary>
    public ConsumerBuilder<TKey, TValue> SetPartitionsLostHandler(Action<IConsumer<TKey, TValue>, List<TopicPartitionOffset>> handler)
    {
        _lost = handler ?? throw new ArgumentNullException(nameof(handler));
        return this;
    }

    /// <summary>
    /// Creates the consumer. Throws <see cref="ArgumentException"/> for a missing or inconsistent setting and
    /// <see cref="InvalidOperationException"/> when a type has no deserializer. Connects in the background.
    /// </summary>
    public IConsumer<TKey, TValue> Build()
    {
        var key = _keyDeserializer ?? (IDeserializer<TKey>?)Deserializers.DefaultFor<TKey>()
            ?? throw new InvalidOperationException($"no key deserializer for {typeof(TKey).Name}: call SetKeyDeserializer");
        var value = _valueDeserializer ?? (IDeserializer<TValue>?)Deserializers.DefaultFor<TValue>()
            ?? throw new InvalidOperationException($"no value deserializer for {typeof(TValue).Name}: call SetValueDeserializer");
        return new Internal.Consumer.Consumer<TKey, TValue>(_config, key, value,
            new Internal.Consumer.RebalanceHandlers<TKey, TValue>(_assigned, _revoked, _lost));
    }
}
