using AkkaLog.Client.Internal.Consumer.Assignors;

namespace AkkaLog.Client.Tests.Unit.Consumer;

/// <summary>Each assignor gives the assignment Java's gives for the same input (range, roundrobin) or keeps partitions in place (cooperative-sticky).</summary>
public sealed class AssignorTests
{
    private static MemberSubscription Member(string id, params string[] topics) => new(id, null, topics, []);

    private static string Show(Dictionary<string, List<TopicPartition>> assignment) =>
        string.Join(" ", assignment.OrderBy(kv => kv.Key, StringComparer.Ordinal)
            .Select(kv => kv.Key + "=" + string.Join(",", kv.Value.Select(tp => $"{tp.Topic}{tp.Partition.Value}"))));

    [Fact]
    public void Range_gives_contiguous_ranges_per_topic_extras_to_the_first_members()
    {
        var result = new RangeAssignor().Assign(new Dictionary<string, int> { ["t"] = 7, ["u"] = 2 },
            [Member("c", "t"), Member("a", "t", "u"), Member("b", "t", "u")]);
        // Java's RangeAssignorTest: members sorted by id; 7 over 3 = 3,2,2; u: 2 over a,b = 1,1.
        Assert.Equal("a=t0,t1,t2,u0 b=t3,t4,u1 c=t5,t6", Show(result));
    }

    [Fact]
    public void Range_puts_static_members_first_by_instance_id()
    {
        var members = new[]
        {
            new MemberSubscription("a", null, ["t"], []),
            new MemberSubscription("z", "instance-1", ["t"], []),
        };
        Assert.Equal("a=t2,t3 z=t0,t1", Show(new RangeAssignor().Assign(new Dictionary<string, int> { ["t"] = 4 }, members)));
    }

    [Fact]
    public void Roundrobin_deals_sorted_partitions_skipping_members_not_subscribed()
    {
        // Java's RoundRobinAssignorTest.testTwoConsumersTwoTopicsSixPartitions and a mixed subscription.
        var even = new RoundRobinAssignor().Assign(new Dictionary<string, int> { ["t1"] = 3, ["t2"] = 3 },
            [Member("consumer2", "t1", "t2"), Member("consumer1", "t1", "t2")]);
        Assert.Equal("consumer1=t10,t12,t21 consumer2=t11,t20,t22", Show(even));

        var mixed = new RoundRobinAssignor().Assign(new Dictionary<string, int> { ["a"] = 2, ["b"] = 3 },
            [Member("m1", "a"), Member("m2", "a", "b"), Member("m3", "b")]);
        Assert.Equal("m1=a0 m2=a1,b1 m3=b0,b2", Show(mixed));
    }

    [Fact]
    public void Cooperative_sticky_balances_a_fresh_group()
    {
        var result = new CooperativeStickyAssignor().Assign(new Dictionary<string, int> { ["t"] = 6 },
            [Member("a", "t"), Member("b", "t"), Member("c", "t")]);
        Assert.Equal("a=t0,t3 b=t1,t4 c=t2,t5", Show(result));
    }

    [Fact]
    public void Cooperative_sticky_keeps_partitions_in_place_and_hands_over_in_two_steps_when_a_member_joins()
    {
        var sticky = new CooperativeStickyAssignor();
        var counts = new Dictionary<string, int> { ["t"] = 6 };
        var owned = new Dictionary<string, List<TopicPartition>>
        {
            ["a"] = [new("t", 0), new("t", 1), new("t", 2)],
            ["b"] = [new("t", 3), new("t", 4), new("t", 5)],
        };
        MemberSubscription Owning(string id) => new(id, null, ["t"], owned.GetValueOrDefault(id) ?? [], owned.ContainsKey(id) ? 4 : -1);

        // Round 1: c joins. a and b keep 2 each where they are; the partitions moving to c are only revoked.
        var first = sticky.Assign(counts, [Owning("a"), Owning("b"), Owning("c")]);
        Assert.Equal("a=t0,t1 b=t3,t4 c=", Show(first));

        // Round 2: a and b report what they kept; the freed partitions go to c.
        owned["a"] = first["a"];
        owned["b"] = first["b"];
        var second = sticky.Assign(counts, [Owning("a"), Owning("b"), Owning("c")]);
        Assert.Equal("a=t0,t1 b=t3,t4 c=t2,t5", Show(second));
    }

    [Fact]
    public void Cooperative_sticky_resolves_conflicting_claims_by_generation_and_spreads_a_leavers_partitions()
    {
        var sticky = new CooperativeStickyAssignor();
        var counts = new Dictionary<string, int> { ["t"] = 4 };
        // "a" claims t0 from an old generation; "b" owns it in the current one.
        var result = sticky.Assign(counts,
        [
            new MemberSubscription("a", null, ["t"], [new("t", 0), new("t", 1)], 3),
            new MemberSubscription("b", null, ["t"], [new("t", 0), new("t", 2), new("t", 3)], 5),
        ]);
        // b keeps t0; balance moves b's last partition (t3), which is revoked this round.
        Assert.Equal("a=t1 b=t0,t2", Show(result));

        // A member that left: its partitions go to the least loaded of those remaining.
        var after = sticky.Assign(new Dictionary<string, int> { ["t"] = 6 },
        [
            new MemberSubscription("a", null, ["t"], [new("t", 0), new("t", 1)], 7),
            new MemberSubscription("b", null, ["t"], [new("t", 2), new("t", 3)], 7),
        ]);
        Assert.Equal("a=t0,t1,t4 b=t2,t3,t5", Show(after));
    }

    [Fact]
    public void Every_assignor_ignores_topics_nobody_can_read_and_lists_every_member()
    {
        foreach (var assignor in new IPartitionAssignor[] { new RangeAssignor(), new RoundRobinAssignor(), new CooperativeStickyAssignor() })
        {
            var result = assignor.Assign(new Dictionary<string, int> { ["t"] = 1 }, [Member("a", "t", "missing"), Member("b", "missing")]);
            Assert.Equal("a=t0 b=", Show(result));
        }
    }
}
