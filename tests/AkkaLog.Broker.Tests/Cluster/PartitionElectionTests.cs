using AkkaLog.Broker.Cluster;
using AkkaLog.Broker.Metadata;

namespace AkkaLog.Broker.Tests.Cluster;

public class PartitionElectionTests
{
    private static PartitionState State(int leader, int[] isr, int[]? replicas = null, long incarnation = 10) => new()
    {
        Replicas = replicas ?? [1, 2, 3], Leader = leader, LeaderEpoch = 4, LeaderIncarnation = incarnation, Isr = isr, PartitionEpoch = 7,
    };

    private static Dictionary<int, long> Live(params int[] ids) => ids.ToDictionary(i => i, _ => 10L);

    [Fact]
    public void Nothing_changes_while_the_leader_and_isr_are_live()
    {
        var (reason, next) = PartitionElection.Decide(State(1, [1, 2, 3]), Live(1, 2, 3), unclean: false);
        Assert.Equal(ElectionReason.None, reason);
        Assert.Null(next);
    }

    [Fact]
    public void A_dead_leader_is_replaced_from_the_live_isr_with_new_epochs()
    {
        var (reason, next) = PartitionElection.Decide(State(1, [1, 2, 3]), Live(2, 3), unclean: false);
        Assert.Equal(ElectionReason.LeaderFailed, reason);
        Assert.Equal(2, next!.Leader);
        Assert.Equal(5, next.LeaderEpoch);
        Assert.Equal(8, next.PartitionEpoch);
        Assert.Equal([2, 3], next.Isr);
    }

    [Fact]
    public void An_out_of_sync_replica_never_leads_without_unclean_election()
    {
        var (reason, next) = PartitionElection.Decide(State(1, [1, 2]), Live(3), unclean: false);
        Assert.Equal(ElectionReason.Offline, reason);
        Assert.Equal(PartitionState.NoLeader, next!.Leader);
        Assert.Equal([1, 2], next.Isr); // kept: one of them must lead next
        Assert.Equal(5, next.LeaderEpoch);

        var (again, none) = PartitionElection.Decide(next, Live(3), unclean: false);
        Assert.Equal(ElectionReason.None, again);
        Assert.Null(none);
    }

    [Fact]
    public void Unclean_election_takes_a_live_replica()
    {
        var (reason, next) = PartitionElection.Decide(State(1, [1, 2]), Live(3), unclean: true);
        Assert.Equal(ElectionReason.Unclean, reason);
        Assert.Equal(3, next!.Leader);
        Assert.Equal([3], next.Isr);
    }

    [Fact]
    public void A_returning_isr_member_takes_an_offline_partition()
    {
        var offline = State(PartitionState.NoLeader, [1, 2]);
        var (reason, next) = PartitionElection.Decide(offline, Live(2, 3), unclean: false);
        Assert.Equal(ElectionReason.LeaderFailed, reason);
        Assert.Equal(2, next!.Leader);
        Assert.Equal([2], next.Isr);
    }

    [Fact]
    public void A_restarted_leader_loses_its_term()
    {
        var live = new Dictionary<int, long> { [1] = 99, [2] = 10, [3] = 10 };
        var (reason, next) = PartitionElection.Decide(State(1, [1, 2, 3], incarnation: 10), live, unclean: false);
        Assert.Equal(ElectionReason.LeaderFailed, reason);
        Assert.Equal(1, next!.Leader); // still first in replica order, now under its new registration
        Assert.Equal(99, next.LeaderIncarnation);
        Assert.Equal(5, next.LeaderEpoch);
    }

    [Fact]
    public void Dead_followers_leave_the_isr_without_a_leader_change()
    {
        var (reason, next) = PartitionElection.Decide(State(1, [1, 2, 3]), Live(1, 3), unclean: false);
        Assert.Equal(ElectionReason.IsrShrunk, reason);
        Assert.Equal(1, next!.Leader);
        Assert.Equal(4, next.LeaderEpoch);
        Assert.Equal([1, 3], next.Isr);
        Assert.Equal(8, next.PartitionEpoch);
    }

    [Fact]
    public void Preferred_leader_moves_back_only_when_in_sync()
    {
        var led = State(2, [1, 2, 3]);
        var next = PartitionElection.PreferredLeader(led, Live(1, 2, 3));
        Assert.Equal(1, next!.Leader);
        Assert.Equal(5, next.LeaderEpoch);
        Assert.Null(PartitionElection.PreferredLeader(State(2, [2, 3]), Live(1, 2, 3)));
        Assert.Null(PartitionElection.PreferredLeader(State(1, [1, 2, 3]), Live(1, 2, 3)));
    }

    [Fact]
    public void Reassignment_adds_then_completes_once_new_replicas_are_in_sync()
    {
        var start = PartitionElection.StartReassignment(State(1, [1, 2, 3]), [2, 3, 4])!;
        Assert.Equal([2, 3, 4, 1], start.Replicas);
        Assert.Equal([4], start.Adding);
        Assert.Equal([1], start.Removing);
        Assert.Equal(1, start.Leader);

        var (waiting, _) = PartitionElection.Decide(start, Live(1, 2, 3, 4), unclean: false);
        Assert.Equal(ElectionReason.None, waiting);

        var caughtUp = start with { Isr = [1, 2, 3, 4] };
        var (reason, done) = PartitionElection.Decide(caughtUp, Live(1, 2, 3, 4), unclean: false);
        Assert.Equal(ElectionReason.ReassignmentCompleted, reason);
        Assert.Equal([2, 3, 4], done!.Replicas);
        Assert.Equal([2, 3, 4], done.Isr);
        Assert.Equal(2, done.Leader); // the old leader was removed
        Assert.Equal(5, done.LeaderEpoch);
        Assert.False(done.IsReassigning);
    }

    [Fact]
    public void Cancelling_a_reassignment_restores_the_original_replicas()
    {
        var start = PartitionElection.StartReassignment(State(1, [1, 2, 3]), [4, 5, 6])! with { Isr = [1, 2, 3, 4] };
        var cancelled = PartitionElection.CancelReassignment(start, Live(1, 2, 3, 4))!;
        Assert.Equal([1, 2, 3], cancelled.Replicas);
        Assert.Equal([1, 2, 3], cancelled.Isr);
        Assert.False(cancelled.IsReassigning);
        Assert.Null(PartitionElection.StartReassignment(State(1, [1, 2, 3]), [1, 2, 3]));
    }

    // KIP-903: ISR members carry the registration they joined under.
    private static PartitionState Joined(int leader, int[] isr, long incarnation = 10) =>
        State(leader, isr, incarnation: incarnation) with { IsrIncarnations = isr.ToDictionary(m => m, _ => incarnation) };

    [Fact]
    public void A_restarted_follower_leaves_the_isr_and_must_catch_up_again()
    {
        var live = new Dictionary<int, long> { [1] = 10, [2] = 10, [3] = 99 }; // broker 3 restarted
        var (reason, next) = PartitionElection.Decide(Joined(1, [1, 2, 3]), live, unclean: false);
        Assert.Equal(ElectionReason.IsrShrunk, reason);
        Assert.Equal(1, next!.Leader);
        Assert.Equal(4, next.LeaderEpoch);
        Assert.Equal([1, 2], next.Isr);
        Assert.Equal(new Dictionary<int, long> { [1] = 10, [2] = 10 }, next.IsrIncarnations);

        // Rejoining (the leader records the registration it fetched under) makes it a member again.
        var rejoined = next.WithIsr([1, 2, 3], new Dictionary<int, long> { [3] = 99 });
        Assert.Equal((ElectionReason.None, null), PartitionElection.Decide(rejoined, live, unclean: false));
    }

    [Fact]
    public void A_restarted_isr_member_does_not_lead_while_a_member_that_did_not_restart_remains()
    {
        var live = new Dictionary<int, long> { [2] = 99, [3] = 10 }; // leader 1 dead, broker 2 restarted
        var (reason, next) = PartitionElection.Decide(Joined(1, [1, 2, 3]), live, unclean: false);
        Assert.Equal(ElectionReason.LeaderFailed, reason);
        Assert.Equal(3, next!.Leader);
        Assert.Equal(10, next.LeaderIncarnation);
        Assert.Equal([3], next.Isr);
        Assert.Null(PartitionElection.PreferredLeader(Joined(3, [2, 3]) with { Replicas = [2, 3, 1] }, live));
    }

    [Fact]
    public void When_every_isr_member_restarted_they_still_lead_under_their_new_registrations()
    {
        // A whole-cluster restart (or a single replica's): nobody better is left, so the ISR is kept.
        var live = new Dictionary<int, long> { [1] = 91, [2] = 92, [3] = 93 };
        var (reason, next) = PartitionElection.Decide(Joined(1, [1, 2, 3]), live, unclean: false);
        Assert.Equal(ElectionReason.LeaderFailed, reason);
        Assert.Equal(1, next!.Leader);
        Assert.Equal(91, next.LeaderIncarnation);
        Assert.Equal([1, 2, 3], next.Isr);
        Assert.Equal(new Dictionary<int, long> { [1] = 91, [2] = 92, [3] = 93 }, next.IsrIncarnations);
        Assert.Equal((ElectionReason.None, null), PartitionElection.Decide(next, live, unclean: false));

        var (single, alone) = PartitionElection.Decide(Joined(1, [1]) with { Replicas = [1] }, new Dictionary<int, long> { [1] = 91 }, unclean: false);
        Assert.Equal(ElectionReason.LeaderFailed, single);
        Assert.Equal(1, alone!.Leader);
        Assert.Equal(91, alone.IsrIncarnationOf(1));
    }
}
