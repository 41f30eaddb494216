using AkkaLog.Protocol;
using AkkaLog.Protocol.Records;

namespace AkkaLog.Broker.Partitions;

/// <summary>
/// Idempotent-producer state of one partition (Kafka's ProducerStateManager, kept in memory and
/// owned by the partition actor): per producer id its epoch and its last five batches' sequence
/// ranges and offsets. A retried batch that was already written is answered with its original
/// offsets instead of being written twice; a gap in the sequence is OUT_OF_ORDER_SEQUENCE_NUMBER
/// and an older epoch INVALID_PRODUCER_EPOCH (a fenced zombie).
/// <para>
/// Not persisted: after a restart a producer is unknown and its next batch is accepted whatever
/// its sequence (a retry in flight across the restart could then be written twice). Kafka keeps
/// producer snapshots beside the segments to close that gap; we have not built that yet.
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
        int expected = Increment(entry.Batches.Last().LastSequence, 1);
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

    /// <summary>Forgets every producer (the log was truncated or replaced).</summary>
    public void Clear() => _producers.Clear();

    private static int LastSequence(in RecordBatchHeader batch) => Increment(batch.BaseSequence, batch.LastOffsetDelta);

    /// <summary>Sequences wrap from int.MaxValue to 0, as Kafka's DefaultRecordBatch.incrementSequence.</summary>
    private static int Increment(int sequence, int by) =>
        sequence > int.MaxValue - by ? by - (int.MaxValue - sequence) - 1 : sequence + by;
}
