using AkkaLog.Broker.Network;
using AkkaLog.Protocol;
using AkkaLog.Protocol.Messages;
using AkkaLog.Storage;

namespace AkkaLog.Broker.Handlers;

/// <summary>ListPartitionReassignments (key 46, KIP-455): partitions being moved, with their adding and removing replicas.</summary>
public sealed class ListPartitionReassignmentsHandler(BrokerServices broker) : RequestHandler<ListPartitionReassignmentsRequest>
{
    /// <inheritdoc />
    public override ApiKey ApiKey => ApiKey.ListPartitionReassignments;
    /// <inheritdoc />
    public override short MinVersion => 0;
    /// <inheritdoc />
    public override short MaxVersion => 0;

    /// <inheritdoc />
    protected override ValueTask<HandlerResult> HandleAsync(RequestContext context, ListPartitionReassignmentsRequest request, CancellationToken cancellationToken)
    {
        var response = new ListPartitionReassignmentsResponse { ErrorMessage = null };
        var only = request.Topics?.SelectMany(t => t.PartitionIndexes.Select(p => new TopicPartition(t.Name, p)));
        foreach (var group in broker.PartitionAdmin.Reassignments(only).GroupBy(r => r.Partition.Topic))
        {
            response.Topics.Add(new ListPartitionReassignmentsResponse.OngoingTopicReassignment
            {
                Name = group.Key,
                Partitions = group.Select(r => new ListPartitionReassignmentsResponse.OngoingPartitionReassignment
                {
                    PartitionIndex = r.Partition.Partition,
                    Replicas = [.. r.State.Replicas],
                    AddingReplicas = [.. r.State.Adding],
                    RemovingReplicas = [.. r.State.Removing],
                }).ToList(),
            });
        }
        return ValueTask.FromResult(HandlerResult.Of(response));
    }
}
