using AkkaLog.Client.Admin;
using AkkaLog.Protocol;
using AkkaLog.Protocol.Messages;

namespace AkkaLog.Client.Internal.Admin;

internal sealed partial class AdminClient
{
    /// <inheritdoc />
    public Task<IReadOnlyList<GroupListing>> ListGroupsAsync(AdminOptions? options = null, CancellationToken cancellationToken = default) =>
        RunAsync<IReadOnlyList<GroupListing>>("ListGroups", options, cancellationToken, async ct =>
        {
            // Each broker only knows the groups it coordinates, so ask them all and merge.
            var metadata = await _core.Metadata.FetchAsync([], allowAutoCreate: false, ct).ConfigureAwait(false);
            var groups = new List<GroupListing>();
            foreach (var broker in metadata.Brokers)
            {
                var connection = await _core.Pool.GetAsync(broker.NodeId, ct).ConfigureAwait(false);
                var response = await connection.SendAsync<ListGroupsResponse>(new ListGroupsRequest(), ct).ConfigureAwait(false);
                var error = Error.FromWire(response.ErrorCode, null);
                if (error.IsError) throw new KafkaException(error.Code, $"ListGroups on broker {broker.NodeId}: {error.Reason}");
                groups.AddRange(response.Groups.Select(g => new GroupListing(g.GroupId, g.ProtocolType, g.GroupState, g.GroupType)));
            }
            return groups.DistinctBy(g => g.GroupId).OrderBy(g => g.GroupId, StringComparer.Ordinal).ToList();
        });

    /// <inheritdoc />
    public Task<IReadOnlyList<GroupDescription>> DescribeGroupsAsync(IEnumerable<string> groups, AdminOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        var ids = groups.ToList();
        return RunAsync<IReadOnlyList<GroupDescription>>("DescribeGroups", options, cancellationToken, async ct =>
        {
            var described = new List<GroupDescription>();
            foreach (var id in ids)
            {
                var connection = await _core.FindCoordinatorAsync(id, ct).ConfigureAwait(false);
                var response = await connection.SendAsync<DescribeGroupsResponse>(new DescribeGroupsRequest { Groups = [id] }, ct).ConfigureAwait(false);
                var g = response.Groups.FirstOrDefault(x => x.GroupId == id)
                        ?? throw new KafkaException(ErrorCode.UnknownServerError, $"DescribeGroups returned nothing for '{id}'");
                var error = CoordinatorError(id, g.ErrorCode, null);
                described.Add(new GroupDescription(g.GroupId, error, g.GroupState, g.ProtocolType, g.ProtocolData,
                    g.Members.Select(m => new GroupMemberDescription(m.MemberId, m.GroupInstanceId, m.ClientId, m.ClientHost,
                        m.MemberMetadata, m.MemberAssignment)).ToList()));
            }
            Check("DescribeGroups", described.Select(d => new AdminItemResult(d.GroupId, d.Error)).ToList());
            return described;
        });
    }

    /// <inheritdoc />
    public Task DeleteGroupsAsync(IEnumerable<string> groups, AdminOptions? options = null, CancellationToken cancellationToken = default)
    {
        var ids = groups.ToList();
        return RunAsync("DeleteGroups", options, cancellationToken, async ct =>
        {
            var results = new List<AdminItemResult>();
            foreach (var id in ids)
            {
                var connection = await _core.FindCoordinatorAsync(id, ct).ConfigureAwait(false);
                var response = await connection.SendAsync<DeleteGroupsResponse>(new DeleteGroupsRequest { GroupsNames = [id] }, ct).ConfigureAwait(false);
                var r = response.Results.FirstOrDefault(x => x.GroupId == id);
                results.Add(new AdminItemResult(id, r is null ? new Error(ErrorCode.UnknownServerError, "no result") : CoordinatorError(id, r.ErrorCode, null)));
            }
            Check("DeleteGroups", results);
        });
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<TopicPartitionOffsetError>> ListConsumerGroupOffsetsAsync(string group, IEnumerable<TopicPartition>? partitions = null,
        AdminOptions? options = null, CancellationToken cancellationToken = default)
    {
        var wanted = partitions?.ToList();
        return RunAsync<IReadOnlyList<TopicPartitionOffsetError>>("ListConsumerGroupOffsets", options, cancellationToken, async ct =>
        {
            var connection = await _core.FindCoordinatorAsync(group, ct).ConfigureAwait(false);
            short version = connection.Versions.Pick(ApiKey.OffsetFetch);
            var response = await connection.SendAsync<OffsetFetchResponse>(OffsetFetch(group, wanted, version), version, ct).ConfigureAwait(false);
            var list = new List<TopicPartitionOffsetError>();
            // v8+ (KIP-709) nests results per group; older versions answer for the one group at top level.
            if (version >= 8)
            {
                var g = response.Groups.FirstOrDefault(x => x.GroupId == group)
                        ?? throw new KafkaException(ErrorCode.UnknownServerError, $"OffsetFetch returned nothing for '{group}'");
                ThrowIfError(CoordinatorError(group, g.ErrorCode, null), group);
                foreach (var t in g.Topics)
                    foreach (var p in t.Partitions)
                        list.Add(new(new TopicPartition(t.Name, p.PartitionIndex), p.CommittedOffset, p.Metadata, Error.FromWire(p.ErrorCode, null)));
            }
            else
            {
                ThrowIfError(CoordinatorError(group, response.ErrorCode, null), group);
                foreach (var t in response.Topics)
                    foreach (var p in t.Partitions)
                        list.Add(new(new TopicPartition(t.Name, p.PartitionIndex), p.CommittedOffset, p.Metadata, Error.FromWire(p.ErrorCode, null)));
            }
            return list;
        });
    }

    /// <inheritdoc />
    public Task AlterConsumerGroupOffsetsAsync(string group, IEnumerable<TopicPartitionOffset> offsets, AdminOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        var list = offsets.ToList();
        return RunAsync("AlterConsumerGroupOffsets", options, cancellationToken, async ct =>
        {
            // Generation -1 and no member id: a commit from outside the group, which the coordinator
            // accepts only while the group has no members (as the Java admin client relies on).
            var request = new OffsetCommitRequest
            {
                GroupId = group,
                GenerationIdOrMemberEpoch = -1,
                MemberId = "",
                Topics = list.GroupBy(o => o.Topic).Select(t => new OffsetCommitRequest.OffsetCommitRequestTopic
                {
                    Name = t.Key,
                    Partitions = t.Select(o => new OffsetCommitRequest.OffsetCommitRequestPartition
                    {
                        PartitionIndex = o.Partition.Value, CommittedOffset = o.Offset.Value, CommittedMetadata = "",
                    }).ToList(),
                }).ToList(),
            };
            var connection = await _core.FindCoordinatorAsync(group, ct).ConfigureAwait(false);
            var response = await connection.SendAsync<OffsetCommitResponse>(request, ct).ConfigureAwait(false);
            var results = response.Topics.SelectMany(t => t.Partitions.Select(p =>
                new AdminItemResult(new TopicPartition(t.Name, p.PartitionIndex).ToString(), CoordinatorError(group, p.ErrorCode, null)))).ToList();
            Check("AlterConsumerGroupOffsets", results);
        });
    }

    private static OffsetFetchRequest OffsetFetch(string group, List<TopicPartition>? wanted, short version)
    {
        // A null topic list asks for every partition the group has committed.
        if (version >= 8)
        {
            return new OffsetFetchRequest
            {
                Groups =
                [
                    new OffsetFetchRequest.OffsetFetchRequestGroup
                    {
                        GroupId = group,
                        Topics = wanted?.GroupBy(t => t.Topic).Select(t => new OffsetFetchRequest.OffsetFetchRequestTopics
                        {
                            Name = t.Key, PartitionIndexes = t.Select(p => p.Partition.Value).ToList(),
                        }).ToList(),
                    },
                ],
            };
        }
        return new OffsetFetchRequest
        {
            GroupId = group,
            Topics = wanted?.GroupBy(t => t.Topic).Select(t => new OffsetFetchRequest.OffsetFetchRequestTopic
            {
                Name = t.Key, PartitionIndexes = t.Select(p => p.Partition.Value).ToList(),
            }).ToList(),
        };
    }

    /// <summary>Maps a group-level error; a moved or missing coordinator is forgotten so the retry looks it up again.</summary>
    private Error CoordinatorError(string group, short code, string? message)
    {
        var error = Error.FromWire(code, message);
        if (error.Code is ErrorCode.NotCoordinator or ErrorCode.CoordinatorNotAvailable) _core.ForgetCoordinator(group);
        return error;
    }

    private static void ThrowIfError(Error error, string group)
    {
        if (!error.IsError) return;
        if (error.IsRetriable) throw new KafkaException(error.Code, $"group '{group}': {error.Reason}");
        throw new KafkaAdminException("group request", [new AdminItemResult(group, error)]);
    }

}
