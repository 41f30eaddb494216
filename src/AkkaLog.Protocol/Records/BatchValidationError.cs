namespace AkkaLog.Protocol.Records;

/// <summary>Why a batch from a producer was refused; the broker maps each to a Kafka error code.</summary>
public enum BatchValidationError
{
    /// <summary>The batch is valid.</summary>
    None = 0,
    /// <summary>Shorter than its header, or its length field disagrees with the bytes present.</summary>
    Truncated,
    /// <summary>Magic other than 2.</summary>
    UnsupportedMagic,
    /// <summary>CRC-32C mismatch.</summary>
    CorruptCrc,
    /// <summary>Codec bits name no known codec.</summary>
    UnsupportedCompression,
    /// <summary>Record count and lastOffsetDelta disagree, or the count is not positive.</summary>
    InvalidRecordCount,
    /// <summary>Producers may not send control batches or LogAppendTime batches.</summary>
    InvalidAttributes,
    /// <summary>The batch is larger than max.message.bytes.</summary>
    TooLarge,
    /// <summary>Uncompressed records whose encoding does not parse.</summary>
    CorruptRecords,
    /// <summary>A record without a key sent to a compacted topic.</summary>
    MissingKey,
}
