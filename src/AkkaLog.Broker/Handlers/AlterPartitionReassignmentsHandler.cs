using AkkaLog.Broker.Network;
using AkkaLog.Protocol;
using AkkaLog.Protocol.Messages;
using AkkaLog.Storage;

namespace AkkaLog.Broker.Handlers;

/// <summary>
/// AlterPartitionReassignments (key 45, KIP-455): starts moving partitions to new replica lists
/// (null cancels a running move). New replicas join as followers and catch up; once they are all in
/// the ISR the controller switches the partition to the new list and the removed replicas delete
/// their copies, so readers and writers are never interrupted. Served by any broker.
/// </summary>
public sealed class AlterPartitionReassignmentsHandler(BrokerServices broker) : RequestHandler<AlterPartitionReassignmentsRequest>
{
    /// <inheritdoc />
    public override ApiKey ApiKey => ApiKey.AlterPartitionReassignments;
    /// <inheritdoc />
    public override short MinVersion => 0;
    /// <inheritdoc />
    public override short MaxVersion => 0;

    /// <inheritdoc />
    protected override async ValueTask<HandlerResult> HandleAsync(RequestContext context, AlterPartitionReassignmentsRequest request, CancellationToken cancellationToken)
    {
        var response = new AlterPartitionReassignmentsResponse { ErrorMessage = null };
        foreach (var topic in request.Topics)
        {
            var result = new AlterPartitionReassignmentsResponse.ReassignableTopicResponse { Name = topic.Name };
            response.Responses.Add(result);
            foreach (var p in topic.Partitions)
            {
                var (error, message) = await broker.PartitionAdmin.ReassignAsync(new TopicPartition(topic.Name, p.PartitionIndex), p.Replicas, cancellationToken);
                result.Partitions.Add(new AlterPartitionReassignmentsResponse.ReassignablePartitionResponse
                {
                    PartitionIndex = p.PartitionIndex, ErrorCode = (short)error, ErrorMessage = message,
                });
            }
        }
        return HandlerResult.Of(response);
    }
}
