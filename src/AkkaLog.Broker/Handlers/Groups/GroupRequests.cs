using AkkaLog.Broker.Groups;
using AkkaLog.Broker.Network;
using AkkaLog.Protocol;

namespace AkkaLog.Broker.Handlers.Groups;

/// <summary>What the group handlers share: the pre-checks every group request gets, and the client's identity.</summary>
internal static class GroupRequests
{
    /// <summary>INVALID_GROUP_ID for an empty id, COORDINATOR_LOAD_IN_PROGRESS while its partition loads, else None.</summary>
    public static ErrorCode Check(GroupCoordinator coordinator, string? groupId) =>
        string.IsNullOrEmpty(groupId) ? ErrorCode.InvalidGroupId : coordinator.Availability(groupId);

    /// <summary>
    /// As <see cref="Check"/>, but the empty group id is valid: Kafka keeps it working for
    /// OffsetCommit, OffsetFetch, DescribeGroups and DeleteGroups (consumers from before KIP-289
    /// commit under ""), and refuses only a null id.
    /// </summary>
    public static ErrorCode CheckAllowingEmpty(GroupCoordinator coordinator, string? groupId) =>
        groupId is null ? ErrorCode.InvalidGroupId : coordinator.Availability(groupId);

    /// <summary>Client id and address as DescribeGroups shows them (Kafka prints the host as "/ip").</summary>
    public static GroupClient ClientOf(RequestContext context)
    {
        string host = context.RemoteEndPoint ?? "";
        int colon = host.LastIndexOf(':');
        if (colon > 0) host = host[..colon];
        return new GroupClient(context.ClientId ?? "", "/" + host.Trim('[', ']'));
    }
}
