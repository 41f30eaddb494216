namespace AkkaLog.Client;

/// <summary>A record to produce: key, value, optional headers and timestamp.</summary>
/// <typeparam name="TKey">Key type (serialized by the producer's key serializer).</typeparam>
/// <typeparam name="TValue">Value type (serialized by the producer's value serializer).</typeparam>
public sealed class Message<TKey, TValue>
{
    /// <summary>The key; records with equal keys go to the same partition.</summary>
    public TKey Key { get; set; } = default!;

    /// <summary>The value.</summary>
    public TValue Value { get; set; } = default!;

    /// <summary>Headers, or null for none.</summary>
    public Headers? Headers { get; set; }

    /// <summary>The create time; <see cref="Timestamp.Default"/> means "now" at ProduceAsync.</summary>
    public Timestamp Timestamp { get; set; } = Timestamp.Default;
}

/// <summary>Whether a record reached the broker.</summary>
public enum PersistenceStatus
{
    /// <summary>Not written (the result comes with an exception).</summary>
    NotPersisted,
    /// <summary>Sent, but with acks=0 there is no way to know whether it was written.</summary>
    PossiblyPersisted,
    /// <summary>Acknowledged by the broker.</summary>
    Persisted,
}

/// <summary>Where a produced record ended up.</summary>
/// <typeparam name="TKey">Key type.</typeparam>
/// <typeparam name="TValue">Value type.</typeparam>
public class DeliveryResult<TKey, TValue>
{
    /// <summary>The topic.</summary>
    public string Topic { get; init; } = "";

    /// <summary>The partition the record went to.</summary>
    public Partition Partition { get; init; }

    /// <summary>The record's offset; <see cref="Offset.Unset"/> with acks=0 or on failure.</summary>
    public Offset Offset { get; init; } = Offset.Unset;

    /// <summary>The record as produced.</summary>
    public Message<TKey, TValue> Message { get; init; } = null!;

    /// <summary>Whether the broker acknowledged it.</summary>
    public PersistenceStatus Status { get; init; }

    /// <summary>The record's timestamp: the broker's if the topic uses LogAppendTime, else the create time.</summary>
    public Timestamp Timestamp { get; init; }

    /// <summary>The record key.</summary>
    public TKey Key => Message.Key;

    /// <summary>The record value.</summary>
    public TValue Value => Message.Value;

    /// <summary>Topic and partition.</summary>
    public TopicPartition TopicPartition => new(Topic, Partition);

    /// <summary>Topic, partition and offset.</summary>
    public TopicPartitionOffset TopicPartitionOffset => new(Topic, Partition, Offset);
}
