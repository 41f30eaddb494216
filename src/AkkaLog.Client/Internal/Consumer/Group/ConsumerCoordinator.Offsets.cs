using AkkaLog.Client.Internal.Network;
using AkkaLog.Protocol;
using AkkaLog.Protocol.Messages;

namespace AkkaLog.Client.Internal.Consumer.Group;

internal sealed partial class ConsumerCoordinator
{
    /// <summary>
    /// Commits <paramref name="offsets"/>, retrying retriable errors (coordinator moved or loading) until
    /// <paramref name="cancellationToken"/>. A member commits with its generation and member id; outside
    /// a group (manual Assign) with generation -1, which the coordinator accepts while the group has no
    /// members. UNKNOWN_MEMBER_ID / ILLEGAL_GENERATION (the group moved on without us) and
    /// REBALANCE_IN_PROGRESS fail the commit, as Java's CommitFailedException does, and make us rejoin.
    /// </summary>
    public async Task CommitAsync(IReadOnlyList<TopicPartitionOffset> offsets, CancellationToken cancellationToken)
    {
        if (offsets.Count == 0) return;
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                await CommitOnceAsync(offsets, cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (KafkaException e) when (e.IsRetriable && !cancellationToken.IsCancellationRequested)
            {
                await Task.Delay(ConnectionSettings.Backoff(_settings.RetryBackoff, _settings.RetryBackoffMax, attempt), cancellationToken)
                    .ConfigureAwait(false);
            }
        }
    }

    private async Task CommitOnceAsync(IReadOnlyList<TopicPartitionOffset> offsets, CancellationToken cancellationToken)
    {
        string memberId;
        int generation;
        // Not a member (manual Assign, or between memberships): generation -1 and no member id.
        lock (_lock) (memberId, generation) = _generation >= 0 ? (_memberId, _generation) : ("", -1);
        var connection = await GroupConnectionAsync(cancellationToken).ConfigureAwait(false);
        var request = new OffsetCommitRequest
        {
            GroupId = GroupId,
            GenerationIdOrMemberEpoch = generation,
            MemberId = memberId,
            GroupInstanceId = generation >= 0 ? _settings.GroupInstanceId : null,
            RetentionTimeMs = -1,
            Topics = offsets.GroupBy(o => o.Topic, StringComparer.Ordinal).Select(t => new OffsetCommitRequest.OffsetCommitRequestTopic
            {
                Name = t.Key,
                Partitions = t.Select(o => new OffsetCommitRequest.OffsetCommitRequestPartition
                {
                    PartitionIndex = o.Partition.Value, CommittedOffset = o.Offset.Value, CommittedLeaderEpoch = -1, CommittedMetadata = "",
                }).ToList(),
            }).ToList(),
        };
        var response = await connection.SendAsync<OffsetCommitResponse>(request, cancellationToken).ConfigureAwait(false);
        var error = response.Topics.SelectMany(t => t.Partitions).Select(p => ErrorCodes.Normalize(p.ErrorCode))
            .FirstOrDefault(c => c != ErrorCode.None);
        switch (error)
        {
            case ErrorCode.None:
                return;
            case ErrorCode.UnknownMemberId or ErrorCode.IllegalGeneration:
                lock (_lock)
                {
                    if (_generation == generation && generation >= 0)
                    {
                        if (error == ErrorCode.UnknownMemberId) _memberId = "";
                        (_generation, _lost, _rejoin) = (-1, true, true);
                    }
                }
                _wake.Set();
                throw new KafkaException(error, $"OffsetCommit for group '{GroupId}' failed: the group has rebalanced without this member "
                    + $"(generation {generation}); its partitions may now belong to another member");
            case ErrorCode.RebalanceInProgress:
                lock (_lock) _rejoin = true;
                _wake.Set();
                throw new KafkaException(error, $"OffsetCommit for group '{GroupId}' failed: a rebalance is in progress; commit again after it");
            default:
                throw CoordinatorError(error, "OffsetCommit");
        }
    }

    /// <summary>
    /// The group's committed offsets for <paramref name="partitions"/>, -1 where there is none, retrying
    /// retriable errors until <paramref name="cancellationToken"/>. Asks with require_stable (v7+,
    /// KIP-447), so offsets of a pending transactional commit come back as UNSTABLE_OFFSET_COMMIT and are retried.
    /// </summary>
    public async Task<Dictionary<TopicPartition, long>> FetchCommittedAsync(IReadOnlyCollection<TopicPartition> partitions,
        CancellationToken cancellationToken)
    {
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                return await FetchCommittedOnceAsync(partitions, cancellationToken).ConfigureAwait(false);
            }
            catch (KafkaException e) when (e.IsRetriable && !cancellationToken.IsCancellationRequested)
            {
                await Task.Delay(ConnectionSettings.Backoff(_settings.RetryBackoff, _settings.RetryBackoffMax, attempt), cancellationToken)
                    .ConfigureAwait(false);
            }
        }
    }

    private async Task<Dictionary<TopicPartition, long>> FetchCommittedOnceAsync(IReadOnlyCollection<TopicPartition> partitions,
        CancellationToken cancellationToken)
    {
        var connection = await GroupConnectionAsync(cancellationToken).ConfigureAwait(false);
        short version = connection.Versions.Pick(ApiKey.OffsetFetch);
        OffsetFetchRequest request;
        if (version >= 8)
        {
            // v8+ (KIP-709) asks for several groups at once; we ask for one.
            request = new OffsetFetchRequest
            {
                RequireStable = true,
                Groups =
                [
                    new OffsetFetchRequest.OffsetFetchRequestGroup
                    {
                        GroupId = GroupId,
                        Topics = partitions.GroupBy(tp => tp.Topic, StringComparer.Ordinal).Select(t => new OffsetFetchRequest.OffsetFetchRequestTopics
                        {
                            Name = t.Key, PartitionIndexes = t.Select(tp => tp.Partition.Value).ToList(),
                        }).ToList(),
                    },
                ],
            };
        }
        else
        {
            request = new OffsetFetchRequest
            {
                GroupId = GroupId,
                RequireStable = true,
                Topics = partitions.GroupBy(tp => tp.Topic, StringComparer.Ordinal).Select(t => new OffsetFetchRequest.OffsetFetchRequestTopic
                {
                    Name = t.Key, PartitionIndexes = t.Select(tp => tp.Partition.Value).ToList(),
                }).ToList(),
            };
        }
        var response = await connection.SendAsync<OffsetFetchResponse>(request, version, cancellationToken).ConfigureAwait(false);
        var result = new Dictionary<TopicPartition, long>();
        ErrorCode groupError;
        var entries = new List<(string Topic, int Partition, long Offset, short Error)>();
        if (version >= 8)
        {
            var group = response.Groups.FirstOrDefault(g => g.GroupId == GroupId)
                        ?? throw new KafkaException(ErrorCode.UnknownServerError, $"OffsetFetch returned nothing for group '{GroupId}'");
            groupError = ErrorCodes.Normalize(group.ErrorCode);
            foreach (var t in group.Topics)
                foreach (var p in t.Partitions) entries.Add((t.Name, p.PartitionIndex, p.CommittedOffset, p.ErrorCode));
        }
        else
        {
            groupError = ErrorCodes.Normalize(response.ErrorCode);
            foreach (var t in response.Topics)
                foreach (var p in t.Partitions) entries.Add((t.Name, p.PartitionIndex, p.CommittedOffset, p.ErrorCode));
        }
        if (groupError != ErrorCode.None) throw CoordinatorError(groupError, "OffsetFetch");
        foreach (var (topic, partition, offset, code) in entries)
        {
            var error = ErrorCodes.Normalize(code);
            if (error == ErrorCode.UnknownTopicOrPartition) error = ErrorCode.None;
            if (error != ErrorCode.None) throw CoordinatorError(error, $"OffsetFetch of {topic} [{partition}]");
            result[new TopicPartition(topic, partition)] = offset;
        }
        foreach (var tp in partitions) result.TryAdd(tp, -1);
        return result;
    }
}
