using AkkaLog.Protocol;
using AkkaLog.Protocol.Messages;

namespace AkkaLog.Broker.Groups;

/// <summary>Who sent a group request: its client id and address (DescribeGroups reports both).</summary>
public readonly record struct GroupClient(string ClientId, string ClientHost);

/// <summary>Messages a <see cref="GroupActor"/> handles: client requests (each with its reply) and its own timers.</summary>
internal abstract record GroupMessage
{
    public sealed record Join(JoinGroupRequest Request, short Version, GroupClient Client, TaskCompletionSource<JoinGroupResponse> Reply) : GroupMessage;
    public sealed record Sync(SyncGroupRequest Request, short Version, TaskCompletionSource<SyncGroupResponse> Reply) : GroupMessage;
    public sealed record Heartbeat(string MemberId, string? GroupInstanceId, int Generation, TaskCompletionSource<ErrorCode> Reply) : GroupMessage;
    public sealed record Leave(IReadOnlyList<(string MemberId, string? GroupInstanceId)> Members, TaskCompletionSource<(ErrorCode Group, ErrorCode[] Members)> Reply) : GroupMessage;
    public sealed record CommitOffsets(string MemberId, string? GroupInstanceId, int Generation,
        IReadOnlyList<OffsetCommitEntry> Offsets, TaskCompletionSource<ErrorCode[]> Reply) : GroupMessage;
    public sealed record FetchOffsets(IReadOnlyList<(string Topic, IReadOnlyList<int>? Partitions)>? Topics,
        TaskCompletionSource<IReadOnlyList<(string Topic, int Partition, CommittedOffset? Offset)>> Reply) : GroupMessage;
    public sealed record DeleteOffsets(IReadOnlyList<(string Topic, int Partition)> Partitions,
        TaskCompletionSource<(ErrorCode Group, ErrorCode[] Partitions)> Reply) : GroupMessage;
    public sealed record Describe(TaskCompletionSource<GroupDescription> Reply) : GroupMessage;
    public sealed record Delete(TaskCompletionSource<ErrorCode> Reply) : GroupMessage;
    /// <summary>Timer: session expiry, join and sync deadlines.</summary>
    public sealed record Tick : GroupMessage;
    /// <summary>Timer: drop offsets past offsets.retention.minutes.</summary>
    public sealed record ExpireOffsets : GroupMessage;
}

/// <summary>One partition's offset in an OffsetCommit.</summary>
public sealed record OffsetCommitEntry(string Topic, int Partition, CommittedOffset Offset);

/// <summary>A group as DescribeGroups reports it.</summary>
public sealed record GroupDescription(GroupState State, string ProtocolType, string Protocol, IReadOnlyList<MemberDescription> Members);

/// <summary>A member as DescribeGroups reports it.</summary>
public sealed record MemberDescription(string MemberId, string? GroupInstanceId, string ClientId, string ClientHost, byte[] Metadata, byte[] Assignment);
