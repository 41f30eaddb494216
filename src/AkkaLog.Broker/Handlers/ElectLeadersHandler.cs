using AkkaLog.Broker.Network;
using AkkaLog.Protocol;
using AkkaLog.Protocol.Messages;
using AkkaLog.Storage;

namespace AkkaLog.Broker.Handlers;

/// <summary>
/// ElectLeaders (key 43, KIP-183/460): election type 0 moves leadership to each partition's preferred
/// replica (if live and in sync); type 1 (unclean) lets any live replica lead a partition that has no
/// live in-sync replica. A null partition list means every partition. Served by any broker.
/// </summary>
public sealed class ElectLeadersHandler(BrokerServices broker) : RequestHandler<ElectLeadersRequest>
{
    /// <inheritdoc />
    public override ApiKey ApiKey => ApiKey.ElectLeaders;
    /// <inheritdoc />
    public override short MinVersion => 0;
    /// <inheritdoc />
    public override short MaxVersion => 2;

    /// <inheritdoc />
    protected override async ValueTask<HandlerResult> HandleAsync(RequestContext context, ElectLeadersRequest request, CancellationToken cancellationToken)
    {
        var response = new ElectLeadersResponse();
        if (request.ElectionType is not (0 or 1))
        {
            response.ErrorCode = (short)ErrorCode.InvalidRequest;
            return HandlerResult.Of(response);
        }
        var partitions = request.TopicPartitions?.SelectMany(t => t.Partitions.Select(p => new TopicPartition(t.Topic, p)))
                         ?? broker.Metadata.Current.Partitions.Keys.OrderBy(p => p.Topic, StringComparer.Ordinal).ThenBy(p => p.Partition);
        foreach (var group in partitions.GroupBy(p => p.Topic))
        {
            var result = new ElectLeadersResponse.ReplicaElectionResult { Topic = group.Key };
            response.ReplicaElectionResults.Add(result);
            foreach (var tp in group)
            {
                var (error, message) = await broker.PartitionAdmin.ElectAsync(tp, unclean: request.ElectionType == 1, cancellationToken);
                result.PartitionResult.Add(new ElectLeadersResponse.PartitionResult { PartitionId = tp.Partition, ErrorCode = (short)error, ErrorMessage = message });
            }
        }
        return HandlerResult.Of(response);
    }
}
