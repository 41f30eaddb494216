using AkkaLog.Protocol;
using AkkaLog.Protocol.Records;
using AkkaLog.Storage;

namespace AkkaLog.Broker.Partitions;

/// <summary>
/// Idempotent-producer state of one partition (Kafka's ProducerStateManager, kept in memory and
/// owned by the partition actor): per producer id its epoch and its last five batches' sequence
/// ranges and offsets. A retried batch that was already written is answered with its original
/// offsets instead of being written twice; a gap in the sequence is OUT_OF_ORDER_SEQUENCE_NUMBER
/// and an older epoch INVALID_PRODUCER_EPOCH (a fenced zombie).
/// <para>
/// Kept in memory and rebuilt from the log (<see cref="RebuildFrom"/>) when the partition actor starts
/// (broker start, actor restart) and after a follower truncates, by reading the producer fields of the
/// batches in the log's tail (the last <see cref="ScanBytes"/> bytes, whole segments). Kafka reads a
/// producer snapshot beside the segments and then the log after it; we have no snapshots, so a producer
/// whose last batches lie further back than the scanned tail is unknown again, and its next batch is
/// accepted whatever its sequence.
/// </para>
/// </summary>
internal sealed class ProducerStateTable
{
    private const int CachedBatches = 5;

    private readonly record struct BatchEntry(int FirstSequence, int LastSequence, long FirstOffset, long LastOffset);

    private sealed class ProducerEntry
    {
        public short Epoch;
        public readonly Queue<BatchEntry> Batches = new();
    }

    private readonly Dictionary<long, ProducerEntry> _producers = [];

    /// <summary>Producers with state here.</summary>
    public int Count => _producers.Count;

    /// <summary>
    /// Checks a batch of an idempotent producer before it is appended. Returns None with
    /// <paramref name="duplicateOf"/> null to append it, None with the original offsets for a
    /// duplicate, or the error to answer.
    /// </summary>
    public ErrorCode Check(in RecordBatchHeader batch, out (long First, long Last)? duplicateOf)
    {
        duplicateOf = null;
        if (!_producers.TryGetValue(batch.ProducerId, out var entry)) return ErrorCode.None;
        if (batch.ProducerEpoch < entry.Epoch) return ErrorCode.InvalidProducerEpoch;
        if (batch.ProducerEpoch > entry.Epoch) return batch.BaseSequence == 0 ? ErrorCode.None : ErrorCode.OutOfOrderSequenceNumber;
        int last = LastSequence(batch);
        foreach (var cached in entry.Batches)
        {
            if (cached.FirstSequence == batch.BaseSequence && cached.LastSequence == last)
            {
                duplicateOf = (cached.FirstOffset, cached.LastOffset);
                return ErrorCode.None;
            }
        }
        if (entry.Batches.Count == 0) return ErrorCode.None;
        int expected = RecordBatchHeader.IncrementSequence(entry.Batches.Last().LastSequence, 1);
        return batch.BaseSequence == expected ? ErrorCode.None : ErrorCode.OutOfOrderSequenceNumber;
    }

    /// <summary>Records a batch that was appended at <paramref name="firstOffset"/>.</summary>
    public void Record(in RecordBatchHeader batch, long firstOffset)
    {
        if (!_producers.TryGetValue(batch.ProducerId, out var entry) || batch.ProducerEpoch > entry.Epoch)
            _producers[batch.ProducerId] = entry = new ProducerEntry { Epoch = batch.ProducerEpoch };
        entry.Batches.Enqueue(new BatchEntry(batch.BaseSequence, LastSequence(batch), firstOffset, firstOffset + batch.LastOffsetDelta));
        while (entry.Batches.Count > CachedBatches) entry.Batches.Dequeue();
    }

    /// <summary>Forgets every producer (the log was replaced by an empty one).</summary>
    public void Clear() => _producers.Clear();

    /// <summary>How much of a log's tail a rebuild reads, at least (whole segments, the active one always).</summary>
    public const long ScanBytes = 16L << 20;

    /// <summary>
    /// Forgets everything, then records the batches of idempotent producers found in the tail of
    /// <paramref name="log"/> (the last segments holding <paramref name="scanBytes"/> bytes), as they were
    /// recorded when appended: retried batches still in the log are recognised again. Owner (the partition actor) only.
    /// </summary>
    public void RebuildFrom(PartitionLog log, long scanBytes = ScanBytes)
    {
        _producers.Clear();
        var segments = log.Segments;
        int first = segments.Count - 1;
        for (long read = segments[first].Size; first > 0 && read < scanBytes; read += segments[first].Size) first--;
        long from = Math.Max(segments[first].BaseOffset, log.LogStartOffset);
        LogReplay.ForEachBatch(log, from, log.LogEndOffset, (_, header) =>
        {
            if (header.ProducerId >= 0 && header.NextOffset > from) Record(header, header.BaseOffset);
        });
    }

    private static int LastSequence(in RecordBatchHeader batch) => RecordBatchHeader.IncrementSequence(batch.BaseSequence, batch.LastOffsetDelta);
}
