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
        // ISR members live under the registration they joined with; one that restarted since (KIP-903) may have lost
        // unflushed records, so it neither leads nor stays in the ISR while a member that did not restart remains.
        // When none remains, the restarted ones are the last replicas standing and count as before (at their new incarnation).
        // A leader that restarted (new incarnation) lost its term: elect again, bumping the epoch.
        bool leaderLive = state.Leader != PartitionState.NoLeader && live.TryGetValue(state.Leader, out long incarnation)
                          && incarnation == state.LeaderIncarnation;
        var current = state.Isr.Where(m => (m == state.Leader && leaderLive) || LiveAsJoined(state, m, live)).ToArray();
        var liveIsr = current.Length > 0 ? current : state.Isr.Where(live.ContainsKey).ToArray();
        var joined = liveIsr.ToDictionary(m => m, m => live[m]);
        if (!leaderLive)
        {
            int candidate = state.Replicas.FirstOrDefault(r => liveIsr.Contains(r), PartitionState.NoLeader);
            if (candidate != PartitionState.NoLeader)
            {
                // Members that did not restart keep the incarnation they joined with; last-standing restarted ones take their new one.
                var isr = InReplicaOrder(state, liveIsr);
                return (ElectionReason.LeaderFailed, NewLeader(state.WithIsr(isr, current.Length > 0 ? null : joined), candidate, live));
            }
            if (unclean)
            {
                int any = state.Replicas.FirstOrDefault(live.ContainsKey, PartitionState.NoLeader);
                if (any != PartitionState.NoLeader)
                    return (ElectionReason.Unclean, NewLeader(state.WithIsr([any], new Dictionary<int, long> { [any] = live[any] }), any, live));
            }
            if (state.Leader == PartitionState.NoLeader) return (ElectionReason.None, null);
            // Keep the ISR as it was: its members hold every committed record, so one of them must lead next.
            return (ElectionReason.Offline, state with { Leader = PartitionState.NoLeader, LeaderEpoch = state.LeaderEpoch + 1,
                PartitionEpoch = state.PartitionEpoch + 1 });
        }
        if (liveIsr.Length != state.Isr.Length)
            return (ElectionReason.IsrShrunk, state.WithIsr(liveIsr) with { PartitionEpoch = state.PartitionEpoch + 1 });
        if (state.IsReassigning && state.Adding.All(state.Isr.Contains))
            return (ElectionReason.ReassignmentCompleted, CompleteReassignment(state, live));
        return (ElectionReason.None, null);
    }

    /// <summary>Moves leadership to the preferred replica if it is live, in the ISR and not already leading; else null.</summary>
    public static PartitionState? PreferredLeader(PartitionState state, IReadOnlyDictionary<int, long> live)
    {
        int preferred = state.PreferredLeader;
        if (preferred == state.Leader || !live.ContainsKey(preferred) || !state.Isr.Contains(preferred)) return null;
        if (!LiveAsJoined(state, preferred, live)) return null; // restarted since it joined: not in sync until it re-earns it
        return NewLeader(state, preferred, live);
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
        var next = state.WithIsr(isr) with { Replicas = original, Adding = [], Removing = [], PartitionEpoch = state.PartitionEpoch + 1 };
        if (state.Leader != PartitionState.NoLeader && !original.Contains(state.Leader))
        {
            int leader = original.FirstOrDefault(r => isr.Contains(r) && LiveAsJoined(state, r, live), PartitionState.NoLeader);
            next = next with { Leader = leader, LeaderEpoch = state.LeaderEpoch + 1, LeaderIncarnation = live.GetValueOrDefault(leader) };
        }
        return next;
    }

    private static PartitionState CompleteReassignment(PartitionState state, IReadOnlyDictionary<int, long> live)
    {
        var target = state.TargetReplicas;
        var isr = state.Isr.Where(target.Contains).ToArray();
        var next = state.WithIsr(isr) with { Replicas = target, Adding = [], Removing = [], PartitionEpoch = state.PartitionEpoch + 1 };
        if (!target.Contains(state.Leader))
        {
            int leader = target.FirstOrDefault(r => isr.Contains(r) && LiveAsJoined(state, r, live), PartitionState.NoLeader);
            next = next with { Leader = leader, LeaderEpoch = state.LeaderEpoch + 1, LeaderIncarnation = live.GetValueOrDefault(leader) };
        }
        return next;
    }

    /// <summary>True when <paramref name="member"/> is live under the registration it joined the ISR with (or that is unknown).</summary>
    private static bool LiveAsJoined(PartitionState state, int member, IReadOnlyDictionary<int, long> live)
    {
        if (!live.TryGetValue(member, out long incarnation)) return false;
        long joined = state.IsrIncarnationOf(member);
        return joined == 0 || joined == incarnation;
    }

    /// <summary>Leadership to <paramref name="leader"/> (an ISR member of <paramref name="state"/>) under its current registration.</summary>
    private static PartitionState NewLeader(PartitionState state, int leader, IReadOnlyDictionary<int, long> live) =>
        state with { Leader = leader, LeaderEpoch = state.LeaderEpoch + 1, LeaderIncarnation = live[leader], PartitionEpoch = state.PartitionEpoch + 1 };

    private static int[] InReplicaOrder(PartitionState state, int[] members) =>
        state.Replicas.Where(members.Contains).Concat(members.Where(m => !state.Replicas.Contains(m))).ToArray();
}
