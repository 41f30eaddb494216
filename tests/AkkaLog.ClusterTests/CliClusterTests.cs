using System.Text.Json;
using AkkaLog.Cli;
using AkkaLog.Cli.Infrastructure;

namespace AkkaLog.ClusterTests;

/// <summary><c>akkalog cluster describe / reassign / elect-leaders</c> against a real three-broker cluster.</summary>
public sealed class CliClusterTests(ITestOutputHelper output)
{
    private static async Task<(int Code, string Out, string Err)> RunAsync(TestCluster cluster, params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var io = new CliIo(TextWriter.Synchronized(stdout), TextWriter.Synchronized(stderr), new StringReader(""), IsTerminal: false);
        int code = await CliApp.RunAsync([.. args, "-b", cluster.Bootstrap], io);
        return (code, stdout.ToString(), stderr.ToString());
    }

    private static async Task<JsonElement> DescribeAsync(TestCluster cluster)
    {
        var (code, text, err) = await RunAsync(cluster, "cluster", "describe", "--output", "json");
        Assert.True(code == 0, err);
        return JsonDocument.Parse(text).RootElement;
    }

    [Fact]
    public async Task Describe_reassign_and_elect_leaders_drive_the_cluster()
    {
        await using var cluster = await TestCluster.StartAsync(3);
        await cluster.CreateTopicAsync("cli", 1, 2);
        var described = await DescribeAsync(cluster);
        Assert.Equal(3, described.GetProperty("brokers").GetArrayLength());
        Assert.Contains(described.GetProperty("controllerId").GetInt32(), new[] { 1, 2, 3 });
        Assert.Equal(0, described.GetProperty("underReplicated").GetArrayLength());
        Assert.Equal(0, described.GetProperty("offline").GetArrayLength());

        // Move cli-0 onto the broker that does not hold it yet, as its preferred leader.
        var before = (await cluster.DescribeAsync("cli"))!.Partitions[0];
        int newcomer = new[] { 1, 2, 3 }.Except(before.Replicas).Single();
        var target = new[] { newcomer, before.Replicas[1] };
        var (code, text, err) = await RunAsync(cluster, "cluster", "reassign", $"cli:0={string.Join(',', target)}");
        output.WriteLine(text + err);
        Assert.Equal(0, code);
        Assert.Contains("started", text);
        await cluster.WaitForAsync("the move to finish", async () =>
            (await cluster.DescribeAsync("cli"))?.Partitions[0] is { } p && p.Replicas.SequenceEqual(target) && p.InSyncReplicas.Count == 2);
        (code, text, _) = await RunAsync(cluster, "cluster", "reassign", "--list");
        Assert.Equal(0, code);
        Assert.Contains("No partition moves in progress.", text);

        // The newcomer is preferred but may not lead yet; elect-leaders settles it.
        (code, text, err) = await RunAsync(cluster, "cluster", "elect-leaders", "--topic", "cli");
        output.WriteLine(text + err);
        Assert.Equal(0, code);
        await cluster.WaitForAsync("the preferred replica leading", async () => (await cluster.DescribeAsync("cli"))?.Partitions[0].Leader == newcomer);

        // A dead broker shows up as under-replicated partitions; a single-replica partition on it as offline.
        await cluster.CreateTopicAsync("solo", 1, 1);
        int soloHost = (await cluster.DescribeAsync("solo"))!.Partitions[0].Leader;
        cluster.Brokers[soloHost].Kill();
        await cluster.WaitForAsync("under-replicated and offline partitions reported", async () =>
        {
            var d = await DescribeAsync(cluster);
            return d.GetProperty("underReplicated").GetArrayLength() > 0
                   && d.GetProperty("offline").EnumerateArray().Any(p => p.GetProperty("topic").GetString() == "solo");
        });
        (code, text, _) = await RunAsync(cluster, "cluster", "describe");
        output.WriteLine(text);
        Assert.Contains("Under-replicated partitions:", text);
        Assert.Contains("Offline partitions: 1", text);
        // Nobody else holds solo-0: even an unclean election cannot bring it back.
        (code, text, _) = await RunAsync(cluster, "cluster", "elect-leaders", "--topic", "solo", "--unclean");
        Assert.Equal(1, code);
        Assert.Contains("EligibleLeadersNotAvailable", text);
    }

    [Theory]
    [InlineData("cluster", "reassign")]
    [InlineData("cluster", "reassign", "no-partition=1,2")]
    [InlineData("cluster", "reassign", "t:0=1,x")]
    [InlineData("cluster", "reassign", "--list", "t:0=1")]
    [InlineData("cluster", "elect-leaders", "--partition", "0")]
    public async Task Bad_arguments_are_usage_errors(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int code = await CliApp.RunAsync([.. args, "-b", "127.0.0.1:1"], new CliIo(stdout, stderr, new StringReader(""), IsTerminal: false));
        Assert.Equal(2, code);
        Assert.NotEmpty(stderr.ToString());
    }
}
