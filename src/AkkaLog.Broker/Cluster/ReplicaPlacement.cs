using AkkaLog.Broker.Handlers;

namespace AkkaLog.Broker.Cluster;

/// <summary>
/// Places the replicas of new partitions on live brokers, the way Kafka's assignment does: brokers
/// are ordered so racks alternate (a1, b1, c1, a2, b2, ...); partition p's first replica (its
/// preferred leader) is the broker at (start + p) in that order, so leadership spreads round-robin;
/// the other replicas follow it with a shift that grows every full round, so followers spread too.
/// With racks, a follower is taken from a rack that has no replica of the partition yet while any
/// such rack remains. Without racks this is plain round-robin.
/// </summary>
public static class ReplicaPlacement
{
    /// <summary>
    /// Replica lists for partitions <paramref name="firstPartition"/>.. of a topic; throws
    /// <see cref="ArgumentException"/> when <paramref name="replicationFactor"/> exceeds the brokers.
    /// <paramref name="start"/> picks where the round begins (random in production, fixed in tests).
    /// </summary>
    public static int[][] Assign(IReadOnlyCollection<BrokerNode> brokers, int partitions, int replicationFactor, int start, int firstPartition = 0)
    {
        if (replicationFactor <= 0) throw new ArgumentException("replication factor must be positive");
        if (replicationFactor > brokers.Count)
            throw new ArgumentException($"Replication factor: {replicationFactor} larger than available brokers: {brokers.Count}.");
        var ordered = RackAlternating(brokers);
        int n = ordered.Count;
        bool racks = ordered.Any(b => b.Rack is not null);
        int rackCount = ordered.Select(b => b.Rack).Distinct().Count();
        var result = new int[partitions][];
        for (int i = 0; i < partitions; i++)
        {
            int p = firstPartition + i;
            int first = ((start + p) % n + n) % n;
            int shift = 1 + (p / n) % Math.Max(n - 1, 1);
            var chosen = new List<BrokerNode> { ordered[first] };
            var usedRacks = new HashSet<string?> { ordered[first].Rack };
            for (int step = 0; chosen.Count < replicationFactor && step < 2 * n; step++)
            {
                var candidate = ordered[(first + shift + step) % n];
                if (chosen.Contains(candidate)) continue;
                // Prefer a new rack while one is left; after every rack holds a replica, any broker will do.
                if (racks && usedRacks.Count < rackCount && usedRacks.Contains(candidate.Rack) && step < n) continue;
                chosen.Add(candidate);
                usedRacks.Add(candidate.Rack);
            }
            result[i] = chosen.Select(b => b.NodeId).ToArray();
        }
        return result;
    }

    /// <summary>Brokers by id within each rack, racks interleaved.</summary>
    internal static List<BrokerNode> RackAlternating(IEnumerable<BrokerNode> brokers)
    {
        var byRack = brokers.GroupBy(b => b.Rack ?? "").OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => g.OrderBy(b => b.NodeId).ToList()).ToList();
        var ordered = new List<BrokerNode>();
        for (int round = 0; ordered.Count < byRack.Sum(r => r.Count); round++)
            foreach (var rack in byRack)
                if (round < rack.Count) ordered.Add(rack[round]);
        return ordered;
    }
}
