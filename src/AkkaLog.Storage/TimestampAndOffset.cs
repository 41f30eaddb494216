namespace AkkaLog.Storage;

/// <summary>
/// Answer of a timestamp lookup (ListOffsets): the record's timestamp (-1 when the query was for
/// the earliest or latest offset), its offset, and the leader epoch of its batch (-1 if unknown).
/// </summary>
public readonly record struct TimestampAndOffset(long Timestamp, long Offset, int LeaderEpoch);
