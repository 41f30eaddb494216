using System.Text.Json;
using AkkaLog.Cli.Tests.Infrastructure;

namespace AkkaLog.Cli.Tests.Integration;

/// <summary><c>akkalog produce</c> and <c>akkalog consume</c>, with kcat reading and writing the other side.</summary>
[Collection(BrokerCollection.Name)]
public sealed class MessageCommandTests(BrokerFixture broker)
{
    [Fact]
    public async Task Produce_then_consume_as_text_with_keys_headers_and_offsets()
    {
        string topic = await broker.CreateTopicAsync("cli-text");
        var produced = (await broker.RunWithInputAsync("k1:v1\nk2:v:2\nk3:hello world\n",
            "produce", "-t", topic, "--key-separator", ":", "--header", "src=cli", "--header", "n=1")).Expect(0);
        Assert.Contains($"Produced 3 records to {topic}.", produced.Stdout);

        var consumed = (await broker.RunAsync("consume", "-t", topic, "--from-beginning", "--exit-at-end",
            "--print-offset", "--print-headers", "--print-key")).Expect(0);
        Assert.Equal(["Offset:0\tsrc:cli,n:1\tk1\tv1", "Offset:1\tsrc:cli,n:1\tk2\tv:2", "Offset:2\tsrc:cli,n:1\tk3\thello world"], consumed.Lines);
        Assert.Contains("Processed a total of 3 messages", consumed.Stderr);
    }

    [Fact]
    public async Task Produce_then_consume_as_json()
    {
        string topic = await broker.CreateTopicAsync("cli-json", partitions: 2);
        var produced = (await broker.RunWithInputAsync("a=1\nb=2\nc=3\n", "produce", "-t", topic, "-K", "=", "-p", "1", "--output", "json")).Expect(0).Json();
        Assert.Equal(3, produced.GetProperty("records").GetInt64());
        var range = produced.GetProperty("partitions")[0];
        Assert.Equal((1, 0, 2), (range.GetProperty("partition").GetInt32(), range.GetProperty("firstOffset").GetInt64(), range.GetProperty("lastOffset").GetInt64()));

        long before = DateTimeOffset.UtcNow.AddMinutes(-5).ToUnixTimeMilliseconds();
        var consumed = (await broker.RunAsync("consume", "-t", topic, "--from-beginning", "--max-messages", "2", "--format", "json")).Expect(0);
        var records = consumed.Lines.Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(2, records.Count);
        Assert.Equal(["a", "b"], records.Select(r => r.GetProperty("key").GetString()));
        Assert.Equal(["1", "2"], records.Select(r => r.GetProperty("value").GetString()));
        Assert.All(records, r => Assert.Equal(1, r.GetProperty("partition").GetInt32()));
        Assert.Equal([0L, 1L], records.Select(r => r.GetProperty("offset").GetInt64()));
        Assert.All(records, r => Assert.True(r.GetProperty("timestamp").GetInt64() > before));
        Assert.All(records, r => Assert.Equal(topic, r.GetProperty("topic").GetString()));
        Assert.Equal(JsonValueKind.Array, records[0].GetProperty("headers").ValueKind);
    }

    [Fact]
    public async Task Produced_lines_are_read_by_kcat()
    {
        string topic = await broker.CreateTopicAsync("cli-kcat");
        (await broker.RunWithInputAsync("alice:hello\nbob:world\ncarol:ünïcödé\n", "produce", "-t", topic, "-K", ":", "--compression", "gzip")).Expect(0);
        var read = await Kcat.RunCheckedAsync(broker.Bootstrap, ["-C", "-t", topic, "-o", "beginning", "-e", "-q", "-f", "%k %s\n"]);
        Assert.Equal("alice hello\nbob world\ncarol ünïcödé\n", read.Stdout);
    }

    [Fact]
    public async Task Records_written_by_kcat_are_consumed_from_a_partition_and_offset()
    {
        string topic = await broker.CreateTopicAsync("cli-from-kcat", partitions: 2);
        await Kcat.RunCheckedAsync(broker.Bootstrap, ["-P", "-t", topic, "-p", "1", "-K", ":", "-H", "h=x"], "k0:zero\nk1:one\nk2:two\n");
        var consumed = (await broker.RunAsync("consume", "-t", topic, "--partition", "1", "--offset", "1", "--exit-at-end",
            "--print-partition", "--print-key", "--print-headers")).Expect(0);
        Assert.Equal(["Partition:1\th:x\tk1\tone", "Partition:1\th:x\tk2\ttwo"], consumed.Lines);
    }

    [Fact]
    public async Task Produce_reads_a_file()
    {
        string topic = await broker.CreateTopicAsync("cli-file");
        string file = Path.Combine(Path.GetTempPath(), $"akkalog-cli-{Guid.NewGuid():N}.txt");
        await File.WriteAllTextAsync(file, "one\ntwo\n");
        try
        {
            (await broker.RunAsync("produce", "-t", topic, "--file", file, "--acks", "1")).Expect(0);
        }
        finally
        {
            File.Delete(file);
        }
        var read = await Kcat.RunCheckedAsync(broker.Bootstrap, ["-C", "-t", topic, "-o", "beginning", "-e", "-q", "-f", "%s\n"]);
        Assert.Equal("one\ntwo\n", read.Stdout);
    }

    [Fact]
    public async Task Consuming_with_a_group_commits_its_position()
    {
        string topic = await broker.CreateTopicAsync("cli-group-consume", partitions: 2);
        string group = BrokerFixture.Unique("cli-g");
        await Kcat.RunCheckedAsync(broker.Bootstrap, ["-P", "-t", topic, "-p", "0"], "a\nb\nc\n");
        (await broker.RunAsync("consume", "-t", topic, "-g", group, "--from-beginning", "--max-messages", "3")).Expect(0);

        var described = (await broker.RunAsync("group", "describe", group, "--output", "json")).Expect(0).Json();
        var p0 = described.GetProperty("offsets").EnumerateArray().Single(o => o.GetProperty("partition").GetInt32() == 0);
        Assert.Equal(3, p0.GetProperty("currentOffset").GetInt64());
        Assert.Equal(0, p0.GetProperty("lag").GetInt64());
    }
}
