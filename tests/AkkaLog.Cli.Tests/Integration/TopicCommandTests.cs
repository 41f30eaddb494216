using AkkaLog.Cli.Tests.Infrastructure;
using AkkaLog.Client;

namespace AkkaLog.Cli.Tests.Integration;

/// <summary><c>akkalog topic ...</c> against a real broker; results are checked with the admin client too.</summary>
[Collection(BrokerCollection.Name)]
public sealed class TopicCommandTests(BrokerFixture broker)
{
    [Fact]
    public async Task Create_list_describe_alter_delete()
    {
        string topic = BrokerFixture.Unique("cli-topic");
        var created = (await broker.RunAsync("topic", "create", topic, "--partitions", "3", "--config", "retention.ms=3600000")).Expect(0);
        Assert.Contains($"Created topic {topic}.", created.Stdout);

        Assert.Contains(topic, (await broker.RunAsync("topic", "list")).Expect(0).Lines);
        var listed = (await broker.RunAsync("topic", "list", "--output", "json")).Expect(0).Json();
        Assert.Contains(topic, listed.GetProperty("topics").EnumerateArray().Select(t => t.GetString()));

        var described = (await broker.RunAsync("topic", "describe", topic)).Expect(0);
        Assert.Contains($"Topic: {topic}", described.Stdout);
        Assert.Contains("PartitionCount: 3", described.Stdout);
        Assert.Contains("retention.ms=3600000", described.Stdout);
        Assert.Equal(["0", "1", "2"], described.Lines.Skip(2).Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[0]));

        var altered = (await broker.RunAsync("topic", "alter", topic, "--partitions", "5", "--config", "segment.ms=100000")).Expect(0);
        Assert.Contains("now has 5 partitions", altered.Stdout);
        var json = (await broker.RunAsync("topic", "describe", topic, "--output", "json")).Expect(0).Json().GetProperty("topics")[0];
        Assert.Equal(5, json.GetProperty("partitionCount").GetInt32());
        Assert.Equal("100000", json.GetProperty("configs").GetProperty("segment.ms").GetString());
        Assert.Equal("3600000", json.GetProperty("configs").GetProperty("retention.ms").GetString());
        await using (var admin = broker.Admin())
            Assert.Equal(5, (await admin.DescribeTopicsAsync([topic])).Single().Partitions.Count);

        var again = (await broker.RunAsync("topic", "create", topic)).Expect(1);
        Assert.Contains("TOPIC_ALREADY_EXISTS", again.Stderr);
        (await broker.RunAsync("topic", "create", topic, "--if-not-exists")).Expect(0);

        Assert.Contains($"Deleted topic {topic}.", (await broker.RunAsync("topic", "delete", topic)).Expect(0).Stdout);
        Assert.DoesNotContain(topic, (await broker.RunAsync("topic", "list")).Expect(0).Lines);
        await using (var admin = broker.Admin())
            await Assert.ThrowsAnyAsync<KafkaException>(() => admin.DescribeTopicsAsync([topic]));
    }

    [Fact]
    public async Task Delete_of_a_missing_topic_fails_unless_if_exists()
    {
        string topic = BrokerFixture.Unique("cli-missing");
        var failed = (await broker.RunAsync("topic", "delete", topic)).Expect(1);
        Assert.Contains(topic, failed.Stderr);
        Assert.Contains("UNKNOWN_TOPIC_OR_PARTITION", failed.Stderr);
        Assert.Contains($"Topic {topic} does not exist.", (await broker.RunAsync("topic", "delete", topic, "--if-exists")).Expect(0).Stdout);
    }

    [Fact]
    public async Task Alter_without_changes_is_a_usage_error()
    {
        var result = (await broker.RunAsync("topic", "alter", "whatever")).Expect(2);
        Assert.StartsWith("akkalog: nothing to alter", result.Stderr);
    }
}
