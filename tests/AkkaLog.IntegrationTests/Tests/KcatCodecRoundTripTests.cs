using AkkaLog.Protocol.Partitioning;
using System.Text;
using AkkaLog.IntegrationTests.Fixtures;
using AkkaLog.IntegrationTests.Infrastructure;

namespace AkkaLog.IntegrationTests.Tests;

/// <summary>
/// 100,000 keyed records with headers through kcat -P (librdkafka, Produce v7) with each codec, read
/// back with kcat -C: every (key, value) exactly once, headers intact, contiguous offsets per partition,
/// producer timestamps, and the partition murmur2 picks.
/// </summary>
[Collection(SharedBrokerCollection.Name)]
public sealed class KcatCodecRoundTripTests(SharedBrokerFixture fixture, ITestOutputHelper output)
{
    private const int Count = 100_000;
    private const int Partitions = 3;
    private BrokerProcess Broker => fixture.Broker;

    [Theory]
    [InlineData("none")]
    [InlineData("gzip")]
    [InlineData("snappy")]
    [InlineData("lz4")]
    [InlineData("zstd")]
    public Task Produce_and_consume_100k_keyed_records(string codec) => Broker.WithLogOnFailure(output, async () =>
    {
        string topic = TopicNames.Unique($"codec-{codec}");
        await using (var client = await Broker.ConnectAsync()) await client.CreateTopicOrFailAsync(topic, Partitions);

        var expected = new Dictionary<string, string>(Count);
        var input = new StringBuilder(Count * 96);
        for (int i = 0; i < Count; i++)
        {
            string key = $"key-{i}", value = $"value-{i}-{Payload(i)}";
            expected[key] = value;
            input.Append(key).Append(':').Append(value).Append('\n');
        }

        long start = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var produced = await Kcat.RunCheckedAsync(Broker.Bootstrap,
        [
            "-P", "-t", topic, "-z", codec, "-K", ":", "-H", "h1=v1", "-H", "h2=v2",
            "-X", "batch.num.messages=10000", "-X", "linger.ms=50", "-X", "queue.buffering.max.messages=200000",
            "-X", "partitioner=murmur2_random",
        ], input.ToString(), TimeSpan.FromMinutes(3));
        long end = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        output.WriteLine($"kcat -P ({codec}) took {end - start} ms; stderr: {produced.Stderr}");

        var consumed = await Kcat.RunCheckedAsync(Broker.Bootstrap,
            ["-C", "-t", topic, "-o", "beginning", "-e", "-f", "%t|%p|%o|%k|%s|%h|%T\\n"], timeout: TimeSpan.FromSeconds(90));
        var lines = consumed.Lines;
        Assert.True(lines.Length == Count, $"kcat -C returned {lines.Length} lines, expected {Count}\n{consumed.Describe("kcat -C")}");

        var seen = new HashSet<string>(Count);
        var nextOffset = new long[Partitions];
        var problems = new List<string>();
        foreach (var line in lines)
        {
            var f = line.Split('|');
            if (f.Length != 7) { problems.Add($"malformed line: {line}"); continue; }
            int partition = int.Parse(f[1]);
            long offset = long.Parse(f[2]), timestamp = long.Parse(f[6]);
            string key = f[3], value = f[4];
            if (f[0] != topic) problems.Add($"topic {f[0]} in {line}");
            if (!expected.TryGetValue(key, out var want)) problems.Add($"unexpected key in {line}");
            else if (want != value) problems.Add($"key {key}: value {value}, expected {want}");
            if (!seen.Add(key)) problems.Add($"duplicate key {key}");
            if (f[5] != "h1=v1,h2=v2") problems.Add($"headers '{f[5]}' in {line}");
            if (offset != nextOffset[partition]) problems.Add($"partition {partition}: offset {offset}, expected {nextOffset[partition]}");
            nextOffset[partition] = offset + 1;
            if (timestamp < start - 1000 || timestamp > end + 1000) problems.Add($"timestamp {timestamp} outside [{start - 1000}, {end + 1000}]");
            int wantPartition = Murmur2.Partition(Encoding.UTF8.GetBytes(key), Partitions);
            if (partition != wantPartition) problems.Add($"key {key} on partition {partition}, murmur2 says {wantPartition}");
            if (problems.Count > 20) break;
        }
        Assert.True(problems.Count == 0, string.Join('\n', problems));
        Assert.Equal(Count, seen.Count);
        Assert.Equal(Count, nextOffset.Sum());

        await using var check = await Broker.ConnectAsync();
        for (int p = 0; p < Partitions; p++) Assert.Equal(nextOffset[p], await check.HighWatermarkAsync(topic, p));
    });

    /// <summary>Deterministic, somewhat compressible filler without ':' or '|'.</summary>
    private static string Payload(int i)
    {
        const string alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_";
        var chars = new char[48];
        uint x = (uint)i * 2654435761u + 12345;
        for (int c = 0; c < chars.Length; c++)
        {
            x ^= x << 13; x ^= x >> 17; x ^= x << 5;
            chars[c] = c % 4 == 3 ? 'x' : alphabet[(int)(x % (uint)alphabet.Length)];
        }
        return new string(chars);
    }
}
