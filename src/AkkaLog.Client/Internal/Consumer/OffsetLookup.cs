using AkkaLog.Client.Internal.Network;
using AkkaLog.Protocol;
using AkkaLog.Protocol.Messages;

namespace AkkaLog.Client.Internal.Consumer;

/// <summary>ListOffsets to one leader: the earliest (-2) or latest (-1) offset, or the first at a timestamp.</summary>
internal static class OffsetLookup
{
    /// <summary>Timestamp value that asks for the log start offset.</summary>
    public const long Earliest = -2;

    /// <summary>Timestamp value that asks for the end (high watermark, or last stable offset with read_committed).</summary>
    public const long Latest = -1;

    /// <summary>
    /// Asks <paramref name="connection"/> (the leader of every partition given) for an offset per partition.
    /// Per-partition errors come back in the result; a failed request throws <see cref="KafkaException"/>.
    /// </summary>
    public static async Task<Dictionary<TopicPartition, (ErrorCode Error, long Offset)>> ListAsync(BrokerConnection connection,
        IReadOnlyCollection<(TopicPartition Partition, long Timestamp)> wanted, sbyte isolationLevel, CancellationToken cancellationToken)
    {
        var request = new ListOffsetsRequest
        {
            ReplicaId = -1,
            IsolationLevel = isolationLevel,
            TimeoutMs = 30000,
            Topics = wanted.GroupBy(w => w.Partition.Topic, StringComparer.Ordinal).Select(t => new ListOffsetsRequest.ListOffsetsTopic
            {
                Name = t.Key,
                Partitions = t.Select(w => new ListOffsetsRequest.ListOffsetsPartition
                {
                    PartitionIndex = w.Partition.Partition.Value, Timestamp = w.Timestamp, CurrentLeaderEpoch = -1,
                }).ToList(),
            }).ToList(),
        };
        var response = await connection.SendAsync<ListOffsetsResponse>(request, cancellationToken).ConfigureAwait(false);
        var result = new Dictionary<TopicPartition, (ErrorCode, long)>();
        foreach (var t in response.Topics)
        {
            foreach (var p in t.Partitions)
                result[new TopicPartition(t.Name, p.PartitionIndex)] = (ErrorCodes.Normalize(p.ErrorCode), p.Offset);
        }
        foreach (var (tp, _) in wanted)
        {
            if (!result.ContainsKey(tp)) result[tp] = (ErrorCode.UnknownServerError, -1);
        }
        return result;
    }

    /// <summary>Errors after which the partition's leader should be looked up again.</summary>
    public static bool IsStaleMetadata(ErrorCode code) => code is ErrorCode.NotLeaderOrFollower or ErrorCode.UnknownTopicOrPartition
        or ErrorCode.LeaderNotAvailable or ErrorCode.FencedLeaderEpoch or ErrorCode.UnknownLeaderEpoch or ErrorCode.KafkaStorageError
        or ErrorCode.ReplicaNotAvailable or ErrorCode.UnknownTopicId or ErrorCode.OffsetNotAvailable;
}
