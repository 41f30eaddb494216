using AkkaLog.Protocol.Records;

namespace AkkaLog.Client.Internal.Producer;

/// <summary>
/// enable.idempotence: the producer id and epoch from InitProducerId, and per partition the next
/// sequence number, the last acknowledged one and how many batches are in flight. The broker keeps
/// the last few batches of each producer, so a retried batch that had in fact been written is
/// recognised instead of written twice, and a batch that would leave a gap is refused
/// (OUT_OF_ORDER_SEQUENCE_NUMBER) rather than written out of order.
/// <para>
/// Rules that keep a partition's batches in order with up to five in flight (as in the Java client):
/// a new batch gets the next sequence when it is drained; a batch coming back for a retry returns to
/// its place in the queue (by sequence) and is resent alone, once nothing of its partition is in
/// flight; a batch that leaves the sequence without being written (it failed, expired or was split)
/// leaves a gap, so the producer asks for a new epoch (KIP-360) and every partition counts from zero
/// again, starting only once its earlier batches are back.
/// </para>
/// Thread-safe: the sender drains under partition locks while responses settle on connection loops.
/// </summary>
internal sealed class Idempotence(int maxInFlightPerPartition)
{
    private readonly Lock _lock = new();
    private readonly Dictionary<(string Topic, int Partition), PartitionSequence> _partitions = new();
    private long _producerId = -1;
    private short _epoch = -1;
    private int _generation;
    private string? _resetReason;

    /// <summary>The current producer id and epoch (-1, -1 before the first InitProducerId).</summary>
    public (long ProducerId, short Epoch) Identity
    {
        get { lock (_lock) return (_producerId, _epoch); }
    }

    /// <summary>Why a new identity is needed now (the first one, or after a gap); null when none is.</summary>
    public string? IdentityWanted
    {
        get
        {
            lock (_lock) return _producerId < 0 ? "no producer id yet" : _resetReason;
        }
    }

    /// <summary>Adopts a producer id and epoch from InitProducerId; sequences start again from zero.</summary>
    public void SetIdentity(long producerId, short epoch)
    {
        lock (_lock)
        {
            _producerId = producerId;
            _epoch = epoch;
            _generation++;
            _resetReason = null;
        }
    }

    /// <summary>Asks for a new epoch before more batches are sent (a sequence gap, or the broker lost our state).</summary>
    public void RequestReset(string reason)
    {
        lock (_lock) _resetReason ??= reason;
    }

    /// <summary>
    /// For the head batch of a partition about to be drained: true (counting it in flight and, if it has
    /// no sequence under the current identity, giving it the next one) when it may go now.
    /// </summary>
    public bool TryClaim(ProducerBatch batch)
    {
        lock (_lock)
        {
            if (_producerId < 0 || _resetReason is not null) return false;
            var p = For(batch);
            if (p.Generation != _generation)
            {
                // The first batch under a new identity waits for the old identity's batches to come back.
                if (p.InFlight > 0) return false;
                p.Generation = _generation;
                p.Next = 0;
                p.LastAcked = -1;
            }
            if (batch.SequenceGeneration == _generation)
            {
                // A retry goes alone, so the broker sees the partition's batches in sequence order.
                if (p.InFlight > 0) return false;
            }
            else
            {
                if (p.InFlight >= maxInFlightPerPartition) return false;
                batch.AssignSequence(_producerId, _epoch, _generation, p.Next);
                p.Next = RecordBatchHeader.IncrementSequence(p.Next, batch.Count);
            }
            p.InFlight++;
            batch.Claimed = true;
            return true;
        }
    }

    /// <summary>The broker wrote the batch (or already had it).</summary>
    public void Acknowledged(ProducerBatch batch)
    {
        lock (_lock)
        {
            var p = Release(batch);
            if (p is not null && batch.SequenceGeneration == p.Generation)
                p.LastAcked = RecordBatchHeader.IncrementSequence(batch.BaseSequence, batch.Count - 1);
        }
    }

    /// <summary>The batch goes back to its queue to be sent again.</summary>
    public void Returned(ProducerBatch batch)
    {
        lock (_lock) Release(batch);
    }

    /// <summary>
    /// The batch will not be written (failed, expired or split): if it held sequence numbers under the
    /// current identity, later batches would meet a gap, so a new epoch is requested.
    /// </summary>
    public void Abandoned(ProducerBatch batch)
    {
        lock (_lock)
        {
            Release(batch);
            if (batch.SequenceGeneration == _generation && _generation > 0)
                _resetReason ??= $"{batch.Topic}-{batch.Partition} lost sequence {batch.BaseSequence} (batch not written)";
        }
    }

    /// <summary>
    /// For OUT_OF_ORDER_SEQUENCE_NUMBER: true when an earlier batch of the partition is still
    /// unacknowledged (this one just has to wait its turn), false when this is the earliest, so the
    /// broker has lost track of us and a new epoch is needed.
    /// </summary>
    public bool IsBehindAnEarlierBatch(ProducerBatch batch)
    {
        lock (_lock)
        {
            var p = For(batch);
            return batch.SequenceGeneration != p.Generation || batch.BaseSequence != RecordBatchHeader.IncrementSequence(p.LastAcked, 1);
        }
    }

    /// <summary>True when the batch's sequence is from an identity that has been replaced.</summary>
    public bool IsFromEarlierIdentity(ProducerBatch batch)
    {
        lock (_lock) return batch.SequenceGeneration != _generation;
    }

    private PartitionSequence? Release(ProducerBatch batch)
    {
        if (!batch.Claimed) return null;
        batch.Claimed = false;
        var p = For(batch);
        p.InFlight--;
        return p;
    }

    private PartitionSequence For(ProducerBatch batch)
    {
        if (!_partitions.TryGetValue((batch.Topic, batch.Partition), out var p))
            _partitions[(batch.Topic, batch.Partition)] = p = new PartitionSequence();
        return p;
    }

    private sealed class PartitionSequence
    {
        public int Generation;
        public int Next;
        public int LastAcked = -1;
        public int InFlight;
    }
}
