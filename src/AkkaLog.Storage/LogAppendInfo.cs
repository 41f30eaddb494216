namespace AkkaLog.Storage;

/// <summary>
/// What one <see cref="PartitionLog.Append"/> did: the offsets it assigned, the largest timestamp
/// and the offset of the batch carrying it, the broker time stamped on the batches (-1 unless the
/// topic uses LogAppendTime) and how many records and bytes were written.
/// </summary>
public readonly record struct LogAppendInfo(
    long FirstOffset,
    long LastOffset,
    long MaxTimestamp,
    long OffsetOfMaxTimestamp,
    long LogAppendTime,
    int RecordCount,
    int ValidBytes);
