namespace AkkaLog.Client;

/// <summary>Which clock a record's timestamp comes from.</summary>
public enum TimestampType
{
    /// <summary>No timestamp.</summary>
    NotAvailable,
    /// <summary>The producer's clock when the record was created.</summary>
    CreateTime,
    /// <summary>The broker's clock when it appended the record (topic message.timestamp.type=LogAppendTime).</summary>
    LogAppendTime,
}

/// <summary>A record timestamp in milliseconds since the Unix epoch, with its type.</summary>
/// <param name="UnixTimestampMs">Milliseconds since 1970-01-01T00:00:00Z.</param>
/// <param name="Type">Where it came from.</param>
public readonly record struct Timestamp(long UnixTimestampMs, TimestampType Type)
{
    /// <summary>No timestamp: the producer stamps the record with the current time.</summary>
    public static Timestamp Default => new(0, TimestampType.NotAvailable);

    /// <summary>A create-time timestamp for <paramref name="time"/>.</summary>
    public Timestamp(DateTimeOffset time) : this(time.ToUnixTimeMilliseconds(), TimestampType.CreateTime) { }

    /// <summary>The timestamp as a UTC date-time.</summary>
    public DateTime UtcDateTime => DateTimeOffset.FromUnixTimeMilliseconds(UnixTimestampMs).UtcDateTime;
}
