using AkkaLog.Broker.Network;
using AkkaLog.Protocol;
using AkkaLog.Protocol.Messages;

namespace AkkaLog.Broker.Handlers;

/// <summary>
/// ListOffsets (key 2), v1+: offset lookup by timestamp. Special timestamps: -1 latest (the high
/// watermark; the last stable offset is the same while there are no transactions), -2 earliest,
/// -3 the record with the largest timestamp (KIP-734, v7+), -4 earliest local (v8+), -5 earliest
/// pending upload (treated as earliest; there is no tiered storage). A timestamp past every record
/// answers offset -1 and timestamp -1, as Kafka does.
/// </summary>
public sealed class ListOffsetsHandler(BrokerServices broker) : RequestHandler<ListOffsetsRequest>
{
    /// <inheritdoc />
    public override ApiKey ApiKey => ApiKey.ListOffsets;
    /// <inheritdoc />
    public override short MinVersion => 1;
    /// <inheritdoc />
    public override short MaxVersion => 10;

    /// <inheritdoc />
    protected override ValueTask<HandlerResult> HandleAsync(RequestContext context, ListOffsetsRequest request, CancellationToken cancellationToken)
    {
        var response = new ListOffsetsResponse();
        foreach (var topic in request.Topics)
        {
            var topicResponse = new ListOffsetsResponse.ListOffsetsTopicResponse { Name = topic.Name };
            response.Topics.Add(topicResponse);
            foreach (var wanted in topic.Partitions)
            {
                var answer = new ListOffsetsResponse.ListOffsetsPartitionResponse { PartitionIndex = wanted.PartitionIndex, Timestamp = -1, Offset = -1 };
                topicResponse.Partitions.Add(answer);
                if (!broker.Replicas.TryGetPartition(topic.Name, wanted.PartitionIndex, out var partition) || !partition.IsLeader)
                {
                    answer.ErrorCode = (short)(broker.Topics.PartitionExists(topic.Name, wanted.PartitionIndex)
                        ? ErrorCode.NotLeaderOrFollower : ErrorCode.UnknownTopicOrPartition);
                    continue;
                }
                if (wanted.CurrentLeaderEpoch >= 0 && wanted.CurrentLeaderEpoch != partition.LeaderEpoch)
                {
                    answer.ErrorCode = (short)(wanted.CurrentLeaderEpoch > partition.LeaderEpoch ? ErrorCode.UnknownLeaderEpoch : ErrorCode.FencedLeaderEpoch);
                    continue;
                }
                answer.LeaderEpoch = partition.LeaderEpoch;
                var log = partition.Log;
                switch (wanted.Timestamp)
                {
                    case -1:
                        answer.Offset = partition.HighWatermark;
                        break;
                    case -2 or -4 or -5:
                        answer.Offset = log.LogStartOffset;
                        break;
                    default:
                        if (wanted.Timestamp < -5) { answer.ErrorCode = (short)ErrorCode.InvalidRequest; break; }
                        if (log.FindOffsetByTimestamp(wanted.Timestamp) is { } found && found.Offset < partition.HighWatermark)
                        {
                            answer.Offset = found.Offset;
                            answer.Timestamp = found.Timestamp;
                        }
                        break;
                }
            }
        }
        return ValueTask.FromResult(HandlerResult.Of(response));
    }
}
