using AkkaLog.Client.Admin;
using AkkaLog.Protocol.Messages;

namespace AkkaLog.Client.Internal.Admin;

/// <summary>Partition moves and leader elections (Java's alterPartitionReassignments, listPartitionReassignments, electLeaders).</summary>
internal sealed partial class AdminClient
{
    /// <inheritdoc />
    public Task<IReadOnlyList<TopicPartitionError>> AlterPartitionReassignmentsAsync(IReadOnlyDictionary<TopicPartition, IReadOnlyList<int>?> reassignments,
        AdminOptions? options = null, CancellationToken cancellationToken = default) =>
        RunAsync<IReadOnlyList<TopicPartitionError>>("AlterPartitionReassignments", options, cancellationToken, async ct =>
        {
            var request = new AlterPartitionReassignmentsRequest
            {
                TimeoutMs = TimeoutMs(options, _defaultTimeout),
                Topics = reassignments.GroupBy(r => r.Key.Topic).Select(t => new AlterPartitionReassignmentsRequest.ReassignableTopic
                {
                    Name = t.Key,
                    Partitions = t.Select(p => new AlterPartitionReassignmentsRequest.ReassignablePartition
                    {
                        PartitionIndex = p.Key.Partition.Value, Replicas = p.Value?.ToList(),
                    }).ToList(),
                }).ToList(),
            };
            var connection = await ControllerAsync(ct).ConfigureAwait(false);
            var response = await connection.SendAsync<AlterPartitionReassignmentsResponse>(request, ct).ConfigureAwait(false);
            ThrowIfError(response.ErrorCode, response.ErrorMessage);
            return response.Responses.SelectMany(t => t.Partitions.Select(p =>
                new TopicPartitionError(new TopicPartition(t.Name, p.PartitionIndex), Error.FromWire(p.ErrorCode, p.ErrorMessage)))).ToList();
        });

    /// <inheritdoc />
    public Task<IReadOnlyList<PartitionReassignment>> ListPartitionReassignmentsAsync(IEnumerable<TopicPartition>? partitions = null,
        AdminOptions? options = null, CancellationToken cancellationToken = default)
    {
        var only = partitions?.ToList();
        return RunAsync<IReadOnlyList<PartitionReassignment>>("ListPartitionReassignments", options, cancellationToken, async ct =>
        {
            var request = new ListPartitionReassignmentsRequest
            {
                TimeoutMs = TimeoutMs(options, _defaultTimeout),
                Topics = only?.GroupBy(p => p.Topic).Select(t => new ListPartitionReassignmentsRequest.ListPartitionReassignmentsTopics
                {
                    Name = t.Key, PartitionIndexes = t.Select(p => p.Partition.Value).ToList(),
                }).ToList(),
            };
            var connection = await ControllerAsync(ct).ConfigureAwait(false);
            var response = await connection.SendAsync<ListPartitionReassignmentsResponse>(request, ct).ConfigureAwait(false);
            ThrowIfError(response.ErrorCode, response.ErrorMessage);
            return response.Topics.SelectMany(t => t.Partitions.Select(p => new PartitionReassignment(
                new TopicPartition(t.Name, p.PartitionIndex), p.Replicas, p.AddingReplicas, p.RemovingReplicas))).ToList();
        });
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<TopicPartitionError>> ElectLeadersAsync(ElectionType type, IEnumerable<TopicPartition>? partitions = null,
        AdminOptions? options = null, CancellationToken cancellationToken = default)
    {
        var only = partitions?.ToList();
        return RunAsync<IReadOnlyList<TopicPartitionError>>("ElectLeaders", options, cancellationToken, async ct =>
        {
            var request = new ElectLeadersRequest
            {
                ElectionType = (sbyte)type,
                TimeoutMs = TimeoutMs(options, _defaultTimeout),
                TopicPartitions = only?.GroupBy(p => p.Topic).Select(t => new ElectLeadersRequest.TopicPartitionsData
                {
                    Topic = t.Key, Partitions = t.Select(p => p.Partition.Value).ToList(),
                }).ToList(),
            };
            var connection = await ControllerAsync(ct).ConfigureAwait(false);
            var response = await connection.SendAsync<ElectLeadersResponse>(request, ct).ConfigureAwait(false);
            ThrowIfError(response.ErrorCode, null);
            return response.ReplicaElectionResults.SelectMany(t => t.PartitionResult.Select(p =>
                new TopicPartitionError(new TopicPartition(t.Topic, p.PartitionId), Error.FromWire(p.ErrorCode, p.ErrorMessage)))).ToList();
        });
    }

    private static void ThrowIfError(short code, string? message)
    {
        var error = Error.FromWire(code, message);
        if (error.IsError) throw new KafkaException(error);
    }
}
