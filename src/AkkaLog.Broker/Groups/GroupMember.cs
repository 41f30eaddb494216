using AkkaLog.Protocol.Messages;

namespace AkkaLog.Broker.Groups;

/// <summary>One member of a classic group, as the group actor tracks it.</summary>
internal sealed class GroupMember(string memberId)
{
    public string MemberId { get; set; } = memberId;
    public string? GroupInstanceId { get; set; }
    public string ClientId { get; set; } = "";
    public string ClientHost { get; set; } = "";
    public int SessionTimeoutMs { get; set; }
    public int RebalanceTimeoutMs { get; set; }
    /// <summary>Supported protocols in the member's order of preference, with their metadata.</summary>
    public List<(string Name, byte[] Metadata)> Protocols { get; set; } = [];
    public byte[] Assignment { get; set; } = [];
    /// <summary>Set while the member's JoinGroup waits for the rebalance to complete.</summary>
    public TaskCompletionSource<JoinGroupResponse>? AwaitingJoin { get; set; }
    /// <summary>Set while the member's SyncGroup waits for the leader's assignment.</summary>
    public TaskCompletionSource<SyncGroupResponse>? AwaitingSync { get; set; }
    /// <summary>Joined but not yet part of a completed generation.</summary>
    public bool IsNew { get; set; } = true;
    /// <summary>When the member is removed unless it heartbeats (or is waiting in a join or sync).</summary>
    public long SessionDeadlineMs { get; set; }

    public byte[] MetadataFor(string protocol) =>
        Protocols.FirstOrDefault(p => p.Name == protocol).Metadata ?? [];

    public bool SameProtocols(List<(string Name, byte[] Metadata)> other) =>
        Protocols.Count == other.Count
        && Protocols.Zip(other).All(p => p.First.Name == p.Second.Name && p.First.Metadata.AsSpan().SequenceEqual(p.Second.Metadata));
}
