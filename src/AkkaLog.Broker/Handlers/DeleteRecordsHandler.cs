using AkkaLog.Broker.Network;
using AkkaLog.Broker.Partitions;
using AkkaLog.Protocol;
using AkkaLog.Protocol.Messages;

namespace AkkaLog.Broker.Handlers;

/// <summary>
/// DeleteRecords (key 21): moves each partition's log start offset forward (-1 = the high
/// watermark). Offsets past the high watermark are OFFSET_OUT_OF_RANGE. Whole segments below the
/// new start are deleted; reads below it fail with OFFSET_OUT_OF_RANGE.
/// </summary>
public sealed class DeleteRecordsHandler(BrokerServices broker) : RequestHandler<DeleteRecordsRequest>
{
    /// <inheritdoc />
    public override ApiKey ApiKey => ApiKey.DeleteRecords;
    /// <inheritdoc />
    public override short MinVersion => 0;
    /// <inheritdoc />
    public override short MaxVersion => 2;

    /// <inheritdoc />
    protected override async ValueTask<HandlerResult> HandleAsync(RequestContext context, DeleteRecordsRequest request, CancellationToken cancellationToken)
    {
        var response = new DeleteRecordsResponse();
        var waits = new List<(DeleteRecordsResponse.DeleteRecordsPartitionResult, Task<(ErrorCode, long)>)>();
        foreach (var topic in request.Topics)
        {
            var topicResult = new DeleteRecordsResponse.DeleteRecordsTopicResult { Name = topic.Name };
            response.Topics.Add(topicResult);
            foreach (var wanted in topic.Partitions)
            {
                var result = new DeleteRecordsResponse.DeleteRecordsPartitionResult { PartitionIndex = wanted.PartitionIndex, LowWatermark = -1 };
                topicResult.Partitions.Add(result);
                if (!broker.Replicas.TryGetPartition(topic.Name, wanted.PartitionIndex, out var partition) || !partition.IsLeader)
                {
                    result.ErrorCode = (short)(broker.Topics.PartitionExists(topic.Name, wanted.PartitionIndex)
                        ? ErrorCode.NotLeaderOrFollower : ErrorCode.UnknownTopicOrPartition);
                    continue;
                }
                if (wanted.Offset < -1)
                {
                    result.ErrorCode = (short)ErrorCode.OffsetOutOfRange;
                    continue;
                }
                var reply = new TaskCompletionSource<(ErrorCode, long)>(TaskCreationOptions.RunContinuationsAsynchronously);
                partition.Actor.Tell(new PartitionMessage.DeleteRecords(wanted.Offset, reply));
                waits.Add((result, reply.Task));
            }
        }
        foreach (var (result, wait) in waits)
        {
            var (error, low) = await wait;
            result.ErrorCode = (short)error;
            result.LowWatermark = low;
        }
        return HandlerResult.Of(response);
    }
}
