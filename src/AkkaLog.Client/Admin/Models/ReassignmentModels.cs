namespace AkkaLog.Client.Admin;

/// <summary>Which replica may be elected leader by <see cref="IAdminClient.ElectLeadersAsync"/>.</summary>
public enum ElectionType
{
    /// <summary>The preferred (first) replica, if it is alive and in sync.</summary>
    Preferred = 0,
    /// <summary>Any live replica, even one not in sync, when no in-sync replica is alive: may lose records.</summary>
    Unclean = 1,
}

/// <summary>The outcome for one partition of an admin call that works partition by partition.</summary>
/// <param name="TopicPartition">The partition.</param>
/// <param name="Error">Its error (with the broker's message), or <see cref="Error.NoError"/>.</param>
public sealed record TopicPartitionError(TopicPartition TopicPartition, Error Error);

/// <summary>A partition move in progress.</summary>
/// <param name="TopicPartition">The partition being moved.</param>
/// <param name="Replicas">Its replicas now: the old set and the new one together while it moves.</param>
/// <param name="AddingReplicas">Replicas that are catching up to join.</param>
/// <param name="RemovingReplicas">Replicas that leave once the new ones are in sync.</param>
public sealed record PartitionReassignment(TopicPartition TopicPartition, IReadOnlyList<int> Replicas, IReadOnlyList<int> AddingReplicas,
    IReadOnlyList<int> RemovingReplicas);
