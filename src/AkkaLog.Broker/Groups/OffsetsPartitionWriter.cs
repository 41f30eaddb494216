using AkkaLog.Broker.Partitions;
using AkkaLog.Protocol;
using AkkaLog.Protocol.Records;

namespace AkkaLog.Broker.Groups;

/// <summary>
/// Appends a group's records to its <c>__consumer_offsets</c> partition as one batch through the
/// partition actor (so they share its group commit) with acks=all, so a commit is acknowledged only
/// once the partition's in-sync replicas have it, and reports the outcome as a coordinator error
/// code (Kafka's mapping: a lost leadership is NOT_COORDINATOR, too few replicas or a timeout
/// COORDINATOR_NOT_AVAILABLE; clients retry both).
/// </summary>
internal sealed class OffsetsPartitionWriter(Partition partition, TimeProvider time, int timeoutMs)
{
    /// <summary>The partition written to.</summary>
    public Partition Partition => partition;

    /// <summary>Writes the records (null value = tombstone) as one batch; None once they are in the log.</summary>
    public async Task<ErrorCode> WriteAsync(IReadOnlyList<(byte[] Key, byte[]? Value)> records)
    {
        byte[] batch;
        int size = records.Sum(r => r.Key.Length + (r.Value?.Length ?? 0) + 32) + RecordBatchHeader.Size;
        using (var builder = new RecordBatchBuilder(CompressionCodec.None, size))
        {
            long now = time.GetUtcNow().ToUnixTimeMilliseconds();
            foreach (var (key, value) in records)
                builder.Append(now, key, false, value ?? ReadOnlySpan<byte>.Empty, value is null);
            batch = builder.ToArray();
        }
        if (batch.Length > partition.Settings.MaxMessageBytes) return ErrorCode.MessageTooLarge;
        var reply = new TaskCompletionSource<AppendOutcome>(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!partition.Actor.Tell(new PartitionMessage.Append(batch, reply, Acks: -1, TimeoutMs: timeoutMs))) return ErrorCode.CoordinatorNotAvailable;
        return (await reply.Task).Error switch
        {
            ErrorCode.NotLeaderOrFollower or ErrorCode.KafkaStorageError => ErrorCode.NotCoordinator,
            ErrorCode.NotEnoughReplicas or ErrorCode.NotEnoughReplicasAfterAppend or ErrorCode.RequestTimedOut => ErrorCode.CoordinatorNotAvailable,
            var error => error,
        };
    }
}
