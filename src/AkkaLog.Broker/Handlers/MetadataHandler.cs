using AkkaLog.Broker.Metadata;
using AkkaLog.Broker.Network;
using AkkaLog.Protocol;
using AkkaLog.Protocol.Messages;

namespace AkkaLog.Broker.Handlers;

/// <summary>
/// Metadata (key 3): brokers, cluster id, controller and topic partitions. A null topic list
/// (v1+) or an empty one at v0 means every topic. Unknown topics are created when both the
/// request (AllowAutoTopicCreation, v4+) and <c>auto.create.topics.enable</c> allow it; creation
/// is synchronous here, so the created topic is returned complete rather than with
/// LEADER_NOT_AVAILABLE. v10+ may name topics by id. Brokers are the live ones; each partition
/// shows its leader, leader epoch, replicas, ISR and offline replicas (assigned to brokers that are
/// not live) from the metadata image; a partition without a leader says LEADER_NOT_AVAILABLE.
/// </summary>
public sealed class MetadataHandler(BrokerServices broker) : RequestHandler<MetadataRequest>
{
    /// <inheritdoc />
    public override ApiKey ApiKey => ApiKey.Metadata;
    /// <inheritdoc />
    public override short MinVersion => 0;
    /// <inheritdoc />
    public override short MaxVersion => 12;

    /// <inheritdoc />
    protected override async ValueTask<HandlerResult> HandleAsync(RequestContext context, MetadataRequest request, CancellationToken cancellationToken)
    {
        var response = new MetadataResponse
        {
            ClusterId = broker.Metadata.Current.ClusterId,
            ControllerId = broker.Metadata.Current.ControllerId,
        };
        foreach (var node in broker.Brokers)
            response.Brokers.Add(new MetadataResponse.MetadataResponseBroker { NodeId = node.NodeId, Host = node.Host, Port = node.Port, Rack = node.Rack });

        bool allTopics = request.Topics is null || (context.ApiVersion == 0 && request.Topics.Count == 0);
        if (allTopics)
        {
            foreach (var topic in broker.Metadata.Current.TopicsByName.Values.OrderBy(t => t.Name))
                response.Topics.Add(Describe(topic));
            return HandlerResult.Of(response);
        }

        bool mayCreate = request.AllowAutoTopicCreation && broker.Config.AutoCreateTopics;
        foreach (var wanted in request.Topics!)
        {
            var image = broker.Metadata.Current;
            if (wanted.Name is null)
            {
                response.Topics.Add(image.TopicsById.TryGetValue(wanted.TopicId, out var byId)
                    ? Describe(byId)
                    : Failed(null, wanted.TopicId, ErrorCode.UnknownTopicId));
                continue;
            }
            if (image.TryGetTopic(wanted.Name, out var topic))
            {
                response.Topics.Add(Describe(topic));
                continue;
            }
            if (TopicNames.Validate(wanted.Name) is not null)
            {
                response.Topics.Add(Failed(wanted.Name, Guid.Empty, ErrorCode.InvalidTopicException));
                continue;
            }
            if (!mayCreate)
            {
                response.Topics.Add(Failed(wanted.Name, Guid.Empty, ErrorCode.UnknownTopicOrPartition));
                continue;
            }
            var (result, created) = await broker.Topics.CreateTopicAsync(wanted.Name, -1, -1, [], false, cancellationToken);
            if (result.Error == ErrorCode.TopicAlreadyExists && broker.Metadata.Current.TryGetTopic(wanted.Name, out var raced))
                created = raced;
            response.Topics.Add(created is not null ? Describe(created) : Failed(wanted.Name, Guid.Empty, result.Error));
        }
        return HandlerResult.Of(response);
    }

    private MetadataResponse.MetadataResponseTopic Describe(TopicMetadata topic)
    {
        var result = new MetadataResponse.MetadataResponseTopic
        {
            Name = topic.Name,
            TopicId = topic.Id,
            IsInternal = TopicNames.IsInternal(topic.Name),
        };
        var image = broker.Metadata.Current;
        for (int i = 0; i < topic.PartitionCount; i++)
        {
            var state = image.PartitionStateOf(topic.Name, i);
            if (state is null)
            {
                result.Partitions.Add(new MetadataResponse.MetadataResponsePartition
                {
                    PartitionIndex = i, ErrorCode = (short)ErrorCode.LeaderNotAvailable, LeaderId = -1, LeaderEpoch = -1,
                });
                continue;
            }
            bool leaderLive = state.Leader >= 0 && image.Brokers.ContainsKey(state.Leader);
            result.Partitions.Add(new MetadataResponse.MetadataResponsePartition
            {
                PartitionIndex = i,
                ErrorCode = (short)(leaderLive ? ErrorCode.None : ErrorCode.LeaderNotAvailable),
                LeaderId = leaderLive ? state.Leader : -1,
                LeaderEpoch = state.LeaderEpoch,
                ReplicaNodes = [.. state.Replicas],
                IsrNodes = [.. state.Isr],
                OfflineReplicas = state.Replicas.Where(r => !image.Brokers.ContainsKey(r)).ToList(),
            });
        }
        return result;
    }

    private static MetadataResponse.MetadataResponseTopic Failed(string? name, Guid id, ErrorCode error) =>
        new() { Name = name, TopicId = id, ErrorCode = (short)error };
}
