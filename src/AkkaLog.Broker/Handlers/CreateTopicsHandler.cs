using AkkaLog.Broker.Config;
using AkkaLog.Broker.Network;
using AkkaLog.Protocol;
using AkkaLog.Protocol.Messages;

namespace AkkaLog.Broker.Handlers;

/// <summary>
/// CreateTopics (key 19). -1 partitions or replication factor take the broker defaults (KIP-464,
/// v4+); explicit replica assignments are accepted only when they name this broker; configs are
/// validated by name and value (INVALID_CONFIG otherwise); validateOnly (v1+) checks without
/// creating. v5+ answers with the partition count, replication factor and effective configs.
/// </summary>
public sealed class CreateTopicsHandler(BrokerServices broker) : RequestHandler<CreateTopicsRequest>
{
    /// <inheritdoc />
    public override ApiKey ApiKey => ApiKey.CreateTopics;
    /// <inheritdoc />
    public override short MinVersion => 0;
    /// <inheritdoc />
    public override short MaxVersion => 7;

    /// <inheritdoc />
    protected override async ValueTask<HandlerResult> HandleAsync(RequestContext context, CreateTopicsRequest request, CancellationToken cancellationToken)
    {
        var response = new CreateTopicsResponse();
        var seen = new HashSet<string>();
        foreach (var topic in request.Topics)
        {
            var result = new CreateTopicsResponse.CreatableTopicResult { Name = topic.Name };
            response.Topics.Add(result);
            if (!seen.Add(topic.Name))
            {
                Fail(result, ErrorCode.InvalidRequest, $"Topic '{topic.Name}' appears more than once in the request.");
                continue;
            }
            int partitions = topic.NumPartitions;
            short replication = topic.ReplicationFactor;
            if (topic.Assignments.Count > 0)
            {
                if (partitions != -1 || replication != -1)
                {
                    Fail(result, ErrorCode.InvalidRequest, "Both numPartitions or replicationFactor and replicasAssignments were set.");
                    continue;
                }
                if (topic.Assignments.Any(a => a.BrokerIds.Any(id => id != broker.Node.NodeId)))
                {
                    Fail(result, ErrorCode.InvalidReplicaAssignment, "Replica assignment names a broker that does not exist.");
                    continue;
                }
                partitions = topic.Assignments.Count;
                replication = (short)topic.Assignments[0].BrokerIds.Count;
            }
            var configs = topic.Configs.Select(c => KeyValuePair.Create(c.Name, c.Value));
            var (outcome, created) = await broker.Topics.CreateTopicAsync(topic.Name, partitions, replication, configs, request.ValidateOnly, cancellationToken);
            if (outcome.Error != ErrorCode.None)
            {
                Fail(result, outcome.Error, outcome.Message);
                continue;
            }
            result.TopicId = created!.Id;
            result.NumPartitions = created.PartitionCount;
            result.ReplicationFactor = 1;
            result.Configs = [];
            foreach (var (name, (key, _)) in TopicConfigKeys.All.OrderBy(k => k.Key))
            {
                bool isOverride = created.Configs.TryGetValue(name, out var value);
                result.Configs.Add(new CreateTopicsResponse.CreatableTopicConfigs
                {
                    Name = name,
                    Value = isOverride ? value : broker.Config.TopicDefault(name),
                    ConfigSource = (sbyte)(isOverride ? ConfigSource.DynamicTopicConfig : ConfigSource.DefaultConfig),
                });
            }
        }
        return HandlerResult.Of(response);
    }

    private static void Fail(CreateTopicsResponse.CreatableTopicResult result, ErrorCode error, string? message)
    {
        result.ErrorCode = (short)error;
        result.ErrorMessage = message;
    }
}
