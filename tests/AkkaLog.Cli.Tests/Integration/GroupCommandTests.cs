using AkkaLog.Cli.Tests.Infrastructure;
using AkkaLog.Client;

namespace AkkaLog.Cli.Tests.Integration;

/// <summary>
/// <c>akkalog group ...</c>. Offsets are committed with the admin client (AlterConsumerGroupOffsets),
/// so the group exists without a running member and the expected lag is known exactly.
/// </summary>
[Collection(BrokerCollection.Name)]
public sealed class GroupCommandTests(BrokerFixture broker)
{
    /// <summary>A topic with 5 records in partition 0 and 3 in partition 1, and a group that committed 2 and 3.</summary>
    private async Task<(string Topic, string Group)> GroupWithLagAsync()
    {
        string topic = await broker.CreateTopicAsync("cli-lag", partitions: 2);
        (await broker.RunWithInputAsync("a\nb\nc\nd\ne\n", "produce", "-t", topic, "-p", "0")).Expect(0);
        (await broker.RunWithInputAsync("x\ny\nz\n", "produce", "-t", topic, "-p", "1")).Expect(0);
        string group = BrokerFixture.Unique("cli-group");
        await using var admin = broker.Admin();
        await admin.AlterConsumerGroupOffsetsAsync(group, [new TopicPartitionOffset(topic, 0, 2), new TopicPartitionOffset(topic, 1, 3)]);
        return (topic, group);
    }

    private async Task<Dictionary<int, long>> CommittedAsync(string group)
    {
        await using var admin = broker.Admin();
        return (await admin.ListConsumerGroupOffsetsAsync(group)).ToDictionary(o => o.TopicPartition.Partition.Value, o => o.Offset.Value);
    }

    [Fact]
    public async Task Describe_shows_committed_offset_log_end_and_lag()
    {
        var (topic, group) = await GroupWithLagAsync();

        var json = (await broker.RunAsync("group", "describe", group, "--output", "json")).Expect(0).Json();
        Assert.Equal(3, json.GetProperty("totalLag").GetInt64());
        var rows = json.GetProperty("offsets").EnumerateArray()
            .Select(o => (o.GetProperty("topic").GetString(), o.GetProperty("partition").GetInt32(), o.GetProperty("currentOffset").GetInt64(),
                o.GetProperty("logEndOffset").GetInt64(), o.GetProperty("lag").GetInt64()))
            .ToList();
        Assert.Equal([(topic, 0, 2L, 5L, 3L), (topic, 1, 3L, 3L, 0L)], rows);

        var text = (await broker.RunAsync("group", "describe", group)).Expect(0);
        Assert.Contains($"Group: {group}", text.Stdout);
        Assert.Contains("Total lag: 3", text.Stdout);
        var row = text.Lines.Single(l => l.StartsWith(topic + "  ", StringComparison.Ordinal) && l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1] == "0");
        Assert.Equal([topic, "0", "2", "5", "3"], row.Split(' ', StringSplitOptions.RemoveEmptyEntries)[..5]);

        var listed = (await broker.RunAsync("group", "list", "--output", "json")).Expect(0).Json();
        Assert.Contains(group, listed.GetProperty("groups").EnumerateArray().Select(g => g.GetProperty("groupId").GetString()));
    }

    [Fact]
    public async Task Reset_offsets_is_a_dry_run_until_execute()
    {
        var (topic, group) = await GroupWithLagAsync();

        var dry = (await broker.RunAsync("group", "reset-offsets", group, "--topic", topic, "--to-earliest")).Expect(0);
        Assert.Contains("Dry run", dry.Stdout);
        Assert.Equal(new Dictionary<int, long> { [0] = 2, [1] = 3 }, await CommittedAsync(group));

        var executed = (await broker.RunAsync("group", "reset-offsets", group, "--topic", topic, "--to-earliest", "--execute", "--output", "json")).Expect(0).Json();
        Assert.True(executed.GetProperty("executed").GetBoolean());
        Assert.Equal(new Dictionary<int, long> { [0] = 0, [1] = 0 }, await CommittedAsync(group));

        (await broker.RunAsync("group", "reset-offsets", group, "--topic", $"{topic}:0", "--shift-by", "4", "--execute")).Expect(0);
        Assert.Equal(new Dictionary<int, long> { [0] = 4, [1] = 0 }, await CommittedAsync(group));

        // Past the end is clamped to the log end, as kafka-consumer-groups does.
        (await broker.RunAsync("group", "reset-offsets", group, "--all-topics", "--to-offset", "100", "--execute")).Expect(0);
        Assert.Equal(new Dictionary<int, long> { [0] = 5, [1] = 3 }, await CommittedAsync(group));

        var plan = (await broker.RunAsync("group", "reset-offsets", group, "--all-topics", "--to-earliest", "--dry-run", "--output", "json")).Expect(0).Json();
        Assert.False(plan.GetProperty("executed").GetBoolean());
        Assert.All(plan.GetProperty("offsets").EnumerateArray(), o => Assert.Equal(0, o.GetProperty("newOffset").GetInt64()));
        Assert.Equal(new Dictionary<int, long> { [0] = 5, [1] = 3 }, await CommittedAsync(group));
    }

    [Fact]
    public async Task Describe_shows_the_members_of_a_running_consumer_which_stops_cleanly_on_ctrl_c()
    {
        string topic = await broker.CreateTopicAsync("cli-live", partitions: 2);
        string group = BrokerFixture.Unique("cli-live");
        using var ctrlC = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var consumer = CliRunner.RunAsync(["consume", "-t", topic, "-g", group, "-b", broker.Bootstrap], cancellation: ctrlC.Token);

        System.Text.Json.JsonElement described = default;
        for (var deadline = DateTime.UtcNow.AddSeconds(15); DateTime.UtcNow < deadline; await Task.Delay(200))
        {
            // Until the consumer has joined, the group does not exist yet (exit 1).
            var attempt = await broker.RunAsync("group", "describe", group, "--output", "json");
            if (attempt.ExitCode != 0) continue;
            described = attempt.Json();
            if (described.GetProperty("state").GetString() == "Stable") break;
        }
        Assert.Equal("Stable", described.ValueKind == System.Text.Json.JsonValueKind.Undefined ? null : described.GetProperty("state").GetString());
        var member = Assert.Single(described.GetProperty("members").EnumerateArray());
        Assert.Equal([$"{topic}-0", $"{topic}-1"], member.GetProperty("assignment").EnumerateArray().Select(a => a.GetString()));
        Assert.All(described.GetProperty("offsets").EnumerateArray(),
            o => Assert.Equal(member.GetProperty("memberId").GetString(), o.GetProperty("memberId").GetString()));

        var refused = (await broker.RunAsync("group", "reset-offsets", group, "--topic", topic, "--to-earliest", "--execute")).Expect(1);
        Assert.Contains("is active", refused.Stderr);

        ctrlC.Cancel();
        var stopped = (await consumer).Expect(0);
        Assert.Contains("Processed a total of 0 messages", stopped.Stderr);
    }

    [Fact]
    public async Task Delete_removes_the_group()
    {
        var (_, group) = await GroupWithLagAsync();
        Assert.Contains($"Deleted group {group}.", (await broker.RunAsync("group", "delete", group)).Expect(0).Stdout);
        var listed = (await broker.RunAsync("group", "list", "--output", "json")).Expect(0).Json();
        Assert.DoesNotContain(group, listed.GetProperty("groups").EnumerateArray().Select(g => g.GetProperty("groupId").GetString()));
        var missing = (await broker.RunAsync("group", "describe", group)).Expect(1);
        Assert.Contains(group, missing.Stderr);
    }
}
