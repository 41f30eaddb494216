using AkkaLog.Broker.Metadata;

namespace AkkaLog.Broker.Cluster;

/// <summary>Why the controller changes a partition: kept in logs and used by tests.</summary>
public enum ElectionReason
{
    /// <summary>Nothing to do.</summary>
    None,
    /// <summary>The leader is not live: a new one was chosen from the live ISR.</summary>
    LeaderFailed,
    /// <summary>No live ISR member: the partition is offline until one returns.</summary>
    Offline,
    /// <summary>No live ISR member, and unclean election chose a live out-of-sync replica.</summary>
    Unclean,
    /// <summary>Dead brokers were removed from the ISR (the leader is live).</summary>
    IsrShrunk,
    /// <summary>Leadership moved back to the preferred replica.</summary>
    Preferred,
    /// <summary>A reassignment finished: the new replica set took over.</summary>
    ReassignmentCompleted,
}

/// <summary>
/// The controller's decisions for one partition, as pure functions of its state and the live
/// brokers (so they are unit-tested without a cluster); live brokers map to their incarnations. Every change bumps the partition epoch;
/// a change of leader also bumps the leader epoch, which fences the old leader and tells followers
/// to truncate against the new one.
/// </summary>
public static class PartitionElection
{
    /// <summary>
    /// What the controller must write for <paramref name="state"/> given the live brokers, or
    /// (None, null). Leaders come from the live ISR in replica order; with none live, the partition goes
    /// offline (leader -1, last ISR kept so a returning member can lead cleanly) unless
    /// <paramref name="unclean"/> allows any live replica.
    /// </summary>
    public static (ElectionReason Reason, PartitionState? Next) Decide(PartitionState state, IReadOnlyDictionary<int, long> live, bool unclean)
    {
        var liveIsr = state.Isr.Where(live.ContainsKey).ToArray();
        // A leader that restarted (new incarnation) lost its term: elect again, bumping the epoch.
        bool leaderLive = state.Leader != PartitionState.NoLeader && live.TryGetValue(state.Leader, out long incarnation)
                          && incarnation == state.LeaderIncarnation;
        if (!leaderLive)
        {
            int candidate = state.Replicas.FirstOrDefault(r => liveIsr.Contains(r), PartitionState.NoLeader);
            if (candidate != PartitionState.NoLeader)
                return (ElectionReason.LeaderFailed, NewLeader(state, candidate, InReplicaOrder(state, liveIsr), live));
            if (unclean)
            {
                int any = state.Replicas.FirstOrDefault(live.ContainsKey, PartitionState.NoLeader);
                if (any != PartitionState.NoLeader) return (ElectionReason.Unclean, NewLeader(state, any, [any], live));
            }
            if (state.Leader == PartitionState.NoLeader) return (ElectionReason.None, null);
            // Keep the ISR as it was: its members hold every committed record, so one of them must lead next.
            return (ElectionReason.Offline, state with { Leader = PartitionState.NoLeader, LeaderEpoch = state.LeaderEpoch + 1,
                PartitionEpoch = state.PartitionEpoch + 1 });
        }
        if (liveIsr.Length != state.Isr.Length)
            return (ElectionReason.IsrShrunk, state with { Isr = liveIsr, PartitionEpoch = state.PartitionEpoch + 1 });
        if (state.IsReassigning && state.Adding.All(state.Isr.Contains))
            return (ElectionReason.ReassignmentCompleted, CompleteReassignment(state, live));
        return (ElectionReason.None, null);
    }

    /// <summary>Moves leadership to the preferred replica if it is live, in the ISR and not already leading; else null.</summary>
    public static PartitionState? PreferredLeader(PartitionState state, IReadOnlyDictionary<int, long> live)
    {
        int preferred = state.PreferredLeader;
        if (preferred == state.Leader || !live.ContainsKey(preferred) || !state.Isr.Contains(preferred)) return null;
        return NewLeader(state, preferred, state.Isr, live);
    }

    /// <summary>
    /// The state that starts moving a partition to <paramref name="target"/>: replicas become old ∪ new
    /// (new ones first, so the preferred leader is the target's), the added ones join as followers and
    /// catch up; the controller finishes once they are all in the ISR. Null when nothing changes.
    /// </summary>
    public static PartitionState? StartReassignment(PartitionState state, int[] target)
    {
        var current = state.TargetReplicas;
        if (current.AsSpan().SequenceEqual(target) && !state.IsReassigning) return null;
        var adding = target.Where(r => !current.Contains(r)).ToArray();
        var removing = current.Where(r => !target.Contains(r)).ToArray();
        var replicas = target.Concat(current.Where(r => !target.Contains(r))).ToArray();
        return state with { Replicas = replicas, Adding = adding, Removing = removing, PartitionEpoch = state.PartitionEpoch + 1 };
    }

    /// <summary>Abandons a running reassignment: back to the replicas it started from.</summary>
    public static PartitionState? CancelReassignment(PartitionState state, IReadOnlyDictionary<int, long> live)
    {
        if (!state.IsReassigning) return null;
        var original = state.Replicas.Where(r => !state.Adding.Contains(r)).ToArray();
        var isr = state.Isr.Where(original.Contains).ToArray();
        var next = state with { Replicas = original, Isr = isr, Adding = [], Removing = [], PartitionEpoch = state.PartitionEpoch + 1 };
        if (state.Leader != PartitionState.NoLeader && !original.Contains(state.Leader))
        {
            int leader = original.FirstOrDefault(isr.Contains, PartitionState.NoLeader);
            next = next with { Leader = leader, LeaderEpoch = state.LeaderEpoch + 1, LeaderIncarnation = live.GetValueOrDefault(leader) };
        }
        return next;
    }

    private static PartitionState CompleteReassignment(PartitionState state, IReadOnlyDictionary<int, long> live)
    {
        var target = state.TargetReplicas;
        var isr = state.Isr.Where(target.Contains).ToArray();
        var next = state with { Replicas = target, Isr = isr, Adding = [], Removing = [], PartitionEpoch = state.PartitionEpoch + 1 };
        if (!target.Contains(state.Leader))
        {
            int leader = target.FirstOrDefault(r => isr.Contains(r) && live.ContainsKey(r), PartitionState.NoLeader);
            next = next with { Leader = leader, LeaderEpoch = state.LeaderEpoch + 1, LeaderIncarnation = live.GetValueOrDefault(leader) };
        }
        return next;
    }

    private static PartitionState NewLeader(PartitionState state, int leader, int[] isr, IReadOnlyDictionary<int, long> live) =>
        state with { Leader = leader, LeaderEpoch = state.LeaderEpoch + 1, LeaderIncarnation = live[leader], Isr = isr,
            PartitionEpoch = state.PartitionEpoch + 1 };

    private static int[] InReplicaOrder(PartitionState state, int[] members) =>
        state.Replicas.Where(members.Contains).Concat(members.Where(m => !state.Replicas.Contains(m))).ToArray();
}
