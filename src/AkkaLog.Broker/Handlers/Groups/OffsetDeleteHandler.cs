using AkkaLog.Broker.Groups;
using AkkaLog.Broker.Network;
using AkkaLog.Protocol;
using AkkaLog.Protocol.Messages;

namespace AkkaLog.Broker.Handlers.Groups;

/// <summary>
/// OffsetDelete (key 47): removes committed offsets of a group; refused per partition
/// (GROUP_SUBSCRIBED_TO_TOPIC) while an active consumer group subscribes to the topic.
/// </summary>
public sealed class OffsetDeleteHandler(BrokerServices broker) : RequestHandler<OffsetDeleteRequest>
{
    /// <inheritdoc />
    public override ApiKey ApiKey => ApiKey.OffsetDelete;
    /// <inheritdoc />
    public override short MinVersion => 0;
    /// <inheritdoc />
    public override short MaxVersion => 0;

    /// <inheritdoc />
    protected override async ValueTask<HandlerResult> HandleAsync(RequestContext context, OffsetDeleteRequest request, CancellationToken cancellationToken)
    {
        var partitions = request.Topics.SelectMany(t => t.Partitions.Select(p => (t.Name, p.PartitionIndex))).ToList();
        var response = new OffsetDeleteResponse();
        var error = GroupRequests.Check(broker.Groups, request.GroupId);
        if (error != ErrorCode.None)
        {
            response.ErrorCode = (short)error;
            return HandlerResult.Of(response);
        }
        var (groupError, errors) = await broker.Groups.AskAsync(request.GroupId, create: false,
            reply => new GroupMessage.DeleteOffsets(partitions, reply),
            (ErrorCode.GroupIdNotFound, new ErrorCode[partitions.Count]));
        response.ErrorCode = (short)groupError;
        if (groupError != ErrorCode.None) return HandlerResult.Of(response);
        int i = 0;
        foreach (var topic in request.Topics)
        {
            var t = new OffsetDeleteResponse.OffsetDeleteResponseTopic { Name = topic.Name };
            foreach (var p in topic.Partitions)
                t.Partitions.Add(new OffsetDeleteResponse.OffsetDeleteResponsePartition { PartitionIndex = p.PartitionIndex, ErrorCode = (short)errors[i++] });
            response.Topics.Add(t);
        }
        return HandlerResult.Of(response);
    }
}
