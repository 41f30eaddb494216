using System.Buffers.Binary;

namespace AkkaLog.Client.Internal.Consumer.Assignors;

/// <summary>
/// "cooperative-sticky": balanced like round robin, but a member keeps what it owns wherever balance
/// allows, and ownership moves in two steps (KIP-429). The algorithm is a simpler relative of Java's
/// <c>AbstractStickyAssignor</c>, not a copy: (1) every member keeps the partitions it reports owning
/// (a conflicting claim goes to the higher generation, as in Java); (2) each unowned partition goes to
/// the eligible member holding the fewest; (3) while some member holds two more than an eligible other,
/// its last partition moves there. Then, as Java's <c>CooperativeStickyAssignor.adjustAssignment</c>
/// does, a partition that changes owner is left out of the new owner's assignment: the old owner sees
/// it revoked, gives it up and rejoins, and the follow-up rebalance hands it over. Counts end within
/// one of each other when subscriptions are equal; with unequal ones, within what the moves in (3) reach.
/// The subscription user data is the generation (int32), as Java's cooperative-sticky writes it.
/// </summary>
internal sealed class CooperativeStickyAssignor : IPartitionAssignor
{
    public const string AssignorName = "cooperative-sticky";

    public string Name => AssignorName;

    public RebalanceProtocol Protocol => RebalanceProtocol.Cooperative;

    public byte[]? SubscriptionUserData(int generationId)
    {
        var data = new byte[4];
        BinaryPrimitives.WriteInt32BigEndian(data, generationId);
        return data;
    }

    public Dictionary<string, List<TopicPartition>> Assign(IReadOnlyDictionary<string, int> partitionsPerTopic, IReadOnlyList<MemberSubscription> members)
    {
        var assignment = PartitionAssignors.Empty(members);
        var sorted = members.ToList();
        sorted.Sort(PartitionAssignors.CompareMembers);
        var rank = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < sorted.Count; i++) rank[sorted[i].MemberId] = i;

        bool Exists(TopicPartition tp) => partitionsPerTopic.TryGetValue(tp.Topic, out int n) && tp.Partition.Value >= 0 && tp.Partition.Value < n;
        static bool Eligible(MemberSubscription m, string topic) => m.Topics.Contains(topic, StringComparer.Ordinal);

        // (1) Previous owners; the higher generation wins a conflicting claim, then member order.
        var previous = new Dictionary<TopicPartition, MemberSubscription>();
        foreach (var m in sorted)
        {
            foreach (var tp in m.OwnedPartitions)
            {
                if (!Exists(tp) || !Eligible(m, tp.Topic)) continue;
                if (!previous.TryGetValue(tp, out var other) || m.GenerationId > other.GenerationId) previous[tp] = m;
            }
        }
        foreach (var (tp, m) in previous) assignment[m.MemberId].Add(tp);

        // (2) Unowned partitions, in topic/partition order, to the least loaded eligible member.
        var topics = members.SelectMany(m => m.Topics).Distinct(StringComparer.Ordinal).OrderBy(t => t, StringComparer.Ordinal);
        foreach (var topic in topics)
        {
            if (!partitionsPerTopic.TryGetValue(topic, out int n)) continue;
            for (int p = 0; p < n; p++)
            {
                var tp = new TopicPartition(topic, p);
                if (previous.ContainsKey(tp)) continue;
                var to = LeastLoaded(sorted, assignment, topic, int.MaxValue);
                if (to is not null) assignment[to.MemberId].Add(tp);
            }
        }

        // (3) Balance: each move lowers the sum of squared counts, so this ends.
        foreach (var list in assignment.Values) list.Sort(Compare);
        while (true)
        {
            bool moved = false;
            foreach (var from in sorted.OrderByDescending(m => assignment[m.MemberId].Count).ThenBy(m => rank[m.MemberId]))
            {
                var list = assignment[from.MemberId];
                for (int i = list.Count - 1; i >= 0 && !moved; i--)
                {
                    var to = LeastLoaded(sorted, assignment, list[i].Topic, list.Count - 1);
                    if (to is null) continue;
                    var target = assignment[to.MemberId];
                    target.Add(list[i]);
                    target.Sort(Compare);
                    list.RemoveAt(i);
                    moved = true;
                }
                if (moved) break;
            }
            if (!moved) break;
        }

        // Two-step hand-over: a partition changing owner is only revoked in this round.
        foreach (var (tp, old) in previous)
        {
            foreach (var (memberId, list) in assignment)
            {
                if (memberId != old.MemberId) list.Remove(tp);
            }
        }
        return assignment;
    }

    /// <summary>The eligible member with the fewest partitions, fewer than <paramref name="below"/>; ties go to member order.</summary>
    private static MemberSubscription? LeastLoaded(List<MemberSubscription> sorted, Dictionary<string, List<TopicPartition>> assignment,
        string topic, int below)
    {
        MemberSubscription? best = null;
        int bestCount = below;
        foreach (var m in sorted)
        {
            if (!m.Topics.Contains(topic, StringComparer.Ordinal)) continue;
            int count = assignment[m.MemberId].Count;
            if (count < bestCount)
            {
                best = m;
                bestCount = count;
            }
        }
        return best;
    }

    private static int Compare(TopicPartition a, TopicPartition b)
    {
        int c = string.CompareOrdinal(a.Topic, b.Topic);
        return c != 0 ? c : a.Partition.Value.CompareTo(b.Partition.Value);
    }
}
