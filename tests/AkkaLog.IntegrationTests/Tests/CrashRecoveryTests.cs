using AkkaLog.IntegrationTests.Fixtures;
using AkkaLog.IntegrationTests.Infrastructure;

namespace AkkaLog.IntegrationTests.Tests;

/// <summary>
/// kill -9 while a producer runs (acks=1), restart, and read the log back: every acknowledged record is
/// at its acknowledged offset with its value, every batch is valid, offsets are contiguous and continue
/// after the restart. The torn-tail variant also appends garbage to the active segment before restarting.
/// </summary>
[Collection(CrashCollection.Name)]
public sealed class CrashRecoveryTests(ITestOutputHelper output)
{
    private const int BatchSize = 50;

    [Fact]
    public Task Acknowledged_records_survive_kill_9() => RunAsync(tornTail: false);

    [Fact]
    public Task Acknowledged_records_survive_kill_9_with_torn_segment_tail() => RunAsync(tornTail: true);

    private async Task RunAsync(bool tornTail)
    {
        await using var broker = await BrokerProcess.StartNewAsync(tornTail ? "crash-torn" : "crash");
        await broker.WithLogOnFailure(output, async () =>
        {
            const string topic = "crash-topic";
            await using (var admin = await broker.ConnectAsync()) await admin.CreateTopicOrFailAsync(topic, 1);

            var producer = new AckRecordingProducer(broker, topic, BatchSize);
            var run = producer.RunAsync();
            await Task.Delay(TimeSpan.FromSeconds(2));
            broker.Kill();
            await run;
            output.WriteLine($"sent {producer.SentRecords} records, {producer.Acknowledged.Count} acknowledged; producer stopped by: {producer.StopReason}");
            Assert.True(producer.Acknowledged.Count > 0, $"nothing was acknowledged in 2 s (stopped by: {producer.StopReason})");

            if (tornTail) AppendGarbageToActiveSegment(broker, topic);
            await broker.RestartAsync();

            await using var client = await broker.ConnectAsync();
            var (records, highWatermark) = await client.ReadAllAsync(topic, 0);
            output.WriteLine($"after restart: high watermark {highWatermark}, {records.Count} records");

            Assert.Equal(Enumerable.Range(0, records.Count).Select(i => (long)i), records.Select(r => r.Offset));
            Assert.Equal(highWatermark, records.Count);
            var byOffset = records.ToDictionary(r => r.Offset);
            foreach (var (offset, value) in producer.Acknowledged)
            {
                Assert.True(byOffset.TryGetValue(offset, out var record), $"acknowledged offset {offset} ({value}) missing; high watermark {highWatermark}");
                Assert.Equal(value, record.ValueText);
            }
            // Records past the acknowledged ones may survive (written, ack lost), but only records we sent, in order.
            Assert.Equal(Enumerable.Range(0, records.Count).Select(AckRecordingProducer.ValueOf), records.Select(r => r.ValueText));
            Assert.True(records.Count <= producer.SentRecords, $"{records.Count} records in the log, only {producer.SentRecords} sent");

            var after = await client.ProduceAsync(topic, 0, Batches.Single("after-restart"), acks: 1);
            Assert.Equal(0, after!.ErrorCode);
            Assert.Equal(highWatermark, after.BaseOffset);
            var (again, newHighWatermark) = await client.ReadAllAsync(topic, 0, highWatermark);
            Assert.Equal(highWatermark + 1, newHighWatermark);
            Assert.Equal("after-restart", Assert.Single(again).ValueText);
        });
    }

    private void AppendGarbageToActiveSegment(BrokerProcess broker, string topic)
    {
        var dir = Path.Combine(broker.DataDir, $"{topic}-0");
        var segment = Directory.GetFiles(dir, "*.log").OrderBy(Path.GetFileName, StringComparer.Ordinal).LastOrDefault();
        Assert.True(segment is not null, $"no segment file in {dir}: {string.Join(", ", Directory.GetFiles(dir))}");
        var garbage = new byte[1000];
        new Random(1234).NextBytes(garbage);
        long before = new FileInfo(segment).Length;
        using (var fs = new FileStream(segment, FileMode.Append, FileAccess.Write)) fs.Write(garbage);
        output.WriteLine($"appended 1000 random bytes to {segment} (was {before} bytes)");
    }
}
