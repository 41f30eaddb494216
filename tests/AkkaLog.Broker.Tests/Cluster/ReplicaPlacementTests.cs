using AkkaLog.Broker.Cluster;
using AkkaLog.Broker.Handlers;

namespace AkkaLog.Broker.Tests.Cluster;

public class ReplicaPlacementTests
{
    private static BrokerNode Node(int id, string? rack = null) => new(id, "h", 9000 + id, rack);

    [Fact]
    public void Leaders_go_round_robin_and_replicas_are_distinct()
    {
        var brokers = new[] { Node(1), Node(2), Node(3) };
        var assignment = ReplicaPlacement.Assign(brokers, 6, 3, start: 0);
        Assert.Equal([1, 2, 3, 1, 2, 3], assignment.Select(r => r[0]));
        Assert.All(assignment, r => Assert.Equal(3, r.Distinct().Count()));
        // Every broker leads twice and holds every partition once.
        Assert.All(brokers, b => Assert.Equal(6, assignment.Count(r => r.Contains(b.NodeId))));
    }

    [Fact]
    public void Followers_shift_between_rounds()
    {
        var brokers = new[] { Node(1), Node(2), Node(3), Node(4) };
        var assignment = ReplicaPlacement.Assign(brokers, 8, 2, start: 0);
        // Round one: followers right after the leader; round two: shifted by one more.
        Assert.Equal(2, assignment[0][1]);
        Assert.Equal(3, assignment[4][1]);
    }

    [Fact]
    public void Replicas_spread_over_racks()
    {
        var brokers = new[] { Node(1, "a"), Node(2, "a"), Node(3, "b"), Node(4, "b"), Node(5, "c"), Node(6, "c") };
        var rack = brokers.ToDictionary(b => b.NodeId, b => b.Rack);
        var assignment = ReplicaPlacement.Assign(brokers, 12, 3, start: 1);
        Assert.All(assignment, r => Assert.Equal(3, r.Select(id => rack[id]).Distinct().Count()));
        Assert.All(brokers, b => Assert.Equal(2, assignment.Count(r => r[0] == b.NodeId)));
    }

    [Fact]
    public void More_replicas_than_racks_still_uses_every_rack()
    {
        var brokers = new[] { Node(1, "a"), Node(2, "a"), Node(3, "b"), Node(4, "b") };
        var rack = brokers.ToDictionary(b => b.NodeId, b => b.Rack);
        var assignment = ReplicaPlacement.Assign(brokers, 4, 3, start: 0);
        Assert.All(assignment, r =>
        {
            Assert.Equal(3, r.Distinct().Count());
            Assert.Equal(2, r.Select(id => rack[id]).Distinct().Count());
        });
    }

    [Fact]
    public void Too_high_a_replication_factor_is_refused()
    {
        var e = Assert.Throws<ArgumentException>(() => ReplicaPlacement.Assign([Node(1), Node(2)], 1, 3, 0));
        Assert.Contains("larger than available brokers: 2", e.Message);
    }

    [Fact]
    public void Later_partitions_continue_the_round()
    {
        var brokers = new[] { Node(1), Node(2), Node(3) };
        var first = ReplicaPlacement.Assign(brokers, 5, 2, start: 0);
        var grown = ReplicaPlacement.Assign(brokers, 2, 2, start: 0, firstPartition: 3);
        Assert.Equal(first[3], grown[0]);
        Assert.Equal(first[4], grown[1]);
    }
}
