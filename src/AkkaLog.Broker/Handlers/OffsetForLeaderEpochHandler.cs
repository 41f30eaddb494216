using AkkaLog.Broker.Network;
using AkkaLog.Protocol;
using AkkaLog.Protocol.Messages;

namespace AkkaLog.Broker.Handlers;

/// <summary>
/// OffsetForLeaderEpoch (key 23, KIP-101/279): for each partition, the largest leader epoch at or
/// below the one asked for and the offset where it ends on this leader's log (the next epoch's
/// start, or the log end for the latest). A follower taking up a new leader truncates there; a
/// consumer checks for log truncation the same way (KIP-320). Leader only; the current leader epoch,
/// when given, must match (FENCED_LEADER_EPOCH or UNKNOWN_LEADER_EPOCH otherwise). A leader that has
/// not appended in its own epoch yet has no entry for it; the latest entry then ends at the log
/// end, which is the right answer for every epoch a follower can ask about.
/// </summary>
public sealed class OffsetForLeaderEpochHandler(BrokerServices broker) : RequestHandler<OffsetForLeaderEpochRequest>
{
    /// <inheritdoc />
    public override ApiKey ApiKey => ApiKey.OffsetForLeaderEpoch;
    /// <inheritdoc />
    public override short MinVersion => 2;
    /// <inheritdoc />
    public override short MaxVersion => 4;

    /// <inheritdoc />
    protected override ValueTask<HandlerResult> HandleAsync(RequestContext context, OffsetForLeaderEpochRequest request, CancellationToken cancellationToken)
    {
        var response = new OffsetForLeaderEpochResponse();
        foreach (var topic in request.Topics)
        {
            var result = new OffsetForLeaderEpochResponse.OffsetForLeaderTopicResult { Topic = topic.Topic };
            response.Topics.Add(result);
            foreach (var wanted in topic.Partitions)
            {
                var answer = new OffsetForLeaderEpochResponse.EpochEndOffset { Partition = wanted.Partition };
                result.Partitions.Add(answer);
                if (!broker.Replicas.TryGetPartition(topic.Topic, wanted.Partition, out var partition) || !partition.IsLeader)
                {
                    answer.ErrorCode = (short)(broker.Topics.PartitionExists(topic.Topic, wanted.Partition)
                        ? ErrorCode.NotLeaderOrFollower : ErrorCode.UnknownTopicOrPartition);
                    continue;
                }
                int current = partition.LeaderEpoch;
                if (wanted.CurrentLeaderEpoch >= 0 && wanted.CurrentLeaderEpoch != current)
                {
                    answer.ErrorCode = (short)(wanted.CurrentLeaderEpoch > current ? ErrorCode.UnknownLeaderEpoch : ErrorCode.FencedLeaderEpoch);
                    continue;
                }
                var log = partition.Log;
                var (epoch, endOffset) = log.LeaderEpochs.EndOffsetFor(wanted.LeaderEpoch, log.LogEndOffset);
                answer.LeaderEpoch = epoch;
                answer.EndOffset = endOffset;
            }
        }
        return ValueTask.FromResult(HandlerResult.Of(response));
    }
}
