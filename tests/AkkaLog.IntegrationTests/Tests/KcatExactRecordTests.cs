using System.Text;
using AkkaLog.IntegrationTests.Fixtures;
using AkkaLog.IntegrationTests.Infrastructure;
using AkkaLog.Protocol.Records;

namespace AkkaLog.IntegrationTests.Tests;

/// <summary>
/// Records with chosen timestamps, headers, a null key, an empty key and a null value, produced with the
/// wire client and read back byte for byte both with kcat and with a raw Fetch.
/// </summary>
[Collection(SharedBrokerCollection.Name)]
public sealed class KcatExactRecordTests(SharedBrokerFixture fixture, ITestOutputHelper output)
{
    private BrokerProcess Broker => fixture.Broker;

    [Fact]
    public Task Timestamps_keys_nulls_and_headers_survive_exactly() => Broker.WithLogOnFailure(output, async () =>
    {
        string topic = TopicNames.Unique("exact");
        long t0 = 1_600_000_000_123;
        static RecordHeader H(string k, string v) => new(Encoding.UTF8.GetBytes(k), Encoding.UTF8.GetBytes(v));
        await using var client = await Broker.ConnectAsync();
        await client.CreateTopicOrFailAsync(topic, 1);

        using (var builder = new RecordBatchBuilder())
        {
            builder.Append(t0, "k0"u8, false, "v0"u8, false, [H("h1", "v1")]);
            builder.Append(t0 + 17, default, true, "v-null-key"u8, false, [H("a", "1"), H("b", "2")]);
            builder.Append(t0 + 33, default, false, "v-empty-key"u8, false);
            builder.Append(t0 + 1000, "tomb"u8, false, default, true);
            var r = await client.ProduceAsync(topic, 0, builder.ToArray());
            Assert.Equal(0, r!.ErrorCode);
            Assert.Equal(0, r.BaseOffset);
        }
        using (var gzip = new RecordBatchBuilder(CompressionCodec.Gzip))
        {
            gzip.Append(t0 - 50_000, "k4"u8, false, "v4"u8, false, [H("h", "z")]); // earlier than the rest: allowed
            var r = await client.ProduceAsync(topic, 0, gzip.ToArray());
            Assert.Equal(0, r!.ErrorCode);
            Assert.Equal(4, r.BaseOffset);
        }

        string[] expected =
        [
            $"0|{t0}|2|k0|2|v0|h1=v1",
            $"1|{t0 + 17}|-1||10|v-null-key|a=1,b=2",
            $"2|{t0 + 33}|0||11|v-empty-key|",
            $"3|{t0 + 1000}|4|tomb|-1||",
            $"4|{t0 - 50_000}|2|k4|2|v4|h=z",
        ];
        var kcat = await Kcat.RunCheckedAsync(Broker.Bootstrap,
            ["-C", "-t", topic, "-p", "0", "-o", "beginning", "-e", "-f", "%o|%T|%K|%k|%S|%s|%h\\n"]);
        Assert.Equal(string.Join('\n', expected) + "\n", kcat.Stdout);

        var (records, highWatermark) = await client.ReadAllAsync(topic, 0);
        Assert.Equal(5, highWatermark);
        Assert.Equal(new long[] { t0, t0 + 17, t0 + 33, t0 + 1000, t0 - 50_000 }, records.Select(r => r.Timestamp));
        Assert.Equal("k0"u8.ToArray(), records[0].Key);
        Assert.Null(records[1].Key);
        Assert.Empty(records[2].Key!);
        Assert.Null(records[3].Value);
        Assert.Equal("tomb"u8.ToArray(), records[3].Key);
        Assert.Equal(new[] { "a", "b" }, records[1].Headers.Select(h => h.Key));
        Assert.Equal("2"u8.ToArray(), records[1].Headers[1].Value);
    });
}
