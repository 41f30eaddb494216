using AkkaLog.Client.Admin;
using AkkaLog.Protocol;
using AkkaLog.Protocol.Messages;

namespace AkkaLog.Client.Internal.Admin;

internal sealed partial class AdminClient
{
    /// <inheritdoc />
    public Task CreateTopicsAsync(IEnumerable<TopicSpecification> topics, AdminOptions? options = null, CancellationToken cancellationToken = default)
    {
        var specs = topics.ToList();
        return RunAsync("CreateTopics", options, cancellationToken, async ct =>
        {
            var request = new CreateTopicsRequest { TimeoutMs = TimeoutMs(options, _defaultTimeout), ValidateOnly = options?.ValidateOnly ?? false };
            foreach (var s in specs)
            {
                var topic = new CreateTopicsRequest.CreatableTopic { Name = s.Name, NumPartitions = s.NumPartitions, ReplicationFactor = s.ReplicationFactor };
                if (s.ReplicasAssignments is { Count: > 0 } assignments)
                {
                    // Explicit placement replaces the counts, which must then be -1 on the wire.
                    topic.NumPartitions = -1;
                    topic.ReplicationFactor = -1;
                    foreach (var (partition, brokers) in assignments)
                        topic.Assignments.Add(new CreateTopicsRequest.CreatableReplicaAssignment { PartitionIndex = partition, BrokerIds = brokers.ToList() });
                }
                foreach (var (k, v) in s.Configs ?? []) topic.Configs.Add(new CreateTopicsRequest.CreatableTopicConfig { Name = k, Value = v });
                request.Topics.Add(topic);
            }
            var connection = await ControllerAsync(ct).ConfigureAwait(false);
            var response = await connection.SendAsync<CreateTopicsResponse>(request, ct).ConfigureAwait(false);
            Check("CreateTopics", response.Topics.Select(t => new AdminItemResult(t.Name, Error.FromWire(t.ErrorCode, t.ErrorMessage))).ToList());
        });
    }

    /// <inheritdoc />
    public Task DeleteTopicsAsync(IEnumerable<string> topics, AdminOptions? options = null, CancellationToken cancellationToken = default)
    {
        var names = topics.ToList();
        return RunAsync("DeleteTopics", options, cancellationToken, async ct =>
        {
            // v6 names topics in Topics (name or id), older versions in TopicNames; only one is written.
            var request = new DeleteTopicsRequest
            {
                TimeoutMs = TimeoutMs(options, _defaultTimeout),
                TopicNames = names.ToList(),
                Topics = names.Select(n => new DeleteTopicsRequest.DeleteTopicState { Name = n }).ToList(),
            };
            var connection = await ControllerAsync(ct).ConfigureAwait(false);
            var response = await connection.SendAsync<DeleteTopicsResponse>(request, ct).ConfigureAwait(false);
            Check("DeleteTopics", response.Responses.Select(t => new AdminItemResult(t.Name ?? t.TopicId.ToString(), Error.FromWire(t.ErrorCode, t.ErrorMessage))).ToList());
        });
    }

    /// <inheritdoc />
    public Task CreatePartitionsAsync(IEnumerable<PartitionsSpecification> partitions, AdminOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        var specs = partitions.ToList();
        return RunAsync("CreatePartitions", options, cancellationToken, async ct =>
        {
            var request = new CreatePartitionsRequest
            {
                TimeoutMs = TimeoutMs(options, _defaultTimeout),
                ValidateOnly = options?.ValidateOnly ?? false,
                Topics = specs.Select(s => new CreatePartitionsRequest.CreatePartitionsTopic { Name = s.Topic, Count = s.IncreaseTo, Assignments = null }).ToList(),
            };
            var connection = await ControllerAsync(ct).ConfigureAwait(false);
            var response = await connection.SendAsync<CreatePartitionsResponse>(request, ct).ConfigureAwait(false);
            Check("CreatePartitions", response.Results.Select(t => new AdminItemResult(t.Name, Error.FromWire(t.ErrorCode, t.ErrorMessage))).ToList());
        });
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<TopicDescription>> DescribeTopicsAsync(IEnumerable<string> topics, AdminOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        var names = topics.ToList();
        return RunAsync<IReadOnlyList<TopicDescription>>("DescribeTopics", options, cancellationToken, async ct =>
        {
            var response = await _core.Metadata.FetchAsync(names, allowAutoCreate: false, ct).ConfigureAwait(false);
            var described = response.Topics.Where(t => t.Name is not null).Select(Describe).ToList();
            var results = described.Select(d => new AdminItemResult(d.Name, d.Error)).ToList();
            if (results.Any(r => r.Error.IsError)) throw new KafkaAdminException("DescribeTopics", results);
            return described;
        });
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<string>> ListTopicsAsync(bool includeInternal = false, AdminOptions? options = null,
        CancellationToken cancellationToken = default) =>
        RunAsync<IReadOnlyList<string>>("ListTopics", options, cancellationToken, async ct =>
        {
            var response = await _core.Metadata.FetchAsync(null, allowAutoCreate: false, ct).ConfigureAwait(false);
            return response.Topics.Where(t => t.Name is not null && t.ErrorCode == 0 && (includeInternal || !t.IsInternal))
                .Select(t => t.Name!).Order(StringComparer.Ordinal).ToList();
        });

    private static TopicDescription Describe(MetadataResponse.MetadataResponseTopic t) => new(
        t.Name!, t.TopicId, t.IsInternal,
        t.Partitions.OrderBy(p => p.PartitionIndex)
            .Select(p => new TopicPartitionInfo(p.PartitionIndex, p.LeaderId, p.ReplicaNodes.ToList(), p.IsrNodes.ToList(),
                Error.FromWire(p.ErrorCode, null)))
            .ToList(),
        Error.FromWire(t.ErrorCode, null));
}
