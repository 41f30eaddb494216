using AkkaLog.Broker.Network;
using AkkaLog.Protocol;
using AkkaLog.Protocol.Messages;

namespace AkkaLog.Broker.Handlers;

/// <summary>CreatePartitions (key 37): grows a topic's partition count; shrinking is INVALID_PARTITIONS.</summary>
public sealed class CreatePartitionsHandler(BrokerServices broker) : RequestHandler<CreatePartitionsRequest>
{
    /// <inheritdoc />
    public override ApiKey ApiKey => ApiKey.CreatePartitions;
    /// <inheritdoc />
    public override short MinVersion => 0;
    /// <inheritdoc />
    public override short MaxVersion => 3;

    /// <inheritdoc />
    protected override async ValueTask<HandlerResult> HandleAsync(RequestContext context, CreatePartitionsRequest request, CancellationToken cancellationToken)
    {
        var response = new CreatePartitionsResponse();
        foreach (var topic in request.Topics)
        {
            var result = new CreatePartitionsResponse.CreatePartitionsTopicResult { Name = topic.Name };
            response.Results.Add(result);
            if (topic.Assignments is { } assignments && assignments.Any(a => a.BrokerIds.Any(id => id != broker.Node.NodeId)))
            {
                result.ErrorCode = (short)ErrorCode.InvalidReplicaAssignment;
                result.ErrorMessage = "Replica assignment names a broker that does not exist.";
                continue;
            }
            var outcome = await broker.Topics.CreatePartitionsAsync(topic.Name, topic.Count, request.ValidateOnly, cancellationToken);
            result.ErrorCode = (short)outcome.Error;
            result.ErrorMessage = outcome.Message;
        }
        return HandlerResult.Of(response);
    }
}
