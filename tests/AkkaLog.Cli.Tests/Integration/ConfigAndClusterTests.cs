using AkkaLog.Cli.Tests.Infrastructure;
using AkkaLog.Client.Admin;

namespace AkkaLog.Cli.Tests.Integration;

/// <summary><c>akkalog config ...</c> and <c>akkalog cluster describe</c>.</summary>
[Collection(BrokerCollection.Name)]
public sealed class ConfigAndClusterTests(BrokerFixture broker)
{
    [Fact]
    public async Task Config_alter_and_describe_a_topic()
    {
        string topic = await broker.CreateTopicAsync("cli-config");
        var altered = (await broker.RunAsync("config", "alter", "--topic", topic, "--set", "retention.ms=7200000", "--set", "cleanup.policy=compact")).Expect(0);
        Assert.Contains($"Set retention.ms=7200000 on topic {topic}.", altered.Stdout);

        var text = (await broker.RunAsync("config", "describe", "--topic", topic)).Expect(0);
        Assert.Contains(text.Lines, l => l.StartsWith("retention.ms ", StringComparison.Ordinal) && l.Contains("7200000") && l.Contains("DYNAMIC_TOPIC_CONFIG"));
        Assert.Contains(text.Lines, l => l.StartsWith("cleanup.policy ", StringComparison.Ordinal) && l.Contains("compact"));
        Assert.DoesNotContain(text.Lines, l => l.StartsWith("segment.bytes ", StringComparison.Ordinal));

        (await broker.RunAsync("config", "alter", "--topic", topic, "--delete", "cleanup.policy")).Expect(0);
        var json = (await broker.RunAsync("config", "describe", "--topic", topic, "--output", "json")).Expect(0).Json();
        var names = json.GetProperty("configs").EnumerateArray().Select(c => c.GetProperty("name").GetString()).ToList();
        Assert.Equal(["retention.ms"], names);

        await using var admin = broker.Admin();
        var entries = (await admin.DescribeConfigsAsync([new ConfigResource(ResourceType.Topic, topic)])).Single().Entries;
        Assert.Equal("7200000", entries["retention.ms"].Value);
        Assert.NotEqual(ConfigSource.DynamicTopicConfig, entries["cleanup.policy"].Source);

        var all = (await broker.RunAsync("config", "describe", "--topic", topic, "--all", "--output", "json")).Expect(0).Json();
        Assert.True(all.GetProperty("configs").GetArrayLength() > 5);
    }

    [Fact]
    public async Task Config_describe_a_broker()
    {
        var json = (await broker.RunAsync("config", "describe", "--broker", "0", "--all", "--output", "json")).Expect(0).Json();
        Assert.Equal("broker", json.GetProperty("resource").GetProperty("type").GetString());
        Assert.Contains(json.GetProperty("configs").EnumerateArray(), c => c.GetProperty("name").GetString() == "auto.create.topics.enable"
            && c.GetProperty("value").GetString() == "false");
    }

    [Fact]
    public async Task Config_needs_exactly_one_resource()
    {
        (await broker.RunAsync("config", "describe")).Expect(2);
        (await broker.RunAsync("config", "describe", "--topic", "a", "--broker", "0")).Expect(2);
    }

    [Fact]
    public async Task Cluster_describe_lists_the_broker()
    {
        var text = (await broker.RunAsync("cluster", "describe")).Expect(0);
        Assert.Contains(text.Lines, l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries) is ["0", "127.0.0.1", var port, ..] && port == broker.Broker.Port.ToString());
        var json = (await broker.RunAsync("cluster", "describe", "--output", "json")).Expect(0).Json();
        Assert.Equal(0, json.GetProperty("controllerId").GetInt32());
        Assert.False(string.IsNullOrEmpty(json.GetProperty("clusterId").GetString()));
        Assert.Equal(broker.Broker.Port, json.GetProperty("brokers")[0].GetProperty("port").GetInt32());
    }
}
