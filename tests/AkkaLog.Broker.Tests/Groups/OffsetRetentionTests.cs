using AkkaLog.Protocol;
using AkkaLog.Protocol.Messages;

namespace AkkaLog.Broker.Tests.Groups;

/// <summary>
/// Offset retention on a manual clock: an empty group's offsets expire offsets.retention.minutes
/// after the group became empty (or after the commit), and an empty group left with no offsets is
/// deleted at the next retention check.
/// </summary>
public sealed class OffsetRetentionTests
{
    private static readonly (string, string)[] Settings =
    [
        ("offsets.retention.minutes", "1"),
        ("offsets.retention.check.interval.ms", "1000"),
        ("group.initial.rebalance.delay.ms", "0"),
    ];

    private static async Task CreateTopicAsync(InProcessBroker b, string topic)
    {
        var created = await b.CallAsync<CreateTopicsResponse>(new CreateTopicsRequest
        {
            Topics = [new CreateTopicsRequest.CreatableTopic { Name = topic, NumPartitions = 1, ReplicationFactor = 1 }],
        }, 4);
        Assert.Equal(0, created.Topics.Single().ErrorCode);
    }

    private static async Task<long> CommittedAsync(InProcessBroker b, string group, string topic)
    {
        var fetched = await b.CallAsync<OffsetFetchResponse>(new OffsetFetchRequest
        {
            GroupId = group,
            Topics = [new OffsetFetchRequest.OffsetFetchRequestTopic { Name = topic, PartitionIndexes = [0] }],
        }, 5);
        return fetched.Topics.Single().Partitions.Single().CommittedOffset;
    }

    private static async Task<List<string>> ListAsync(InProcessBroker b) =>
        (await b.CallAsync<ListGroupsResponse>(new ListGroupsRequest(), 2)).Groups.Select(g => g.GroupId).ToList();

    [Fact]
    public async Task Offsets_of_an_empty_group_expire_after_the_retention_and_the_group_goes()
    {
        await using var b = await InProcessBroker.StartAsync(Settings);
        await CreateTopicAsync(b, "retained");
        var commit = await b.CallAsync<OffsetCommitResponse>(new OffsetCommitRequest
        {
            GroupId = "retention",
            GenerationIdOrMemberEpoch = -1,
            MemberId = "",
            Topics = [new() { Name = "retained", Partitions = [new() { PartitionIndex = 0, CommittedOffset = 42 }] }],
        }, 7);
        Assert.Equal(0, commit.Topics.Single().Partitions.Single().ErrorCode);

        await b.AdvanceAsync("retention", TimeSpan.FromSeconds(58));
        Assert.Equal(42, await CommittedAsync(b, "retention", "retained"));
        Assert.Contains("retention", await ListAsync(b));

        // Past 60 s from the commit: the next check (every second) expires the offset, and the
        // group, now empty with nothing committed, is deleted.
        await b.AdvanceAsync("retention", TimeSpan.FromSeconds(3));
        Assert.Equal(-1, await CommittedAsync(b, "retention", "retained"));
        Assert.DoesNotContain("retention", await ListAsync(b));
    }

    [Fact]
    public async Task An_empty_group_without_offsets_is_deleted_at_the_next_check()
    {
        await using var b = await InProcessBroker.StartAsync(Settings);
        await CreateTopicAsync(b, "left");
        var join = await b.CallAsync<JoinGroupResponse>(new JoinGroupRequest
        {
            GroupId = "leaver", MemberId = "", SessionTimeoutMs = 6000, RebalanceTimeoutMs = 6000, ProtocolType = "consumer",
            Protocols = [new JoinGroupRequest.JoinGroupRequestProtocol { Name = "range", Metadata = new byte[] { 0, 0, 0, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0xFF } }],
        }, 3);
        Assert.Equal(0, join.ErrorCode);
        var leave = await b.CallAsync<LeaveGroupResponse>(new LeaveGroupRequest { GroupId = "leaver", MemberId = join.MemberId }, 1);
        Assert.Equal(0, leave.ErrorCode);
        Assert.Equal("Empty", (await b.DescribeAsync("leaver")).GroupState);
        Assert.Contains("leaver", await ListAsync(b));

        await b.AdvanceAsync("leaver", TimeSpan.FromSeconds(1));
        Assert.DoesNotContain("leaver", await ListAsync(b));
        Assert.Equal("Dead", (await b.DescribeAsync("leaver")).GroupState);
    }
}
