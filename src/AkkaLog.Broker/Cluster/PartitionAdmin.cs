using AkkaLog.Broker.Metadata;
using AkkaLog.Protocol;
using AkkaLog.Storage;

namespace AkkaLog.Broker.Cluster;

/// <summary>
/// Admin changes to partition states (AlterPartitionReassignments, ElectLeaders), made by whichever
/// broker receives the request as a compare-and-swap on the partition's state, retried from the
/// latest image when a concurrent change wins. The controller finishes what they start (a
/// reassignment completes once the new replicas are in the ISR).
/// </summary>
public sealed class PartitionAdmin(IMetadataStore store)
{
    private const int Attempts = 5;

    /// <summary>
    /// Starts moving <paramref name="partition"/> to <paramref name="target"/> replicas (the first becomes
    /// the preferred leader), or cancels a running reassignment when <paramref name="target"/> is null.
    /// </summary>
    public async Task<(ErrorCode Error, string? Message)> ReassignAsync(TopicPartition partition, IReadOnlyList<int>? target,
        CancellationToken cancellationToken)
    {
        if (target is not null)
        {
            if (target.Count == 0) return (ErrorCode.InvalidReplicaAssignment, "The replica list is empty.");
            if (target.Distinct().Count() != target.Count) return (ErrorCode.InvalidReplicaAssignment, "The replica list names a broker twice.");
            var unknown = target.Where(b => !store.Current.Brokers.ContainsKey(b)).ToList();
            if (unknown.Count > 0) return (ErrorCode.InvalidReplicaAssignment, $"Brokers [{string.Join(',', unknown)}] are not live.");
        }
        for (int attempt = 0; attempt < Attempts; attempt++)
        {
            var image = store.Current;
            if (!image.Partitions.TryGetValue(partition, out var state)) return (ErrorCode.UnknownTopicOrPartition, null);
            PartitionState? next;
            if (target is null)
            {
                next = PartitionElection.CancelReassignment(state, Live(image));
                if (next is null) return (ErrorCode.NoReassignmentInProgress, $"No reassignment of {partition} is in progress.");
            }
            else
            {
                next = PartitionElection.StartReassignment(state, [.. target]);
                if (next is null) return (ErrorCode.None, null);
            }
            if (await store.TryUpdatePartitionAsync(partition, state, next, asController: false, cancellationToken)) return (ErrorCode.None, null);
        }
        return (ErrorCode.RequestTimedOut, $"{partition} kept changing; try again.");
    }

    /// <summary>Partitions with a reassignment in progress (all, or those asked for).</summary>
    public IEnumerable<(TopicPartition Partition, PartitionState State)> Reassignments(IEnumerable<TopicPartition>? only)
    {
        var image = store.Current;
        var partitions = only is null ? image.Partitions : only.Where(image.Partitions.ContainsKey).Select(tp => KeyValuePair.Create(tp, image.Partitions[tp]));
        return partitions.Where(p => p.Value.IsReassigning).Select(p => (p.Key, p.Value)).OrderBy(p => p.Key.Topic, StringComparer.Ordinal).ThenBy(p => p.Key.Partition);
    }

    /// <summary>
    /// ElectLeaders: preferred (the first replica, if live and in sync) or unclean (any live replica when no
    /// in-sync replica is live). Answers per partition as Kafka does: None, ELECTION_NOT_NEEDED,
    /// PREFERRED_LEADER_NOT_AVAILABLE or ELIGIBLE_LEADERS_NOT_AVAILABLE.
    /// </summary>
    public async Task<(ErrorCode Error, string? Message)> ElectAsync(TopicPartition partition, bool unclean, CancellationToken cancellationToken)
    {
        for (int attempt = 0; attempt < Attempts; attempt++)
        {
            var image = store.Current;
            if (!image.Partitions.TryGetValue(partition, out var state)) return (ErrorCode.UnknownTopicOrPartition, null);
            var live = Live(image);
            PartitionState? next;
            if (unclean)
            {
                if (state.Leader >= 0 && live.ContainsKey(state.Leader)) return (ErrorCode.ElectionNotNeeded, "The partition has a live leader.");
                next = PartitionElection.Decide(state, live, unclean: true).Next;
                if (next is null || next.Leader < 0) return (ErrorCode.EligibleLeadersNotAvailable, "No live replica can lead.");
            }
            else
            {
                if (state.Leader == state.PreferredLeader && live.ContainsKey(state.Leader)) return (ErrorCode.ElectionNotNeeded, "The preferred replica already leads.");
                next = PartitionElection.PreferredLeader(state, live);
                if (next is null) return (ErrorCode.PreferredLeaderNotAvailable, $"Preferred replica {state.PreferredLeader} is not live and in sync.");
            }
            if (await store.TryUpdatePartitionAsync(partition, state, next, asController: false, cancellationToken)) return (ErrorCode.None, null);
        }
        return (ErrorCode.RequestTimedOut, $"{partition} kept changing; try again.");
    }

    private static Dictionary<int, long> Live(MetadataImage image) => image.Brokers.ToDictionary(b => b.Key, b => b.Value.Incarnation);
}
