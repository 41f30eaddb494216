using AkkaLog.Broker.Network;
using AkkaLog.Protocol;
using AkkaLog.Protocol.Messages;

namespace AkkaLog.Broker.Handlers.Groups;

/// <summary>
/// FindCoordinator (key 10): a group's coordinator is the leader of its <c>__consumer_offsets</c>
/// partition (created here on first use if it does not exist yet and enough brokers are live);
/// without a live leader the answer is COORDINATOR_NOT_AVAILABLE, which clients retry. Transaction
/// coordinators (key type 1) and share groups (2) are not available yet and say so.
/// </summary>
public sealed class FindCoordinatorHandler(BrokerServices broker) : RequestHandler<FindCoordinatorRequest>
{
    /// <inheritdoc />
    public override ApiKey ApiKey => ApiKey.FindCoordinator;
    /// <inheritdoc />
    public override short MinVersion => 0;
    /// <inheritdoc />
    public override short MaxVersion => 6;

    /// <inheritdoc />
    protected override async ValueTask<HandlerResult> HandleAsync(RequestContext context, FindCoordinatorRequest request, CancellationToken cancellationToken)
    {
        var response = new FindCoordinatorResponse();
        if (request.KeyType == 0 && broker.Groups.PartitionCount == 0) await broker.Groups.EnsureOffsetsTopicAsync(cancellationToken);
        if (context.ApiVersion < 4)
        {
            var (error, message, node) = Find(request.KeyType, request.Key);
            response.ErrorCode = (short)error;
            response.ErrorMessage = message;
            response.NodeId = node?.NodeId ?? -1;
            response.Host = node?.Host ?? "";
            response.Port = node?.Port ?? -1;
            return HandlerResult.Of(response);
        }
        foreach (string key in request.CoordinatorKeys)
        {
            var (error, message, node) = Find(request.KeyType, key);
            response.Coordinators.Add(new FindCoordinatorResponse.Coordinator
            {
                Key = key,
                ErrorCode = (short)error,
                ErrorMessage = message,
                NodeId = node?.NodeId ?? -1,
                Host = node?.Host ?? "",
                Port = node?.Port ?? -1,
            });
        }
        return HandlerResult.Of(response);
    }

    private (ErrorCode, string?, BrokerNode?) Find(sbyte keyType, string key)
    {
        switch (keyType)
        {
            case 0:
                // Any group id, the empty one included: Kafka answers it too, so that commits under "" work.
                int partitions = broker.Groups.PartitionCount;
                if (partitions == 0) return (ErrorCode.CoordinatorNotAvailable, "The offsets topic does not exist yet (too few live brokers?).", null);
                var image = broker.Metadata.Current;
                var state = image.PartitionStateOf(Broker.Groups.GroupCoordinator.OffsetsTopic, Broker.Groups.GroupCoordinator.PartitionFor(key, partitions));
                if (state is null || !image.Brokers.TryGetValue(state.Leader, out var leader))
                    return (ErrorCode.CoordinatorNotAvailable, "The group's offsets partition has no live leader.", null);
                return (ErrorCode.None, null, leader);
            case 1:
                return (ErrorCode.CoordinatorNotAvailable, "Transactions are not supported by this broker yet.", null);
            default:
                return (ErrorCode.InvalidRequest, $"Unknown coordinator key type {keyType}.", null);
        }
    }
}
