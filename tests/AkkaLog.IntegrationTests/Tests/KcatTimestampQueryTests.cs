using System.Text.RegularExpressions;
using AkkaLog.IntegrationTests.Fixtures;
using AkkaLog.IntegrationTests.Infrastructure;
using AkkaLog.Protocol.Records;

namespace AkkaLog.IntegrationTests.Tests;

/// <summary>kcat -Q (ListOffsets by timestamp through librdkafka) finds the first offset with timestamp ≥ the query.</summary>
[Collection(SharedBrokerCollection.Name)]
public sealed partial class KcatTimestampQueryTests(SharedBrokerFixture fixture, ITestOutputHelper output)
{
    private BrokerProcess Broker => fixture.Broker;

    [Fact]
    public Task Query_by_timestamp_returns_first_offset_at_or_after_it() => Broker.WithLogOnFailure(output, async () =>
    {
        string topic = TopicNames.Unique("ts-query");
        long t0 = DateTimeOffset.UtcNow.AddHours(-1).ToUnixTimeMilliseconds();
        await using (var client = await Broker.ConnectAsync())
        {
            await client.CreateTopicOrFailAsync(topic, 1);
            // Offsets 0-4: one record per batch at t0, t0+1000, ..., t0+4000.
            for (int i = 0; i < 5; i++)
            {
                var r = await client.ProduceAsync(topic, 0, Batches.Single($"v{i}", t0 + i * 1000));
                Assert.Equal(0, r!.ErrorCode);
                Assert.Equal(i, r.BaseOffset);
            }
            // Offsets 5-7: one batch at t0+5000, t0+6000, t0+7000 (the answer lies inside a batch).
            using var builder = new RecordBatchBuilder();
            for (int i = 5; i < 8; i++) builder.Append(t0 + i * 1000, "k"u8, System.Text.Encoding.UTF8.GetBytes($"v{i}"));
            var last = await client.ProduceAsync(topic, 0, builder.ToArray());
            Assert.Equal(0, last!.ErrorCode);
            Assert.Equal(5, last.BaseOffset);
        }

        Assert.Equal(0, await QueryAsync(topic, t0 - 5000));
        Assert.Equal(0, await QueryAsync(topic, t0));
        Assert.Equal(2, await QueryAsync(topic, t0 + 1500));
        Assert.Equal(3, await QueryAsync(topic, t0 + 3000));
        Assert.Equal(6, await QueryAsync(topic, t0 + 5500));
        Assert.Equal(7, await QueryAsync(topic, t0 + 7000));
    });

    private async Task<long> QueryAsync(string topic, long timestamp)
    {
        var result = await Kcat.RunCheckedAsync(Broker.Bootstrap, ["-Q", "-t", $"{topic}:0:{timestamp}"]);
        var match = OffsetLine().Match(result.Stdout);
        Assert.True(match.Success, result.Describe($"kcat -Q {topic}:0:{timestamp} printed no offset line"));
        output.WriteLine($"-Q {timestamp}: {match.Value}");
        return long.Parse(match.Groups[1].Value);
    }

    [GeneratedRegex(@"\[0\]\s+offset\s+(-?\d+)")]
    private static partial Regex OffsetLine();
}
