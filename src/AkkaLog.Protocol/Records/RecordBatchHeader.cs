using System.Buffers.Binary;

namespace AkkaLog.Protocol.Records;

/// <summary>
/// The fixed 61-byte header of a v2 (magic 2) record batch, read from and patched in place.
/// <code>
///  offset field                  size  notes
///   0     baseOffset             8     assigned by the broker; outside the CRC
///   8     batchLength            4     bytes after this field; outside the CRC
///  12     partitionLeaderEpoch   4     set by the broker; outside the CRC
///  16     magic                  1     2; outside the CRC (the CRC's meaning depends on it)
///  17     crc                    4     CRC-32C of everything from attributes to the end
///  21     attributes             2     bits 0-2 codec, 3 timestamp type, 4 transactional, 5 control
///  23     lastOffsetDelta        4
///  27     baseTimestamp          8
///  35     maxTimestamp           8
///  43     producerId             8
///  51     producerEpoch          2
///  53     baseSequence           4
///  57     recordsCount           4
///  61     records...
/// </code>
/// The fields the broker assigns lie outside the CRC so that it can stamp offsets and epochs
/// without touching the payload or recomputing the checksum.
/// </summary>
public readonly struct RecordBatchHeader
{
    /// <summary>Size of the fixed header in bytes.</summary>
    public const int Size = 61;
    /// <summary>Bytes before <c>batchLength</c>'s count starts: baseOffset + batchLength.</summary>
    public const int LogOverhead = 12;
    /// <summary>The only batch format this broker stores.</summary>
    public const byte CurrentMagic = 2;

    /// <summary>Byte positions of the header fields (see the table above).</summary>
#pragma warning disable CS1591
    public const int BaseOffsetAt = 0, BatchLengthAt = 8, LeaderEpochAt = 12, MagicAt = 16, CrcAt = 17,
        AttributesAt = 21, LastOffsetDeltaAt = 23, BaseTimestampAt = 27, MaxTimestampAt = 35,
        ProducerIdAt = 43, ProducerEpochAt = 51, BaseSequenceAt = 53, RecordsCountAt = 57;
#pragma warning restore CS1591

    /// <summary>First offset in the batch.</summary>
    public long BaseOffset { get; init; }
    /// <summary>Length of the batch after the batchLength field.</summary>
    public int BatchLength { get; init; }
    /// <summary>Leader epoch of the leader that appended the batch.</summary>
    public int PartitionLeaderEpoch { get; init; }
    /// <summary>Batch format version.</summary>
    public byte Magic { get; init; }
    /// <summary>Stored CRC-32C.</summary>
    public uint Crc { get; init; }
    /// <summary>Raw attribute bits.</summary>
    public short Attributes { get; init; }
    /// <summary>Offset of the last record relative to <see cref="BaseOffset"/>.</summary>
    public int LastOffsetDelta { get; init; }
    /// <summary>Timestamp of the first record (record timestamps are deltas from it).</summary>
    public long BaseTimestamp { get; init; }
    /// <summary>Largest timestamp in the batch.</summary>
    public long MaxTimestamp { get; init; }
    /// <summary>Idempotent producer id, or -1.</summary>
    public long ProducerId { get; init; }
    /// <summary>Idempotent producer epoch.</summary>
    public short ProducerEpoch { get; init; }
    /// <summary>Sequence number of the first record, or -1.</summary>
    public int BaseSequence { get; init; }
    /// <summary>Number of records in the batch.</summary>
    public int RecordsCount { get; init; }

    /// <summary>Total bytes the batch occupies, header included.</summary>
    public int TotalSize => BatchLength + LogOverhead;
    /// <summary>Offset of the last record.</summary>
    public long LastOffset => BaseOffset + LastOffsetDelta;
    /// <summary>Offset after the last record.</summary>
    public long NextOffset => LastOffset + 1;
    /// <summary>Compression codec of the records section.</summary>
    public CompressionCodec Compression => (CompressionCodec)(Attributes & 0x7);
    /// <summary>Whether timestamps come from the producer or the broker.</summary>
    public TimestampType TimestampType => (Attributes & 0x8) != 0 ? TimestampType.LogAppendTime : TimestampType.CreateTime;
    /// <summary>Part of a transaction.</summary>
    public bool IsTransactional => (Attributes & 0x10) != 0;
    /// <summary>A control batch (transaction marker).</summary>
    public bool IsControl => (Attributes & 0x20) != 0;

    /// <summary>Reads a header from the start of <paramref name="batch"/>, which must hold at least <see cref="Size"/> bytes.</summary>
    public static RecordBatchHeader Read(ReadOnlySpan<byte> batch)
    {
        if (batch.Length < Size) throw new ArgumentException("a record batch header needs 61 bytes", nameof(batch));
        return new RecordBatchHeader
        {
            BaseOffset = BinaryPrimitives.ReadInt64BigEndian(batch),
            BatchLength = BinaryPrimitives.ReadInt32BigEndian(batch[BatchLengthAt..]),
            PartitionLeaderEpoch = BinaryPrimitives.ReadInt32BigEndian(batch[LeaderEpochAt..]),
            Magic = batch[MagicAt],
            Crc = BinaryPrimitives.ReadUInt32BigEndian(batch[CrcAt..]),
            Attributes = BinaryPrimitives.ReadInt16BigEndian(batch[AttributesAt..]),
            LastOffsetDelta = BinaryPrimitives.ReadInt32BigEndian(batch[LastOffsetDeltaAt..]),
            BaseTimestamp = BinaryPrimitives.ReadInt64BigEndian(batch[BaseTimestampAt..]),
            MaxTimestamp = BinaryPrimitives.ReadInt64BigEndian(batch[MaxTimestampAt..]),
            ProducerId = BinaryPrimitives.ReadInt64BigEndian(batch[ProducerIdAt..]),
            ProducerEpoch = BinaryPrimitives.ReadInt16BigEndian(batch[ProducerEpochAt..]),
            BaseSequence = BinaryPrimitives.ReadInt32BigEndian(batch[BaseSequenceAt..]),
            RecordsCount = BinaryPrimitives.ReadInt32BigEndian(batch[RecordsCountAt..]),
        };
    }

    /// <summary>Reads only baseOffset and batchLength, the 12 bytes every log entry starts with.</summary>
    public static (long BaseOffset, int BatchLength) ReadLogEntryPrefix(ReadOnlySpan<byte> data) =>
        (BinaryPrimitives.ReadInt64BigEndian(data), BinaryPrimitives.ReadInt32BigEndian(data[BatchLengthAt..]));

    /// <summary>Computes the CRC the batch should carry (attributes to end).</summary>
    public static uint ComputeCrc(ReadOnlySpan<byte> batch) => Crc32C.Compute(batch[AttributesAt..]);

    /// <summary>Stamps the broker-assigned base offset (outside the CRC).</summary>
    public static void SetBaseOffset(Span<byte> batch, long baseOffset) =>
        BinaryPrimitives.WriteInt64BigEndian(batch, baseOffset);

    /// <summary>Stamps the leader epoch (outside the CRC).</summary>
    public static void SetPartitionLeaderEpoch(Span<byte> batch, int epoch) =>
        BinaryPrimitives.WriteInt32BigEndian(batch[LeaderEpochAt..], epoch);

    /// <summary>
    /// Stamps an idempotent producer's id, epoch and first sequence, then recomputes the CRC, since
    /// they lie inside it (a producer re-sending a batch under a new epoch).
    /// </summary>
    public static void SetProducer(Span<byte> batch, long producerId, short producerEpoch, int baseSequence)
    {
        WriteProducerFields(batch, producerId, producerEpoch, baseSequence);
        BinaryPrimitives.WriteUInt32BigEndian(batch[CrcAt..], ComputeCrc(batch));
    }

    /// <summary>
    /// As <see cref="SetProducer(Span{byte}, long, short, int)"/> for a writer that already has the
    /// CRC-32C of the records section (<paramref name="recordsCrc"/>, everything after the header):
    /// only the header's own bytes are read, and the two CRCs combined.
    /// </summary>
    public static void SetProducer(Span<byte> batch, long producerId, short producerEpoch, int baseSequence, uint recordsCrc)
    {
        WriteProducerFields(batch, producerId, producerEpoch, baseSequence);
        uint headerCrc = Crc32C.Compute(batch[AttributesAt..Size]);
        BinaryPrimitives.WriteUInt32BigEndian(batch[CrcAt..], Crc32C.Combine(headerCrc, recordsCrc, batch.Length - Size));
    }

    private static void WriteProducerFields(Span<byte> batch, long producerId, short producerEpoch, int baseSequence)
    {
        BinaryPrimitives.WriteInt64BigEndian(batch[ProducerIdAt..], producerId);
        BinaryPrimitives.WriteInt16BigEndian(batch[ProducerEpochAt..], producerEpoch);
        BinaryPrimitives.WriteInt32BigEndian(batch[BaseSequenceAt..], baseSequence);
    }

    /// <summary>
    /// <paramref name="sequence"/> advanced by <paramref name="by"/>: producer sequences wrap from
    /// int.MaxValue to 0 (Kafka's DefaultRecordBatch.incrementSequence).
    /// </summary>
    public static int IncrementSequence(int sequence, int by) =>
        sequence > int.MaxValue - by ? by - (int.MaxValue - sequence) - 1 : sequence + by;

    /// <summary>
    /// Marks the batch as LogAppendTime with the broker's clock as max timestamp, then recomputes
    /// the CRC, since both fields lie inside it.
    /// </summary>
    public static void SetLogAppendTime(Span<byte> batch, long timestampMs)
    {
        short attributes = BinaryPrimitives.ReadInt16BigEndian(batch[AttributesAt..]);
        BinaryPrimitives.WriteInt16BigEndian(batch[AttributesAt..], (short)(attributes | 0x8));
        BinaryPrimitives.WriteInt64BigEndian(batch[MaxTimestampAt..], timestampMs);
        BinaryPrimitives.WriteUInt32BigEndian(batch[CrcAt..], ComputeCrc(batch));
    }
}
