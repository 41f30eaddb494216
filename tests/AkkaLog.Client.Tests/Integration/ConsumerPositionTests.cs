using AkkaLog.Client.Tests.Infrastructure;
using AkkaLog.Protocol;

namespace AkkaLog.Client.Tests.Integration;

/// <summary>Where a consumer reads: auto.offset.reset, seek, pause/resume, stored and committed offsets, watermarks, EOF.</summary>
[Collection(BrokerCollection.Name)]
public sealed class ConsumerPositionTests(BrokerFixture fixture)
{
    private async Task<string> TopicWithAsync(int records, int partitions = 1)
    {
        string topic = await fixture.CreateTopicAsync("pos", partitions);
        await ProduceAsync(topic, 0, records);
        return topic;
    }

    private async Task ProduceAsync(string topic, int from, int count)
    {
        await using var producer = new ProducerBuilder<Null, string>(new ProducerConfig { BootstrapServers = fixture.Bootstrap }).Build();
        for (int i = from; i < from + count; i++) await producer.ProduceAsync(new TopicPartition(topic, 0), new Message<Null, string> { Value = $"{i}" });
    }

    private IConsumer<Null, string> Consumer(string reset, string? group = null, Action<ConsumerConfig>? configure = null)
    {
        var config = ConsumerKit.Config(fixture.Bootstrap, group, reset);
        configure?.Invoke(config);
        return new ConsumerBuilder<Null, string>(config).Build();
    }

    private static string Group() => "pos-" + Guid.NewGuid().ToString("N")[..12];

    [Fact]
    public async Task Auto_offset_reset_earliest_latest_and_none()
    {
        string topic = await TopicWithAsync(10);
        var tp = new TopicPartition(topic, 0);

        using (var earliest = Consumer("earliest"))
        {
            earliest.Assign([tp]);
            Assert.Equal(Enumerable.Range(0, 10).Select(i => $"{i}"), (await ConsumerKit.ReadAsync(earliest, 10)).Select(r => r.Message.Value));
        }

        using (var latest = Consumer("latest", Group()))
        {
            latest.Assign([tp]);
            await ConsumerKit.WaitUntilAsync(() => { latest.Consume(TimeSpan.FromMilliseconds(50)); return latest.Position(tp).Value == 10; },
                () => $"position {latest.Position(tp)}");
            await ProduceAsync(topic, 10, 5);
            Assert.Equal(["10", "11", "12", "13", "14"], (await ConsumerKit.ReadAsync(latest, 5)).Select(r => r.Message.Value));
        }

        using (var none = Consumer("none", Group()))
        {
            none.Assign([tp]);
            var error = await Assert.ThrowsAsync<KafkaException>(() => ConsumerKit.ReadAsync(none, 1));
            Assert.Equal(ErrorCode.OffsetOutOfRange, error.Code);
            none.Seek(new TopicPartitionOffset(tp, 13));
            Assert.Equal(["13", "14"], (await ConsumerKit.ReadAsync(none, 2)).Select(r => r.Message.Value));
        }

        // An offset past the end is out of range: auto.offset.reset=earliest starts over.
        using var beyond = Consumer("earliest");
        beyond.Assign([new TopicPartitionOffset(tp, 1000)]);
        Assert.Equal("0", (await ConsumerKit.ReadAsync(beyond, 1))[0].Message.Value);
    }

    [Fact]
    public async Task Pause_stops_and_resume_restarts_without_losing_the_position_and_seek_drops_what_was_fetched()
    {
        string topic = await TopicWithAsync(100);
        var tp = new TopicPartition(topic, 0);
        using var consumer = Consumer("earliest");
        consumer.Assign([new TopicPartitionOffset(tp, Offset.Beginning)]);
        Assert.Equal(Enumerable.Range(0, 10).Select(i => (long)i), (await ConsumerKit.ReadAsync(consumer, 10)).Select(r => r.Offset.Value));

        consumer.Pause([tp]);
        await ProduceAsync(topic, 100, 20);
        Assert.Empty(await ConsumerKit.DrainAsync(consumer, TimeSpan.FromMilliseconds(600)));
        Assert.Equal(10, consumer.Position(tp).Value);

        consumer.Resume([tp]);
        Assert.Equal(Enumerable.Range(10, 110).Select(i => (long)i), (await ConsumerKit.ReadAsync(consumer, 110)).Select(r => r.Offset.Value));

        // Back to 5: data fetched past it already is dropped, reading restarts there.
        consumer.Seek(new TopicPartitionOffset(tp, 5));
        Assert.Equal([5L, 6, 7], (await ConsumerKit.ReadAsync(consumer, 3)).Select(r => r.Offset.Value));
        consumer.Seek(new TopicPartitionOffset(tp, Offset.End));
        Assert.Empty(await ConsumerKit.DrainAsync(consumer, TimeSpan.FromMilliseconds(300)));
        await ProduceAsync(topic, 120, 1);
        Assert.Equal("120", (await ConsumerKit.ReadAsync(consumer, 1))[0].Message.Value);
        Assert.Equal(new WatermarkOffsets(0, 121), consumer.QueryWatermarkOffsets(tp, TimeSpan.FromSeconds(10)));
        Assert.Throws<InvalidOperationException>(() => consumer.Seek(new TopicPartitionOffset(topic, 3, 0)));
    }

    [Fact]
    public async Task Stored_offsets_are_what_auto_commit_commits_and_commits_are_read_back()
    {
        string topic = await TopicWithAsync(30);
        var tp = new TopicPartition(topic, 0);
        string group = Group();
        using (var consumer = Consumer("earliest", group, c => c.EnableAutoOffsetStore = false))
        {
            consumer.Assign([tp]);
            var read = await ConsumerKit.ReadAsync(consumer, 20);
            consumer.StoreOffset(read[9]);
            // Closing commits the stored offset (10), not the position (20).
        }
        using (var consumer = Consumer("earliest", group))
        {
            Assert.Equal(10, consumer.Committed([tp], TimeSpan.FromSeconds(10)).Single().Offset.Value);
            consumer.Assign([tp]);
            var read = await ConsumerKit.ReadAsync(consumer, 5);
            Assert.Equal("10", read[0].Message.Value);

            consumer.Commit(read[1]);
            Assert.Equal(12, consumer.Committed([tp], TimeSpan.FromSeconds(10)).Single().Offset.Value);
            Assert.Equal([new TopicPartitionOffset(tp, 15)], consumer.Commit());
            await consumer.CommitAsync([new TopicPartitionOffset(tp, 17)]);
            Assert.Equal(17, consumer.Committed([tp], TimeSpan.FromSeconds(10)).Single().Offset.Value);
        }
        // Closing with auto-commit committed the consumed position (15) over the explicit 17, as Java's close does.
        // Auto-commit commits the stored offsets every auto.commit.interval.ms (200 ms here) while Consume is called.
        using (var consumer = Consumer("earliest", group))
        {
            consumer.Assign([tp]);
            Assert.Equal("15", (await ConsumerKit.ReadAsync(consumer, 15))[0].Message.Value);
            await ConsumerKit.WaitUntilAsync(() =>
            {
                consumer.Consume(TimeSpan.FromMilliseconds(50));
                return consumer.Committed([tp], TimeSpan.FromSeconds(10)).Single().Offset.Value == 30;
            }, () => "auto-commit never committed 30");
        }
        using var fresh = Consumer("latest", Group());
        Assert.Equal(Offset.Unset, fresh.Committed([tp], TimeSpan.FromSeconds(10)).Single().Offset);
    }

    [Fact]
    public async Task Partition_eof_is_reported_once_per_arrival_at_the_end()
    {
        string topic = await TopicWithAsync(3, partitions: 1);
        var tp = new TopicPartition(topic, 0);
        using var consumer = Consumer("earliest", configure: c => c.EnablePartitionEof = true);
        consumer.Assign([tp]);
        var results = new List<ConsumeResult<Null, string>>();
        await ConsumerKit.WaitUntilAsync(() =>
        {
            if (consumer.Consume(TimeSpan.FromMilliseconds(50)) is { } r) results.Add(r);
            return results.Any(r => r.IsPartitionEOF);
        }, () => $"{results.Count} results, no EOF");
        Assert.Equal(["0", "1", "2"], results.Where(r => !r.IsPartitionEOF).Select(r => r.Message.Value));
        Assert.Equal(3, results.Single(r => r.IsPartitionEOF).Offset.Value);
        // Not again while nothing new arrives; again once a new record was read to the end.
        var more = new List<ConsumeResult<Null, string>>();
        for (int i = 0; i < 5; i++) if (consumer.Consume(TimeSpan.FromMilliseconds(60)) is { } r) more.Add(r);
        Assert.Empty(more);
        await ProduceAsync(topic, 3, 1);
        await ConsumerKit.WaitUntilAsync(() =>
        {
            if (consumer.Consume(TimeSpan.FromMilliseconds(50)) is { } r) more.Add(r);
            return more.Any(r => r.IsPartitionEOF);
        }, () => $"{more.Count} results, no second EOF");
        Assert.Equal([(false, 3L), (true, 4L)], more.Select(r => (r.IsPartitionEOF, r.Offset.Value)));
    }
}
