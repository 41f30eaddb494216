using AkkaLog.IntegrationTests.Fixtures;
using AkkaLog.IntegrationTests.Infrastructure;
using AkkaLog.Protocol;

namespace AkkaLog.IntegrationTests.Tests;

/// <summary>
/// Invalid group requests over the raw protocol get Apache Kafka's error codes, per partition where
/// Kafka answers per partition, and never change what the group has committed. Each test has its
/// own topic (2 partitions) and a group whose only member committed offsets 5 and 6 first.
/// Broker: no initial rebalance delay, group.min.session.timeout.ms 6000, max 1800000, no auto topic creation.
/// </summary>
[Collection(GroupCollection.Name)]
public sealed class GroupBadInputTests(FastGroupBrokerFixture fixture, ITestOutputHelper output) : IClassFixture<FastGroupBrokerFixture>
{
    private BrokerProcess Broker => fixture.Broker;

    [Fact]
    public Task Commit_to_an_unknown_topic_or_partition_fails_only_there() => WithGroupAsync(async g =>
    {
        var result = await g.Member.Client.CommitOffsetsAsync(g.Group, g.Member.Generation, g.Member.MemberId,
            [(g.Topic, 0, 8), (g.Topic, 2, 1), ("no-such-topic", 0, 1)]);
        Assert.Equal([(g.Topic, 0, ErrorCode.None), (g.Topic, 2, ErrorCode.UnknownTopicOrPartition), ("no-such-topic", 0, ErrorCode.UnknownTopicOrPartition)], result);
        await g.AssertCommittedAsync((0, 8), (1, 6));
    });

    [Fact]
    public Task Commit_with_a_wrong_generation_is_illegal_generation() => WithGroupAsync(async g =>
    {
        foreach (int generation in new[] { g.Member.Generation + 1, g.Member.Generation - 1 })
        {
            var result = await g.Member.Client.CommitOffsetsAsync(g.Group, generation, g.Member.MemberId, [(g.Topic, 0, 9), (g.Topic, 1, 9)]);
            Assert.All(result, r => Assert.Equal(ErrorCode.IllegalGeneration, r.Error));
            await g.AssertCommittedAsync((0, 5), (1, 6));
        }
    });

    [Fact]
    public Task Commit_from_an_unknown_member_is_unknown_member_id() => WithGroupAsync(async g =>
    {
        // A stranger, and an admin-style commit (no member, generation -1) while the group has a member.
        foreach (var (memberId, generation) in new[] { ("stranger", g.Member.Generation), ("", -1) })
        {
            var result = await g.Member.Client.CommitOffsetsAsync(g.Group, generation, memberId, [(g.Topic, 0, 9)]);
            Assert.Equal(ErrorCode.UnknownMemberId, Assert.Single(result).Error);
            await g.AssertCommittedAsync((0, 5), (1, 6));
        }
    });

    [Fact]
    public Task Commit_with_metadata_over_offset_metadata_max_bytes_is_offset_metadata_too_large() => WithGroupAsync(async g =>
    {
        var tooLarge = await g.Member.Client.CommitOffsetsAsync(g.Group, g.Member.Generation, g.Member.MemberId, [(g.Topic, 0, 9)], new string('m', 4097));
        Assert.Equal(ErrorCode.OffsetMetadataTooLarge, Assert.Single(tooLarge).Error);
        await g.AssertCommittedAsync((0, 5), (1, 6));

        var atLimit = await g.Member.Client.CommitOffsetsAsync(g.Group, g.Member.Generation, g.Member.MemberId, [(g.Topic, 1, 9)], new string('m', 4096));
        Assert.Equal(ErrorCode.None, Assert.Single(atLimit).Error);
        var committed = await g.Member.Client.FetchOffsetsAsync(g.Group);
        Assert.Equal((9L, new string('m', 4096)), committed[(g.Topic, 1)]);

        // Kafka counts characters (Java's String.length()), not UTF-8 bytes.
        var wide = await g.Member.Client.CommitOffsetsAsync(g.Group, g.Member.Generation, g.Member.MemberId, [(g.Topic, 0, 10)], new string('é', 4096));
        Assert.Equal(ErrorCode.None, Assert.Single(wide).Error);
        Assert.Equal((10L, new string('é', 4096)), (await g.Member.Client.FetchOffsetsAsync(g.Group))[(g.Topic, 0)]);
    });

    [Fact]
    public Task Join_with_a_protocol_no_member_supports_is_inconsistent_group_protocol() => WithGroupAsync(async g =>
    {
        await using var other = await Broker.ConnectAsync();
        var subscription = ConsumerProtocolCodec.Subscription(g.Topic);
        // The member speaks "range" only; a newcomer with "roundrobin" only, or another protocol type, or none at all.
        foreach (var (type, protocols) in new[]
                 {
                     (ConsumerProtocolCodec.ProtocolType, new[] { ("roundrobin", subscription) }),
                     ("connect", new[] { ("range", subscription) }),
                     (ConsumerProtocolCodec.ProtocolType, Array.Empty<(string, byte[])>()),
                 })
        {
            var join = await other.JoinGroupAsync(g.Group, "", protocols, version: 3, protocolType: type);
            Assert.Equal(ErrorCode.InconsistentGroupProtocol, (ErrorCode)join.ErrorCode);
            await g.AssertCommittedAsync((0, 5), (1, 6));
        }
        Assert.Equal(ErrorCode.None, await g.Member.Client.HeartbeatAsync(g.Group, g.Member.Generation, g.Member.MemberId));
    });

    [Fact]
    public Task Join_v4_without_a_member_id_is_member_id_required_then_joins_with_that_id() => WithGroupAsync(async g =>
    {
        await g.Member.Client.LeaveGroupAsync(g.Group, g.Member.MemberId);
        await using var client = await Broker.ConnectAsync();
        var protocols = new[] { ("range", ConsumerProtocolCodec.Subscription(g.Topic)) };
        var first = await client.JoinGroupAsync(g.Group, "", protocols, version: 4);
        Assert.Equal(ErrorCode.MemberIdRequired, (ErrorCode)first.ErrorCode);
        Assert.StartsWith("akkalog-it-", first.MemberId);
        var second = await client.JoinGroupAsync(g.Group, first.MemberId, protocols, version: 4);
        Assert.Equal(ErrorCode.None, (ErrorCode)second.ErrorCode);
        Assert.Equal((first.MemberId, first.MemberId), (second.MemberId, second.Leader));
        Assert.Equal(g.Member.Generation + 2, second.GenerationId); // the leave emptied the group: one generation each

        // Before v4 there is no extra round trip.
        await using var old = await Broker.ConnectAsync();
        var v3 = old.JoinGroupAsync(g.Group, "", protocols, version: 3);
        await Poll.UntilAsync(async () => await client.HeartbeatAsync(g.Group, second.GenerationId, second.MemberId) == ErrorCode.RebalanceInProgress,
            TimeSpan.FromSeconds(10), "the v3 join to start a rebalance");
        var rejoin = await client.JoinGroupAsync(g.Group, second.MemberId, protocols, version: 4);
        Assert.Equal(ErrorCode.None, (ErrorCode)rejoin.ErrorCode);
        Assert.Equal(ErrorCode.None, (ErrorCode)(await v3).ErrorCode);
        await g.AssertCommittedAsync((0, 5), (1, 6));
    });

    [Fact]
    public Task Join_with_a_session_timeout_outside_the_allowed_range_is_invalid_session_timeout() => WithGroupAsync(async g =>
    {
        await using var client = await Broker.ConnectAsync();
        var protocols = new[] { ("range", ConsumerProtocolCodec.Subscription(g.Topic)) };
        foreach (int timeout in new[] { 5999, 1_800_001 })
        {
            var join = await client.JoinGroupAsync(g.Group, "", protocols, sessionTimeoutMs: timeout, version: 3);
            Assert.Equal(ErrorCode.InvalidSessionTimeout, (ErrorCode)join.ErrorCode);
            string freshGroup = TopicNames.Unique("g-timeout");
            var fresh = await client.JoinGroupAsync(freshGroup, "", protocols, sessionTimeoutMs: timeout, version: 3);
            Assert.Equal(ErrorCode.InvalidSessionTimeout, (ErrorCode)fresh.ErrorCode);
            Assert.DoesNotContain(await client.ListGroupsAsync(), l => l.GroupId == freshGroup); // refused before any group exists
            await g.AssertCommittedAsync((0, 5), (1, 6));
        }
        Assert.Equal(ErrorCode.None, await g.Member.Client.HeartbeatAsync(g.Group, g.Member.Generation, g.Member.MemberId));
    });

    [Fact]
    public Task Empty_group_id_is_invalid_for_membership_but_kept_for_offsets_as_in_Kafka() => WithGroupAsync(async g =>
    {
        var client = g.Member.Client;
        var protocols = new[] { ("range", ConsumerProtocolCodec.Subscription(g.Topic)) };
        foreach (short version in new short[] { 3, 9 }) // v3: the early error has a non-nullable protocol name
            Assert.Equal(ErrorCode.InvalidGroupId, (ErrorCode)(await client.JoinGroupAsync("", "", protocols, version: version)).ErrorCode);
        Assert.Equal(ErrorCode.InvalidGroupId, (ErrorCode)(await client.SyncGroupAsync("", 1, g.Member.MemberId)).ErrorCode);
        Assert.Equal(ErrorCode.InvalidGroupId, await client.HeartbeatAsync("", 1, g.Member.MemberId));
        Assert.Equal(ErrorCode.InvalidGroupId, (await client.LeaveGroupAsync("", g.Member.MemberId)).Group);
        Assert.Equal(ErrorCode.InvalidGroupId, (await client.DeleteOffsetsAsync("", g.Topic, 0)).Group);
        await g.AssertCommittedAsync((0, 5), (1, 6));
        // Kafka keeps OffsetCommit/OffsetFetch working for the empty group id (pre-KIP-289 consumers).
        var commit = await client.CommitOffsetsAsync("", -1, "", [(g.Topic, 0, 3)]);
        Assert.Equal(ErrorCode.None, Assert.Single(commit).Error);
        Assert.Equal(3, (await client.FetchOffsetsAsync(""))[(g.Topic, 0)].Offset);
    });

    [Fact]
    public Task A_second_join_with_the_same_instance_id_fences_the_first() => Broker.WithLogOnFailure(output, async () =>
    {
        string topic = TopicNames.Unique("grp-static");
        string group = "g-" + topic;
        await using (var admin = await Broker.ConnectAsync()) await admin.CreateTopicOrFailAsync(topic, 2);
        await using var first = await WireGroupMember.JoinAloneAsync(Broker, group, topic, 2, instanceId: "static-1");
        await first.CommitAsync(topic, (0, 5), (1, 6));

        // The instance restarts: it joins again with no member id and gets a new one, in the same
        // generation (unchanged subscription, stable group: no rebalance, as KIP-345 intends).
        await using var second = await Broker.ConnectAsync();
        var protocols = new[] { ("range", ConsumerProtocolCodec.Subscription(topic)) };
        var join = await second.JoinGroupAsync(group, "", protocols, instanceId: "static-1");
        Assert.Equal(ErrorCode.None, (ErrorCode)join.ErrorCode);
        Assert.NotEqual(first.MemberId, join.MemberId);
        Assert.Equal(first.Generation, join.GenerationId);
        var sync = await second.SyncGroupAsync(group, join.GenerationId, join.MemberId, instanceId: "static-1");
        Assert.Equal(ErrorCode.None, (ErrorCode)sync.ErrorCode);
        Assert.Equal([(topic, 0), (topic, 1)], ConsumerProtocolCodec.DecodeAssignment(sync.Assignment));

        Assert.Equal(ErrorCode.FencedInstanceId, await first.Client.HeartbeatAsync(group, first.Generation, first.MemberId, "static-1"));
        var fencedCommit = await first.Client.CommitOffsetsAsync(group, first.Generation, first.MemberId, [(topic, 0, 9)], instanceId: "static-1");
        Assert.Equal(ErrorCode.FencedInstanceId, Assert.Single(fencedCommit).Error);
        var fencedJoin = await first.Client.JoinGroupAsync(group, first.MemberId, protocols, instanceId: "static-1");
        Assert.Equal(ErrorCode.FencedInstanceId, (ErrorCode)fencedJoin.ErrorCode);
        Assert.Equal((ErrorCode.None, ErrorCode.FencedInstanceId), await first.Client.LeaveGroupAsync(group, first.MemberId, "static-1"));
        Assert.Equal(ErrorCode.None, await second.HeartbeatAsync(group, join.GenerationId, join.MemberId, "static-1"));
        var committed = await second.FetchOffsetsAsync(group);
        Assert.Equal([5L, 6L], committed.OrderBy(c => c.Key).Select(c => c.Value.Offset));
        var member = Assert.Single((await second.DescribeGroupAsync(group)).Members);
        Assert.Equal((join.MemberId, "static-1"), (member.MemberId, member.GroupInstanceId));
    });

    [Fact]
    public Task Heartbeat_and_leave_of_strangers_and_old_generations_are_refused() => WithGroupAsync(async g =>
    {
        var client = g.Member.Client;
        Assert.Equal(ErrorCode.IllegalGeneration, await client.HeartbeatAsync(g.Group, g.Member.Generation + 1, g.Member.MemberId));
        Assert.Equal(ErrorCode.UnknownMemberId, await client.HeartbeatAsync(g.Group, g.Member.Generation, "stranger"));
        Assert.Equal(ErrorCode.UnknownMemberId, await client.HeartbeatAsync("g-no-such-group", 1, "stranger"));
        Assert.Equal((ErrorCode.None, ErrorCode.UnknownMemberId), await client.LeaveGroupAsync(g.Group, "stranger"));
        Assert.Equal(ErrorCode.IllegalGeneration, (ErrorCode)(await client.SyncGroupAsync(g.Group, g.Member.Generation + 1, g.Member.MemberId)).ErrorCode);
        Assert.Equal(ErrorCode.UnknownMemberId, (ErrorCode)(await client.SyncGroupAsync(g.Group, g.Member.Generation, "stranger")).ErrorCode);
        Assert.Equal(ErrorCode.NonEmptyGroup, await client.DeleteGroupAsync(g.Group));
        await g.AssertCommittedAsync((0, 5), (1, 6));
        Assert.Equal(ErrorCode.None, await client.HeartbeatAsync(g.Group, g.Member.Generation, g.Member.MemberId));
    });

    [Fact]
    public Task Commit_with_a_generation_to_a_group_that_does_not_exist_is_illegal_generation() => Broker.WithLogOnFailure(output, async () =>
    {
        string topic = TopicNames.Unique("grp-nogroup");
        string group = "g-" + topic;
        await using var client = await Broker.ConnectAsync();
        await client.CreateTopicOrFailAsync(topic, 1);
        var result = await client.CommitOffsetsAsync(group, 3, "ghost", [(topic, 0, 1)]);
        Assert.Equal(ErrorCode.IllegalGeneration, Assert.Single(result).Error);
        Assert.Empty(await client.FetchOffsetsAsync(group));
        // The refused commit must not leave a group behind.
        Assert.DoesNotContain(await client.ListGroupsAsync(), l => l.GroupId == group);
        Assert.Equal("Dead", (await client.DescribeGroupAsync(group)).GroupState);
    });

    /// <summary>A group, its topic and its only member, with offsets 5 and 6 committed.</summary>
    private sealed record GroupUnderTest(BrokerProcess Broker, string Group, string Topic, WireGroupMember Member)
    {
        /// <summary>OffsetFetch of the group (on a fresh connection) equals exactly <paramref name="expected"/>.</summary>
        public async Task AssertCommittedAsync(params (int Partition, long Offset)[] expected)
        {
            await using var client = await Broker.ConnectAsync();
            var committed = await client.FetchOffsetsAsync(Group);
            Assert.Equal(expected.Select(e => ((Topic, e.Partition), e.Offset)), committed.OrderBy(c => c.Key).Select(c => (c.Key, c.Value.Offset)));
        }
    }

    private Task WithGroupAsync(Func<GroupUnderTest, Task> test) => Broker.WithLogOnFailure(output, async () =>
    {
        string topic = TopicNames.Unique("grp-bad");
        await using (var admin = await Broker.ConnectAsync()) await admin.CreateTopicOrFailAsync(topic, 2);
        await using var member = await WireGroupMember.JoinAloneAsync(Broker, "g-" + topic, topic, 2);
        await member.CommitAsync(topic, (0, 5), (1, 6));
        var g = new GroupUnderTest(Broker, "g-" + topic, topic, member);
        await g.AssertCommittedAsync((0, 5), (1, 6));
        await test(g);
    });
}
