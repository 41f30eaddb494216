using System.Runtime.InteropServices;
using AkkaLog.Protocol.Records;

namespace AkkaLog.Client.Internal.Producer;

/// <summary>
/// The idempotent producer's part of a batch: the producer id, epoch and base sequence that
/// <see cref="Idempotence"/> assigns when the batch is first drained (or again after the producer's
/// identity changed), and writing them into the encoded header.
/// </summary>
internal sealed partial class ProducerBatch
{
    private int _stampedGeneration;

    /// <summary>Producer id written in the batch (-1 without idempotence).</summary>
    public long ProducerId { get; private set; } = -1;

    /// <summary>Producer epoch written in the batch (-1 without idempotence).</summary>
    public short ProducerEpoch { get; private set; } = -1;

    /// <summary>Sequence number of the first record (-1 without idempotence).</summary>
    public int BaseSequence { get; private set; } = -1;

    /// <summary>Which producer identity (<see cref="Idempotence"/>'s generation) the sequence belongs to; 0 for none yet.</summary>
    public int SequenceGeneration { get; private set; }

    /// <summary>Counted among its partition's batches in flight, from being drained until it is back (settled or requeued).</summary>
    public bool Claimed { get; set; }

    /// <summary>Gives the batch its place in the producer's sequence; <see cref="Seal"/> writes it into the bytes.</summary>
    public void AssignSequence(long producerId, short epoch, int generation, int baseSequence)
    {
        ProducerId = producerId;
        ProducerEpoch = epoch;
        SequenceGeneration = generation;
        BaseSequence = baseSequence;
    }

    /// <summary>
    /// A batch encoded under an earlier identity, sent again under a new one: rewrites producer id,
    /// epoch and base sequence in place and the CRC that covers them.
    /// </summary>
    private void Restamp()
    {
        if (_stampedGeneration == SequenceGeneration) return;
        RecordBatchHeader.SetProducer(MemoryMarshal.AsMemory(_encoded).Span, ProducerId, ProducerEpoch, BaseSequence);
        _stampedGeneration = SequenceGeneration;
    }
}
