using System.Text.RegularExpressions;
using AkkaLog.Cli.Tests.Infrastructure;

namespace AkkaLog.Cli.Tests.Integration;

/// <summary><c>akkalog perf produce</c> and <c>perf consume</c> with small counts: the figures are printed and the records really land.</summary>
[Collection(BrokerCollection.Name)]
public sealed class PerfCommandTests(BrokerFixture broker)
{
    [Fact]
    public async Task Perf_produce_prints_throughput_and_latency_percentiles()
    {
        string topic = await broker.CreateTopicAsync("cli-perf", partitions: 2);
        var text = (await broker.RunAsync("perf", "produce", "-t", topic, "--num-records", "2000", "--record-size", "50")).Expect(0);
        Assert.Matches(new Regex(@"^2000 records sent, [\d.]+ records/sec \([\d.]+ MB/sec\), [\d.]+ ms avg latency, [\d.]+ ms max latency, " +
            @"[\d.]+ ms 50th, [\d.]+ ms 95th, [\d.]+ ms 99th, [\d.]+ ms 99\.9th\.$", RegexOptions.Multiline), text.Stdout);
        // The cost line says what the run cost the client, compiling inside the measured window included.
        Assert.Matches(new Regex(@"^client cost: [\d.]+ s CPU .* GCs gen0 \d+ gen1 \d+ gen2 \d+ pausing \d+ ms, JIT \d+ ms for \d+ methods\.$",
            RegexOptions.Multiline), text.Stdout);

        var json = (await broker.RunAsync("perf", "produce", "-t", topic, "-n", "500", "-s", "100", "--throughput", "5000",
            "--producer-prop", "acks=1", "--output", "json")).Expect(0).Json();
        Assert.Equal(500, json.GetProperty("records").GetInt64());
        Assert.Equal(0, json.GetProperty("failed").GetInt64());
        Assert.Equal(50_000, json.GetProperty("bytes").GetInt64());
        double p50 = json.GetProperty("p50Ms").GetDouble(), p99 = json.GetProperty("p99Ms").GetDouble();
        Assert.True(p50 > 0 && p50 <= p99 && p99 <= json.GetProperty("maxLatencyMs").GetDouble(), json.ToString());
        // Latency is timed for every 16th record by default (0, 16, ..., 496), every record counted.
        Assert.Equal(32, json.GetProperty("latencySamples").GetInt64());
        // 500 records at 5000/s take at least ~0.1 s: the cap was applied.
        Assert.True(json.GetProperty("elapsedSeconds").GetDouble() >= 0.09, json.ToString());

        var consumed = (await broker.RunAsync("perf", "consume", "-t", topic, "--messages", "2500", "--output", "json")).Expect(0).Json();
        Assert.Equal(2500, consumed.GetProperty("records").GetInt64());
        Assert.False(consumed.GetProperty("timedOut").GetBoolean());
        Assert.True(consumed.GetProperty("mbPerSec").GetDouble() > 0);
    }

    [Fact]
    public async Task Perf_consume_stops_at_its_timeout_and_reports_what_it_read()
    {
        string topic = await broker.CreateTopicAsync("cli-perf-timeout");
        (await broker.RunWithInputAsync("a\nb\n", "produce", "-t", topic)).Expect(0);
        var text = (await broker.RunAsync("perf", "consume", "-t", topic, "--messages", "10", "--timeout", "5000")).Expect(0); // generous: the first fetch must land inside it on a loaded CI machine
        Assert.Matches(@"(?m)^2 records consumed, [\d.]+ records/sec \([\d.]+ MB/sec\)", text.Stdout); // after any 5 s progress lines
        Assert.Contains("2 of 10 read", text.Stderr);
    }

    [Fact]
    public async Task Perf_produce_warmup_records_land_but_are_not_counted()
    {
        string topic = await broker.CreateTopicAsync("cli-perf-warmup");
        var json = (await broker.RunAsync("perf", "produce", "-t", topic, "-n", "300", "-s", "10", "--warmup-records", "200",
            "--output", "json")).Expect(0).Json();
        Assert.Equal(300, json.GetProperty("records").GetInt64());
        Assert.Equal(3000, json.GetProperty("bytes").GetInt64());
        var all = await Kcat.ConsumeAllAsync(broker.Bootstrap, topic, "%s\n");
        Assert.Equal(500, all.Lines.Length);
    }

    [Fact]
    public async Task Perf_consume_warmup_records_are_read_first_and_not_counted()
    {
        string topic = await broker.CreateTopicAsync("cli-perf-consume-warmup");
        (await broker.RunWithInputAsync("a\nbb\nccc\ndddd\neeeee\n", "produce", "-t", topic)).Expect(0);

        // Two warm-up records (a, bb), then the three measured: 3 + 4 + 5 bytes.
        var json = (await broker.RunAsync("perf", "consume", "-t", topic, "--warmup-records", "2", "--messages", "3", "--output", "json")).Expect(0).Json();
        Assert.Equal(3, json.GetProperty("records").GetInt64());
        Assert.Equal(12, json.GetProperty("bytes").GetInt64());
        Assert.False(json.GetProperty("timedOut").GetBoolean());

        // A warm-up the topic cannot fill ends the run, with nothing measured and the reason on stderr.
        var starved = (await broker.RunAsync("perf", "consume", "-t", topic, "--warmup-records", "9", "--messages", "1", "--timeout", "3000")).Expect(0);
        Assert.Matches(@"(?m)^0 records consumed", starved.Stdout);
        Assert.Contains("during the warm-up", starved.Stderr);

        var refused = (await broker.RunAsync("perf", "consume", "-t", topic, "--messages", "1", "--warmup-records", "-1")).Expect(2);
        Assert.Contains("--warmup-records must not be negative", refused.Stderr);
    }

    [Fact]
    public async Task Perf_produce_can_time_every_record_and_refuses_a_sample_rate_below_one()
    {
        string topic = await broker.CreateTopicAsync("cli-perf-latency");
        var json = (await broker.RunAsync("perf", "produce", "-t", topic, "-n", "300", "-s", "10", "--latency-sample-every", "1",
            "--output", "json")).Expect(0).Json();
        Assert.Equal(300, json.GetProperty("records").GetInt64());
        Assert.Equal(300, json.GetProperty("latencySamples").GetInt64());
        var refused = (await broker.RunAsync("perf", "produce", "-t", topic, "-n", "3", "--latency-sample-every", "0")).Expect(2);
        Assert.Contains("--latency-sample-every must be at least 1", refused.Stderr);
    }

    [Fact]
    public async Task Perf_produce_needs_a_count_or_a_duration()
    {
        (await broker.RunAsync("perf", "produce", "-t", "x")).Expect(2);
        (await broker.RunAsync("perf", "produce", "-t", "x", "-n", "5", "-d", "1")).Expect(2);
        (await broker.RunAsync("perf", "produce", "-t", "x", "-n", "5", "--warmup-records", "-1")).Expect(2);
    }
}
