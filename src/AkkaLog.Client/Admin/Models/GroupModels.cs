namespace AkkaLog.Client.Admin;

/// <summary>A group as ListGroups reports it.</summary>
/// <param name="GroupId">Group id.</param>
/// <param name="ProtocolType">"consumer" for consumer groups, empty for groups that only commit offsets.</param>
/// <param name="State">State (Stable, Empty...; empty when the broker predates ListGroups v4).</param>
/// <param name="Type">Group type (classic, consumer...; empty before v5).</param>
public sealed record GroupListing(string GroupId, string ProtocolType, string State, string Type);

/// <summary>One member of a described group.</summary>
/// <param name="MemberId">Member id.</param>
/// <param name="GroupInstanceId">Static membership id, if any.</param>
/// <param name="ClientId">The member's client id.</param>
/// <param name="Host">The member's host.</param>
/// <param name="Metadata">Protocol-specific member metadata (for consumers: the subscription).</param>
/// <param name="Assignment">Protocol-specific assignment (for consumers: the assigned partitions).</param>
public sealed record GroupMemberDescription(string MemberId, string? GroupInstanceId, string ClientId, string Host,
    ReadOnlyMemory<byte> Metadata, ReadOnlyMemory<byte> Assignment);

/// <summary>A described group.</summary>
/// <param name="GroupId">Group id.</param>
/// <param name="Error">Group-level error.</param>
/// <param name="State">State name (Stable, Empty, Dead...).</param>
/// <param name="ProtocolType">Protocol type ("consumer").</param>
/// <param name="Protocol">Chosen protocol (assignor name) while stable.</param>
/// <param name="Members">Members.</param>
public sealed record GroupDescription(string GroupId, Error Error, string State, string ProtocolType, string Protocol,
    IReadOnlyList<GroupMemberDescription> Members);

/// <summary>A committed offset of a group, or the error reading it.</summary>
/// <param name="TopicPartition">The partition.</param>
/// <param name="Offset">Committed offset (<see cref="Offset.Unset"/> when none).</param>
/// <param name="Metadata">Commit metadata string.</param>
/// <param name="Error">Per-partition error.</param>
public sealed record TopicPartitionOffsetError(TopicPartition TopicPartition, Offset Offset, string? Metadata, Error Error);
