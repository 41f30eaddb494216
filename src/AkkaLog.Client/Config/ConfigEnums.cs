namespace AkkaLog.Client;

/// <summary>How many replicas must have a record before the broker acknowledges it (<c>acks</c>).</summary>
public enum Acks : short
{
    /// <summary><c>acks=0</c>: the broker sends no response; a delivery result has no offset.</summary>
    None = 0,
    /// <summary><c>acks=1</c>: the leader wrote it.</summary>
    Leader = 1,
    /// <summary><c>acks=all</c> (-1): every in-sync replica has it.</summary>
    All = -1,
}

/// <summary>Record batch codec (<c>compression.type</c>).</summary>
public enum CompressionType
{
    /// <summary>No compression.</summary>
    None,
    /// <summary>gzip.</summary>
    Gzip,
    /// <summary>Snappy (xerial framing, as the Java client writes it).</summary>
    Snappy,
    /// <summary>LZ4 frame.</summary>
    Lz4,
    /// <summary>Zstandard.</summary>
    Zstd,
}

/// <summary>How the producer picks a partition when the message does not name one (<c>partitioner</c>).</summary>
public enum Partitioner
{
    /// <summary>Keyed: Java's murmur2. Null key: sticky to one partition until a batch's worth was sent (Java's built-in partitioner).</summary>
    Murmur2,
    /// <summary>Keyed: Java's murmur2. Null key: a random partition per record (librdkafka's <c>murmur2_random</c>).</summary>
    Murmur2Random,
}

/// <summary>Where a consumer starts when a partition has no committed offset, or its offset is out of range (<c>auto.offset.reset</c>).</summary>
public enum AutoOffsetReset
{
    /// <summary><c>latest</c>: at the end, reading only records produced from now on.</summary>
    Latest,
    /// <summary><c>earliest</c>: at the earliest retained record.</summary>
    Earliest,
    /// <summary><c>none</c>: Consume throws a <see cref="KafkaException"/> (OFFSET_OUT_OF_RANGE) for the partition.</summary>
    Error,
}

/// <summary>Which records a consumer sees of transactional producers (<c>isolation.level</c>).</summary>
public enum IsolationLevel
{
    /// <summary><c>read_uncommitted</c>: everything up to the high watermark, aborted transactions included.</summary>
    ReadUncommitted,
    /// <summary><c>read_committed</c>: up to the last stable offset, aborted transactions skipped.</summary>
    ReadCommitted,
}
