namespace AkkaLog.Client;

/// <summary>
/// One consumed record (or, with enable.partition.eof, the news that a partition's end was reached:
/// then <see cref="IsPartitionEOF"/> is true, <see cref="Offset"/> is the end and <see cref="Message"/> is null).
/// </summary>
/// <typeparam name="TKey">Key type.</typeparam>
/// <typeparam name="TValue">Value type.</typeparam>
public sealed class ConsumeResult<TKey, TValue>
{
    /// <summary>The topic.</summary>
    public string Topic { get; init; } = "";

    /// <summary>The partition.</summary>
    public Partition Partition { get; init; }

    /// <summary>The record's offset (for an EOF result: the partition's end offset).</summary>
    public Offset Offset { get; init; }

    /// <summary>Topic, partition and offset together.</summary>
    public TopicPartitionOffset TopicPartitionOffset => new(Topic, Partition, Offset);

    /// <summary>Topic and partition.</summary>
    public TopicPartition TopicPartition => new(Topic, Partition);

    /// <summary>The record: key, value, headers, timestamp (null for an EOF result).</summary>
    public Message<TKey, TValue> Message { get; init; } = null!;

    /// <summary>True when this result only says the partition's end was reached (enable.partition.eof).</summary>
    public bool IsPartitionEOF { get; init; }

    /// <summary>The record's leader epoch, or null when the batch did not carry one.</summary>
    public int? LeaderEpoch { get; init; }
}

/// <summary>The earliest and the next offset of a partition, as <c>QueryWatermarkOffsets</c> reports them.</summary>
/// <param name="Low">The log start offset (earliest record still retained).</param>
/// <param name="High">The high watermark (the offset the next record will get, as far as consumers can see).</param>
public readonly record struct WatermarkOffsets(Offset Low, Offset High);

/// <summary>
/// A consumed record that could not be handed out: its key or value failed to deserialize (the
/// deserializer's exception is <see cref="Exception.InnerException"/>). The consumer has moved past it.
/// </summary>
public sealed class ConsumeException : KafkaException
{
    /// <summary>Creates the exception for the record at <paramref name="position"/>.</summary>
    public ConsumeException(TopicPartitionOffset position, Error error, Exception? inner = null) : base(error, inner) => Position = position;

    /// <summary>Where the record is.</summary>
    public TopicPartitionOffset Position { get; }
}
