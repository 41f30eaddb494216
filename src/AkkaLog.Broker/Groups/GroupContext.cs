namespace AkkaLog.Broker.Groups;

/// <summary>What a group actor needs from the broker: its offsets partition, topic lookups and the coordinator's registry.</summary>
internal sealed record GroupContext(
    OffsetsPartitionWriter Log,
    Func<string, int, bool> PartitionExists,
    Action<GroupSummary> Publish,
    Action<string> Removed);

/// <summary>A group's durable state, as rebuilt from <c>__consumer_offsets</c>.</summary>
internal sealed class GroupSnapshot
{
    /// <summary>The latest membership record, or null if none (or deleted).</summary>
    public StoredGroup? Group { get; set; }
    /// <summary>Latest committed offset per partition.</summary>
    public Dictionary<(string Topic, int Partition), CommittedOffset> Offsets { get; } = [];

    /// <summary>True when there is nothing to restore.</summary>
    public bool IsEmpty => Group is null && Offsets.Count == 0;
}
