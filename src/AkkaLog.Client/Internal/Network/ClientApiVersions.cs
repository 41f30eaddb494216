using AkkaLog.Protocol;

namespace AkkaLog.Client.Internal.Network;

/// <summary>
/// The API versions this client can speak, per API. The upper bounds are the versions whose
/// semantics the client code handles, not merely what the generated messages can encode: Produce
/// v13 (Kafka 4.1) names topics by id and Metadata v13 adds a top-level error, neither handled yet.
/// The lower bounds skip versions whose semantics differ in ways the code does not handle
/// (Metadata v0 reads an empty topic list as "all"; OffsetFetch v1 cannot ask for all partitions).
/// Consumer: Fetch v4+ (record batch v2 with isolation level) up to v12, since v13 names topics by id;
/// ListOffsets v1+ (a single offset, not v0's list); JoinGroup v1+ (rebalance timeout), with
/// MEMBER_ID_REQUIRED handled from v4 and static membership from v5.
/// </summary>
internal static class ClientApiVersions
{
    private static readonly Dictionary<ApiKey, VersionRange> Supported = new()
    {
        [ApiKey.ApiVersions] = new(0, 3),
        [ApiKey.Produce] = new(3, 11),
        // v3+ lets an idempotent producer bump its own epoch after a sequence gap (KIP-360).
        [ApiKey.InitProducerId] = new(0, 4),
        [ApiKey.Metadata] = new(1, 12),
        [ApiKey.CreateTopics] = new(2, 7),
        [ApiKey.DeleteTopics] = new(1, 6),
        [ApiKey.CreatePartitions] = new(0, 3),
        [ApiKey.DescribeConfigs] = new(1, 4),
        [ApiKey.IncrementalAlterConfigs] = new(0, 1),
        [ApiKey.DescribeCluster] = new(0, 1),
        [ApiKey.DeleteRecords] = new(0, 2),
        // ElectLeaders v0 has no election type (preferred only); v1 adds it.
        [ApiKey.ElectLeaders] = new(1, 2),
        [ApiKey.AlterPartitionReassignments] = new(0, 0),
        [ApiKey.ListPartitionReassignments] = new(0, 0),
        [ApiKey.FindCoordinator] = new(0, 4),
        [ApiKey.ListGroups] = new(0, 5),
        [ApiKey.DescribeGroups] = new(0, 5),
        [ApiKey.DeleteGroups] = new(0, 2),
        [ApiKey.OffsetFetch] = new(2, 9),
        [ApiKey.OffsetCommit] = new(2, 9),
        [ApiKey.OffsetDelete] = new(0, 0),
        [ApiKey.Fetch] = new(4, 12),
        [ApiKey.ListOffsets] = new(1, 10),
        [ApiKey.JoinGroup] = new(1, 9),
        [ApiKey.SyncGroup] = new(0, 5),
        [ApiKey.Heartbeat] = new(0, 4),
        [ApiKey.LeaveGroup] = new(0, 5),
    };

    /// <summary>The versions of <paramref name="key"/> this client speaks, or <see cref="VersionRange.None"/>.</summary>
    public static VersionRange For(ApiKey key) => Supported.TryGetValue(key, out var r) ? r : VersionRange.None;

    /// <summary>The highest ApiVersions version, tried first on every connection.</summary>
    public static short ApiVersionsMax => Supported[ApiKey.ApiVersions].Highest;
}
