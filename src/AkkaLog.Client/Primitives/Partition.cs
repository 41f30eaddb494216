namespace AkkaLog.Client;

/// <summary>A partition number; <see cref="Any"/> lets the producer's partitioner choose.</summary>
/// <param name="Value">The partition index, or -1 for any.</param>
public readonly record struct Partition(int Value)
{
    /// <summary>No particular partition: the partitioner decides.</summary>
    public static Partition Any => new(-1);

    /// <summary>True for <see cref="Any"/>.</summary>
    public bool IsSpecial => Value < 0;

    /// <summary>Converts an index.</summary>
    public static implicit operator Partition(int value) => new(value);

    /// <summary>The index.</summary>
    public static implicit operator int(Partition partition) => partition.Value;

    /// <inheritdoc />
    public override string ToString() => Value < 0 ? "[Any]" : $"[{Value}]";
}

/// <summary>A position in a partition's log, or one of the special logical positions.</summary>
/// <param name="Value">The offset, or a negative special value.</param>
public readonly record struct Offset(long Value)
{
    /// <summary>The earliest retained record (-2).</summary>
    public static Offset Beginning => new(-2);

    /// <summary>The next record to be written (-1).</summary>
    public static Offset End => new(-1);

    /// <summary>
    /// The group's committed offset (-1000, as in librdkafka): for <c>Assign</c>, start where the group
    /// left off, falling back to auto.offset.reset when it has committed nothing.
    /// </summary>
    public static Offset Stored => new(-1000);

    /// <summary>Not known (e.g. a record sent with acks=0), -1001 as in librdkafka. For <c>Assign</c>, the same as <see cref="Stored"/>.</summary>
    public static Offset Unset => new(-1001);

    /// <summary>True for the negative logical offsets.</summary>
    public bool IsSpecial => Value < 0;

    /// <summary>Converts a raw offset.</summary>
    public static implicit operator Offset(long value) => new(value);

    /// <summary>The raw offset.</summary>
    public static implicit operator long(Offset offset) => offset.Value;

    /// <inheritdoc />
    public override string ToString() => Value switch
    {
        -2 => "Beginning",
        -1 => "End",
        -1000 => "Stored",
        -1001 => "Unset",
        _ => Value.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}

/// <summary>A topic and one of its partitions.</summary>
/// <param name="Topic">Topic name.</param>
/// <param name="Partition">Partition in the topic.</param>
public readonly record struct TopicPartition(string Topic, Partition Partition)
{
    /// <inheritdoc />
    public override string ToString() => $"{Topic} {Partition}";
}

/// <summary>A topic, partition and offset.</summary>
/// <param name="Topic">Topic name.</param>
/// <param name="Partition">Partition in the topic.</param>
/// <param name="Offset">Offset in the partition.</param>
public readonly record struct TopicPartitionOffset(string Topic, Partition Partition, Offset Offset)
{
    /// <summary>Combines a <see cref="Client.TopicPartition"/> with an offset.</summary>
    public TopicPartitionOffset(TopicPartition tp, Offset offset) : this(tp.Topic, tp.Partition, offset) { }

    /// <summary>The topic and partition.</summary>
    public TopicPartition TopicPartition => new(Topic, Partition);

    /// <inheritdoc />
    public override string ToString() => $"{Topic} {Partition} @{Offset}";
}
