namespace AkkaLog.Broker.Groups;

/// <summary>The classic group states, named as DescribeGroups and ListGroups report them.</summary>
public enum GroupState
{
    /// <summary>No members; may still hold committed offsets.</summary>
    Empty,
    /// <summary>A rebalance started: waiting for members to (re)join.</summary>
    PreparingRebalance,
    /// <summary>Everyone joined: waiting for the leader's assignment in SyncGroup.</summary>
    CompletingRebalance,
    /// <summary>Members hold their assignments and heartbeat.</summary>
    Stable,
    /// <summary>Deleted, or never existed.</summary>
    Dead,
}

/// <summary>A group's state and protocol type, for ListGroups without asking every group actor.</summary>
public sealed record GroupSummary(string GroupId, GroupState State, string ProtocolType);
