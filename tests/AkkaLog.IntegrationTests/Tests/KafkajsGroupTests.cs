using AkkaLog.IntegrationTests.Fixtures;
using AkkaLog.IntegrationTests.Infrastructure;

namespace AkkaLog.IntegrationTests.Tests;

/// <summary>
/// kafkajs 2.2.4 consumer groups (tests/compat/kafkajs/group-consume.js, group-admin.js) against a
/// broker with no initial rebalance delay; what the scripts report is cross-checked over the wire.
/// </summary>
[Collection(GroupCollection.Name)]
public sealed class KafkajsGroupTests(FastGroupBrokerFixture fixture, ITestOutputHelper output) : IClassFixture<FastGroupBrokerFixture>
{
    private BrokerProcess Broker => fixture.Broker;

    [Fact]
    public Task EachMessage_and_eachBatch_groups_consume_once_and_a_restarted_member_resumes() => Broker.WithLogOnFailure(output, async () =>
    {
        string topic = TopicNames.Unique("kjs-group");
        var result = await RunAsync("group-consume.js", topic);
        Assert.Equal(
            [
                "OK describeGroups Stable members=3 partitions=2 each",
                "OK eachMessage consumed=300 once each by the partition owner",
                "OK fetchOffsets equals the high watermarks",
                "OK describeGroups Empty after disconnect",
                "OK restarted consumer resumed at the committed offsets: consumed=60 new",
                "OK eachBatch consumed=200 once each, offsets committed",
            ],
            OkLines(result));

        // The broker's own view: both groups empty, offsets at the end of every partition.
        await using var client = await Broker.ConnectAsync();
        var groups = await client.ListGroupsAsync();
        foreach (var (group, groupTopic, total) in new[] { ($"{topic}-each-message", topic, 360), ($"{topic}-each-batch", $"{topic}-batch", 200) })
        {
            var listed = Assert.Single(groups, g => g.GroupId == group);
            Assert.Equal(("consumer", "Empty"), (listed.ProtocolType, listed.GroupState));
            var committed = await client.FetchOffsetsAsync(group);
            long sum = 0;
            for (int p = 0; p < 6; p++)
            {
                long end = await client.HighWatermarkAsync(groupTopic, p);
                Assert.Equal(end, committed[(groupTopic, p)].Offset);
                sum += end;
            }
            Assert.Equal(total, sum);
        }
    });

    [Fact]
    public Task Admin_lists_describes_resets_sets_and_deletes_groups() => Broker.WithLogOnFailure(output, async () =>
    {
        string topic = TopicNames.Unique("kjs-group-admin");
        var result = await RunAsync("group-admin.js", topic);
        Assert.Equal(
            [
                "OK listGroups contains the group protocolType=consumer",
                "OK describeGroups Stable protocol=RoundRobinAssigner members=1",
                "OK deleteGroups running group refused NON_EMPTY_GROUP",
                "OK resetOffsets running group refused",
                "OK describeGroups Empty after disconnect",
                "OK resetOffsets earliest committed=-2",
                "OK resetOffsets latest committed=-1",
                "OK setOffsets committed 3,7,10",
                "OK consumer resumed from the set offsets",
                "OK deleteGroups empty group deleted, gone from listGroups, offsets gone",
            ],
            OkLines(result));

        await using var client = await Broker.ConnectAsync();
        Assert.DoesNotContain(await client.ListGroupsAsync(), g => g.GroupId == $"{topic}-group");
        Assert.Empty(await client.FetchOffsetsAsync($"{topic}-group"));
    });

    private async Task<ProcessResult> RunAsync(string script, string topic)
    {
        var result = await Kafkajs.RunScriptAsync(script, Broker.Bootstrap, new Dictionary<string, string> { ["TOPIC"] = topic });
        output.WriteLine(result.Stdout);
        Assert.True(result.ExitCode == 0, result.Describe($"node {script}"));
        return result;
    }

    private static List<string> OkLines(ProcessResult result) =>
        result.Lines.Where(l => l.StartsWith("OK ", StringComparison.Ordinal)).ToList();
}
