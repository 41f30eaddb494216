using System.Diagnostics;
using AkkaLog.Cli.Tests.Infrastructure;

namespace AkkaLog.Cli.Tests.Integration;

/// <summary>Exit codes and the one-line error message scripts rely on.</summary>
[Collection(BrokerCollection.Name)]
public sealed class ErrorTests(BrokerFixture broker)
{
    [Fact]
    public async Task Unreachable_broker_exits_1_with_one_line_within_the_api_timeout()
    {
        int port = TestPaths.FreePort();
        var clock = Stopwatch.StartNew();
        var result = (await CliRunner.RunAsync(["topic", "list", "-b", $"127.0.0.1:{port}", "--api-timeout-ms", "2000"])).Expect(1);
        clock.Stop();
        Assert.Equal($"akkalog: cannot reach 127.0.0.1:{port} (connection refused)\n", result.Stderr.Replace("\r\n", "\n"));
        Assert.Equal("", result.Stdout);
        Assert.InRange(clock.Elapsed.TotalSeconds, 1.5, 6);
    }

    [Fact]
    public async Task Unreachable_broker_is_reported_the_same_by_produce_and_consume()
    {
        int port = TestPaths.FreePort();
        foreach (var args in new[] { new[] { "produce", "-t", "t" }, ["consume", "-t", "t"], ["group", "describe", "g"] })
        {
            var result = (await CliRunner.RunAsync([.. args, "-b", $"127.0.0.1:{port}", "--api-timeout-ms", "1000"], "x\n")).Expect(1);
            Assert.Equal($"akkalog: cannot reach 127.0.0.1:{port} (connection refused)", result.Stderr.Trim());
        }
    }

    [Fact]
    public async Task Unknown_topic_exits_1_naming_the_topic()
    {
        string topic = BrokerFixture.Unique("cli-nosuch");
        foreach (var args in new[] { new[] { "topic", "describe", topic }, ["consume", "-t", topic], ["produce", "-t", topic], ["perf", "produce", "-t", topic, "-n", "1"] })
        {
            var result = (await broker.RunWithInputAsync("x\n", args)).Expect(1);
            string line = Assert.Single(result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            Assert.StartsWith("akkalog: ", line);
            Assert.Contains(topic, line);
            Assert.Contains("UNKNOWN_TOPIC_OR_PARTITION", line);
        }
    }

    [Fact]
    public async Task Missing_partition_exits_1()
    {
        string topic = await broker.CreateTopicAsync("cli-one-partition");
        var result = (await broker.RunWithInputAsync("x\n", "produce", "-t", topic, "--partition", "3")).Expect(1);
        Assert.Contains("partition 3 does not exist", result.Stderr);
    }

    [Theory]
    [InlineData("topic", "list", "--bogus")]
    [InlineData("topic")]
    [InlineData("topic", "create")]
    [InlineData("produce")]
    [InlineData("produce", "-t", "t", "--acks", "7")]
    [InlineData("topic", "create", "t", "--config", "no-equals-sign")]
    [InlineData("topic", "create", "t", "--partitions", "many")]
    [InlineData("consume", "-t", "t", "--offset", "5")]
    [InlineData("consume", "-t", "t", "--partition", "0", "--offset", "soon")]
    [InlineData("group", "reset-offsets", "g", "--topic", "t", "--to-earliest", "--to-latest")]
    [InlineData("group", "reset-offsets", "g", "--topic", "t", "--to-earliest", "--dry-run", "--execute")]
    [InlineData("produce", "-t", "t", "--producer-property", "no.such.key=1")]
    [InlineData("--output", "xml", "topic", "list")]
    public async Task Bad_arguments_exit_2_before_contacting_the_cluster(params string[] args)
    {
        // Port 1 is never listening: a command that tried to connect would exit 1, not 2.
        var result = (await CliRunner.RunAsync([.. args, "-b", "127.0.0.1:1"])).Expect(2);
        Assert.StartsWith("akkalog: ", result.Stderr);
    }

    [Fact]
    public async Task Help_explains_the_exit_codes()
    {
        foreach (var args in new[] { new[] { "--help" }, ["consume", "--help"], ["group", "reset-offsets", "-h"] })
        {
            var result = (await CliRunner.RunAsync(args)).Expect(0);
            Assert.Contains("Exit codes:", result.Stdout);
            Assert.Contains("2    bad arguments", result.Stdout);
            Assert.Contains("1    Kafka or runtime error", result.Stdout);
        }
    }
}
