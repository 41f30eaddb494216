using AkkaLog.Protocol;
using AkkaLog.Protocol.Messages;

namespace AkkaLog.IntegrationTests.Infrastructure;

/// <summary>
/// Group API helpers (classic protocol): JoinGroup, SyncGroup, Heartbeat, LeaveGroup, OffsetCommit,
/// OffsetFetch, DescribeGroups, ListGroups. JoinGroup and SyncGroup block until the rebalance step
/// completes, so each member needs its own client (one request in flight per connection).
/// </summary>
public sealed partial class KafkaWireClient
{
    /// <summary>How long a JoinGroup/SyncGroup may wait for the rest of the group.</summary>
    public static readonly TimeSpan GroupWaitTimeout = TimeSpan.FromSeconds(60);

    /// <summary>JoinGroup with the "consumer" protocol type and the given (name, metadata) protocols.</summary>
    public Task<JoinGroupResponse> JoinGroupAsync(string group, string memberId, IEnumerable<(string Name, byte[] Metadata)> protocols,
        int sessionTimeoutMs = 10_000, int rebalanceTimeoutMs = 10_000, string? instanceId = null, short version = 9,
        string protocolType = ConsumerProtocolCodec.ProtocolType)
    {
        var request = new JoinGroupRequest
        {
            GroupId = group,
            SessionTimeoutMs = sessionTimeoutMs,
            RebalanceTimeoutMs = rebalanceTimeoutMs,
            MemberId = memberId,
            GroupInstanceId = instanceId,
            ProtocolType = protocolType,
            Protocols = protocols.Select(p => new JoinGroupRequest.JoinGroupRequestProtocol { Name = p.Name, Metadata = p.Metadata }).ToList(),
        };
        return SendAsync<JoinGroupResponse>(request, version, GroupWaitTimeout);
    }

    /// <summary>SyncGroup; the leader passes every member's assignment, followers pass none.</summary>
    public Task<SyncGroupResponse> SyncGroupAsync(string group, int generation, string memberId,
        IReadOnlyDictionary<string, byte[]>? assignments = null, string? instanceId = null, short version = 5,
        string? protocolName = "range")
    {
        var request = new SyncGroupRequest
        {
            GroupId = group,
            GenerationId = generation,
            MemberId = memberId,
            GroupInstanceId = instanceId,
            ProtocolType = ConsumerProtocolCodec.ProtocolType,
            ProtocolName = protocolName,
            Assignments = (assignments ?? new Dictionary<string, byte[]>())
                .Select(a => new SyncGroupRequest.SyncGroupRequestAssignment { MemberId = a.Key, Assignment = a.Value }).ToList(),
        };
        return SendAsync<SyncGroupResponse>(request, version, GroupWaitTimeout);
    }

    /// <summary>Heartbeat; returns the error code.</summary>
    public async Task<ErrorCode> HeartbeatAsync(string group, int generation, string memberId, string? instanceId = null, short version = 4)
    {
        var response = await SendAsync<HeartbeatResponse>(
            new HeartbeatRequest { GroupId = group, GenerationId = generation, MemberId = memberId, GroupInstanceId = instanceId }, version);
        return (ErrorCode)response.ErrorCode;
    }

    /// <summary>LeaveGroup v5 for one member; returns (top-level error, member error).</summary>
    public async Task<(ErrorCode Group, ErrorCode Member)> LeaveGroupAsync(string group, string memberId, string? instanceId = null)
    {
        var request = new LeaveGroupRequest { GroupId = group };
        request.Members.Add(new LeaveGroupRequest.MemberIdentity { MemberId = memberId, GroupInstanceId = instanceId });
        var response = await SendAsync<LeaveGroupResponse>(request, 5);
        return ((ErrorCode)response.ErrorCode, response.Members.Count == 1 ? (ErrorCode)response.Members[0].ErrorCode : ErrorCode.None);
    }

    /// <summary>
    /// OffsetCommit of (topic, partition, offset) entries with one metadata string; returns the
    /// error per (topic, partition) in request order.
    /// </summary>
    public async Task<List<(string Topic, int Partition, ErrorCode Error)>> CommitOffsetsAsync(string group, int generation, string memberId,
        IEnumerable<(string Topic, int Partition, long Offset)> offsets, string? metadata = "", string? instanceId = null, short version = 8)
    {
        var request = new OffsetCommitRequest { GroupId = group, GenerationIdOrMemberEpoch = generation, MemberId = memberId, GroupInstanceId = instanceId };
        foreach (var byTopic in offsets.GroupBy(o => o.Topic))
            request.Topics.Add(new OffsetCommitRequest.OffsetCommitRequestTopic
            {
                Name = byTopic.Key,
                Partitions = byTopic.Select(o => new OffsetCommitRequest.OffsetCommitRequestPartition
                {
                    PartitionIndex = o.Partition,
                    CommittedOffset = o.Offset,
                    CommittedMetadata = metadata,
                }).ToList(),
            });
        var response = await SendAsync<OffsetCommitResponse>(request, version);
        return response.Topics.SelectMany(t => t.Partitions.Select(p => (t.Name, p.PartitionIndex, (ErrorCode)p.ErrorCode))).ToList();
    }

    /// <summary>OffsetFetch v7 of every committed partition (null topics); fails on a group-level error.</summary>
    public async Task<Dictionary<(string Topic, int Partition), (long Offset, string? Metadata)>> FetchOffsetsAsync(string group)
    {
        var (error, offsets) = await TryFetchOffsetsAsync(group);
        if (error != ErrorCode.None) throw new Xunit.Sdk.XunitException($"OffsetFetch {group}: error {error}");
        return offsets;
    }

    /// <summary>OffsetFetch v7 of every committed partition, with the group-level error (e.g. COORDINATOR_LOAD_IN_PROGRESS).</summary>
    public async Task<(ErrorCode Error, Dictionary<(string Topic, int Partition), (long Offset, string? Metadata)> Offsets)> TryFetchOffsetsAsync(string group)
    {
        var response = await SendAsync<OffsetFetchResponse>(new OffsetFetchRequest { GroupId = group, Topics = null }, 7);
        return ((ErrorCode)response.ErrorCode, response.Topics.SelectMany(t => t.Partitions.Select(p => (t.Name, p)))
            .ToDictionary(x => (x.Name, x.p.PartitionIndex), x => (x.p.CommittedOffset, x.p.Metadata)));
    }

    /// <summary>OffsetDelete v0 of some partitions of one topic; returns (group error, per-partition errors).</summary>
    public async Task<(ErrorCode Group, List<ErrorCode> Partitions)> DeleteOffsetsAsync(string group, string topic, params int[] partitions)
    {
        var request = new OffsetDeleteRequest { GroupId = group };
        request.Topics.Add(new OffsetDeleteRequest.OffsetDeleteRequestTopic
        {
            Name = topic,
            Partitions = partitions.Select(p => new OffsetDeleteRequest.OffsetDeleteRequestPartition { PartitionIndex = p }).ToList(),
        });
        var response = await SendAsync<OffsetDeleteResponse>(request, 0);
        return ((ErrorCode)response.ErrorCode, response.Topics.SelectMany(t => t.Partitions.Select(p => (ErrorCode)p.ErrorCode)).ToList());
    }

    /// <summary>DeleteGroups v2 of one group; returns its error.</summary>
    public async Task<ErrorCode> DeleteGroupAsync(string group)
    {
        var response = await SendAsync<DeleteGroupsResponse>(new DeleteGroupsRequest { GroupsNames = [group] }, 2);
        return (ErrorCode)response.Results.Single().ErrorCode;
    }

    /// <summary>OffsetFetch v7 of named partitions (-1 where nothing is committed).</summary>
    public async Task<OffsetFetchResponse> FetchOffsetsAsync(string group, string topic, IEnumerable<int> partitions, short version = 7)
    {
        var request = new OffsetFetchRequest { GroupId = group };
        request.Topics!.Add(new OffsetFetchRequest.OffsetFetchRequestTopic { Name = topic, PartitionIndexes = partitions.ToList() });
        return await SendAsync<OffsetFetchResponse>(request, version);
    }

    /// <summary>DescribeGroups v5 of one group.</summary>
    public async Task<DescribeGroupsResponse.DescribedGroup> DescribeGroupAsync(string group)
    {
        var response = await SendAsync<DescribeGroupsResponse>(new DescribeGroupsRequest { Groups = [group] }, 5);
        return response.Groups.Single();
    }

    /// <summary>ListGroups v4 (with states).</summary>
    public async Task<List<ListGroupsResponse.ListedGroup>> ListGroupsAsync()
    {
        var response = await SendAsync<ListGroupsResponse>(new ListGroupsRequest(), 4);
        if (response.ErrorCode != 0) throw new Xunit.Sdk.XunitException($"ListGroups: error {(ErrorCode)response.ErrorCode}");
        return response.Groups;
    }

    /// <summary>
    /// The partitions each member of a group holds, once DescribeGroups reports it Stable with
    /// <paramref name="members"/> members; null if it is not (yet) in that shape.
    /// </summary>
    public async Task<Dictionary<string, List<(string Topic, int Partition)>>?> StableAssignmentAsync(string group, int members)
    {
        var described = await DescribeGroupAsync(group);
        if (described.ErrorCode != 0 || described.GroupState != "Stable" || described.Members.Count != members) return null;
        return described.Members.ToDictionary(m => m.MemberId, m => ConsumerProtocolCodec.DecodeAssignment(m.MemberAssignment));
    }
}
