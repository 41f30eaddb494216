using AkkaLog.IntegrationTests.Fixtures;
using AkkaLog.IntegrationTests.Infrastructure;
using AkkaLog.Protocol;

namespace AkkaLog.IntegrationTests.Tests;

/// <summary>
/// Committed offsets and groups survive a restart of the broker, clean (SIGTERM) or kill -9, because
/// they live only in <c>__consumer_offsets</c> and are rebuilt by replaying it. Before the restart:
/// a kcat group consumes everything (offsets from auto-commit), a live wire member commits twice to
/// one partition (the last commit wins), a simple group commits with metadata (generation -1) and
/// has one partition's offset deleted, and another group is deleted outright. After it: OffsetFetch
/// and ListGroups answer as before (retrying while the coordinator loads), the live member is still
/// in its generation and can heartbeat, a static member keeps the member id it took over its
/// instance with, the deleted things stay deleted, and kcat resumes exactly at the committed offsets.
/// </summary>
[Collection(GroupCollection.Name)]
public sealed class GroupRestartTests(ITestOutputHelper output)
{
    private const string Topic = "restart-topic";
    private const int Partitions = 3;
    private const int PerPartition = 10;
    private const string KcatGroup = "group-kcat";
    private const string LiveGroup = "group-live";
    private const string SimpleGroup = "group-simple";
    private const string DeletedGroup = "group-deleted";
    private const string StaticGroup = "group-static";

    [Fact]
    public Task Groups_and_offsets_survive_a_clean_restart() => RunAsync(kill: false);

    [Fact]
    public Task Groups_and_offsets_survive_kill_9() => RunAsync(kill: true);

    private async Task RunAsync(bool kill)
    {
        await using var broker = await BrokerProcess.StartNewAsync(kill ? "groups-kill9" : "groups-sigterm", FastGroupBrokerFixture.Settings);
        await broker.WithLogOnFailure(output, async () =>
        {
            var (before, listedBefore, member, staticMember) = await PrepareAsync(broker);
            if (kill) broker.Kill();
            await broker.RestartAsync();
            output.WriteLine($"restarted after {(kill ? "kill -9" : "SIGTERM")}");

            await using var client = await broker.ConnectAsync();
            foreach (var (group, offsets) in before)
            {
                var after = await FetchWhenLoadedAsync(client, group);
                Assert.Equal(offsets.OrderBy(o => o.Key), after.OrderBy(o => o.Key));
            }
            Assert.Empty(await FetchWhenLoadedAsync(client, DeletedGroup));
            Assert.Equal(listedBefore, await ListedAsync(client));

            // The live member's generation and assignment were restored: it carries on heartbeating.
            var live = await client.DescribeGroupAsync(LiveGroup);
            Assert.Equal("Stable", live.GroupState);
            var restored = Assert.Single(live.Members);
            Assert.Equal(member.MemberId, restored.MemberId);
            Assert.Equal(Enumerable.Range(0, Partitions).Select(p => (Topic, p)), ConsumerProtocolCodec.DecodeAssignment(restored.MemberAssignment));
            Assert.Equal(ErrorCode.None, await client.HeartbeatAsync(LiveGroup, member.Generation, member.MemberId));
            Assert.Equal((ErrorCode.None, ErrorCode.None), await client.LeaveGroupAsync(LiveGroup, member.MemberId));
            Assert.Equal("Empty", (await client.DescribeGroupAsync(LiveGroup)).GroupState);

            // The static instance's new member id survived too: it is the live one, not fenced.
            Assert.Equal(ErrorCode.None, await client.HeartbeatAsync(StaticGroup, staticMember.Generation, staticMember.Id, "static-r"));
            Assert.Equal(staticMember.Id, Assert.Single((await client.DescribeGroupAsync(StaticGroup)).Members).MemberId);

            // kcat resumes where its group committed: only the new records.
            await ProduceAsync(client, "b", 5);
            var second = await ConsumeWithKcatAsync(broker, Partitions * 5);
            Assert.All(second, r => Assert.StartsWith("b-", r.Value));
            Assert.Equal(Enumerable.Range(0, Partitions).SelectMany(p => Enumerable.Range(PerPartition, 5).Select(o => (p, (long)o))),
                second.Select(r => (r.Partition, r.Offset)).Order());
        });
    }

    /// <summary>
    /// Builds the state to survive and returns each group's committed offsets, the listed groups and
    /// the live member. Connections are closed before returning: the broker does not yet close idle
    /// connections when asked to stop, so an open one would hold a clean stop for shutdown.timeout.ms.
    /// </summary>
    private static async Task<(Dictionary<string, Dictionary<(string, int), (long, string?)>> Offsets, List<(string, string)> Listed, WireGroupMember Member, (string Id, int Generation) Static)>
        PrepareAsync(BrokerProcess broker)
    {
        await using var admin = await broker.ConnectAsync();
        await admin.CreateTopicOrFailAsync(Topic, Partitions);
        await ProduceAsync(admin, "a", PerPartition);
        await ConsumeWithKcatAsync(broker, Partitions * PerPartition);

        await using var member = await WireGroupMember.JoinAloneAsync(broker, LiveGroup, Topic, Partitions, sessionTimeoutMs: 30_000);
        await member.CommitAsync(Topic, (0, 4), (1, 5), (2, 6));
        await member.CommitAsync(Topic, (0, 7));

        var simple = await admin.CommitOffsetsAsync(SimpleGroup, -1, "", Enumerable.Range(0, Partitions).Select(p => (Topic, p, (long)p + 1)), "meta-c");
        Assert.All(simple, r => Assert.Equal(ErrorCode.None, r.Error));
        var (deleteError, partitionErrors) = await admin.DeleteOffsetsAsync(SimpleGroup, Topic, 2);
        Assert.Equal(ErrorCode.None, deleteError);
        Assert.Equal([ErrorCode.None], partitionErrors);

        var doomed = await admin.CommitOffsetsAsync(DeletedGroup, -1, "", [(Topic, 0, 9L)]);
        Assert.Equal(ErrorCode.None, Assert.Single(doomed).Error);
        Assert.Equal(ErrorCode.None, await admin.DeleteGroupAsync(DeletedGroup));

        // A static member restarts and takes over its instance id under a new member id, without a rebalance.
        await using var staticFirst = await WireGroupMember.JoinAloneAsync(broker, StaticGroup, Topic, Partitions, sessionTimeoutMs: 30_000, instanceId: "static-r");
        var protocols = new[] { ("range", ConsumerProtocolCodec.Subscription(Topic)) };
        var staticAgain = await admin.JoinGroupAsync(StaticGroup, "", protocols, 30_000, instanceId: "static-r");
        Assert.Equal((ErrorCode.None, staticFirst.Generation), ((ErrorCode)staticAgain.ErrorCode, staticAgain.GenerationId));

        var offsets = new Dictionary<string, Dictionary<(string, int), (long, string?)>>();
        foreach (var g in new[] { KcatGroup, LiveGroup, SimpleGroup }) offsets[g] = await admin.FetchOffsetsAsync(g);
        Assert.Equal(Enumerable.Repeat((long)PerPartition, Partitions), Enumerable.Range(0, Partitions).Select(p => offsets[KcatGroup][(Topic, p)].Item1));
        Assert.Equal([7L, 5L, 6L], Enumerable.Range(0, Partitions).Select(p => offsets[LiveGroup][(Topic, p)].Item1));
        Assert.Equal([(1L, "meta-c"), (2L, "meta-c")], offsets[SimpleGroup].OrderBy(o => o.Key).Select(o => o.Value));
        var listed = await ListedAsync(admin);
        Assert.Equal([(KcatGroup, "consumer"), (LiveGroup, "consumer"), (SimpleGroup, ""), (StaticGroup, "consumer")], listed);
        return (offsets, listed, member, (staticAgain.MemberId, staticAgain.GenerationId));
    }

    private static async Task<List<(string, string)>> ListedAsync(KafkaWireClient client) =>
        (await client.ListGroupsAsync()).Select(g => (g.GroupId, g.ProtocolType)).Order().ToList();

    /// <summary>Produces <paramref name="count"/> records "{prefix}-p{p}-{i}" to each partition.</summary>
    private static async Task ProduceAsync(KafkaWireClient client, string prefix, int count)
    {
        for (int p = 0; p < Partitions; p++)
        {
            var result = await client.ProduceAsync(Topic, p, Batches.OfValues(Enumerable.Range(0, count).Select(i => $"{prefix}-p{p}-{i}")));
            Assert.Equal(0, result!.ErrorCode);
        }
    }

    /// <summary>One kcat member of <see cref="KcatGroup"/> reads to the end of every partition (-e) and exits, committing on close.</summary>
    private static async Task<List<KcatRecord>> ConsumeWithKcatAsync(BrokerProcess broker, int expected)
    {
        var result = await Kcat.RunCheckedAsync(broker.Bootstrap,
        [
            "-G", KcatGroup, "-e", "-f", "%t %p %o %k %s\\n",
            "-X", "auto.offset.reset=earliest", "-X", "session.timeout.ms=6000", "-X", "heartbeat.interval.ms=500",
            Topic,
        ]);
        var records = result.Lines.Select(KcatRecord.Parse).ToList();
        Assert.True(records.Count == expected, result.Describe($"kcat -G read {records.Count} records, expected {expected}"));
        return records;
    }

    /// <summary>OffsetFetch, retried while the restarted coordinator still loads the group's partition.</summary>
    private static async Task<Dictionary<(string Topic, int Partition), (long Offset, string? Metadata)>> FetchWhenLoadedAsync(
        KafkaWireClient client, string group)
    {
        Dictionary<(string, int), (long, string?)>? offsets = null;
        await Poll.UntilAsync(async () =>
        {
            var (error, result) = await client.TryFetchOffsetsAsync(group);
            if (error == ErrorCode.CoordinatorLoadInProgress) return false;
            Assert.Equal(ErrorCode.None, error);
            offsets = result;
            return true;
        }, TimeSpan.FromSeconds(30), $"{group}'s partition to load");
        return offsets!;
    }
}
