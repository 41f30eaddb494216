using System.Collections.Concurrent;
using AkkaLog.Client.Tests.Infrastructure;
using AkkaLog.Protocol;

namespace AkkaLog.Client.Tests.Integration;

/// <summary>
/// The blocking <c>Produce</c> with delivery handlers: every record reported once, per partition in
/// offset order, handlers never concurrent, Flush after the last handler, back-pressure from a tiny
/// buffer.memory, and failures reported to the handler (broker side) or thrown (before queueing).
/// </summary>
[Collection(BrokerCollection.Name)]
public sealed class ProduceWithHandlerTests(BrokerFixture fixture)
{
    [Fact]
    public async Task Every_record_is_reported_once_in_offset_order_per_partition()
    {
        const int Count = 3000;
        string topic = await fixture.CreateTopicAsync("handler", partitions: 3);
        var reports = new ConcurrentQueue<DeliveryReport<string, string>>();
        int running = 0, overlapped = 0;
        var config = new ProducerConfig { BootstrapServers = fixture.Bootstrap, LingerMs = 2, BatchSize = 4096 };
        await using (var producer = new ProducerBuilder<string, string>(config).Build())
        {
            for (int i = 0; i < Count; i++)
            {
                producer.Produce(topic, new Message<string, string> { Key = $"k{i % 17}", Value = $"v{i}" }, report =>
                {
                    if (Interlocked.Increment(ref running) > 1) Interlocked.Increment(ref overlapped);
                    reports.Enqueue(report);
                    Interlocked.Decrement(ref running);
                });
            }
            await producer.FlushAsync();
            // Flush returns once every handler has run, not merely once every batch was acknowledged.
            Assert.Equal(Count, reports.Count);
        }

        Assert.Equal(0, overlapped);
        Assert.All(reports, r => Assert.False(r.Error.IsError, r.Error.Reason));
        Assert.Equal(Count, reports.Select(r => r.Value).Distinct().Count());
        foreach (var partition in reports.GroupBy(r => r.Partition.Value))
        {
            // In the order the handlers ran: offsets 0, 1, 2... with no gap or repeat.
            Assert.Equal(Enumerable.Range(0, partition.Count()).Select(i => (long)i), partition.Select(r => r.Offset.Value));
        }
        var read = await Kcat.ConsumeAllAsync(fixture.Bootstrap, topic, "%s\\n");
        Assert.Equal(reports.Select(r => r.Value).Order(), read.Lines.Order());
    }

    [Fact]
    public async Task A_byte_array_reused_after_produce_returns_does_not_change_what_was_sent()
    {
        // byte[] keys and values are appended without an intermediate copy: Produce and ProduceAsync
        // must still be done with the caller's array when they return, whether the record went into a
        // batch at once or waited (here: the first records wait for the new topic's metadata).
        const int Count = 200;
        string topic = await fixture.CreateTopicAsync("reused-array");
        var key = new byte[6];
        var value = new byte[64];
        var pending = new List<Task<DeliveryResult<byte[], byte[]>>>();
        var config = new ProducerConfig { BootstrapServers = fixture.Bootstrap, LingerMs = 5 };
        await using (var producer = new ProducerBuilder<byte[], byte[]>(config).Build())
        {
            for (int i = 0; i < Count; i++)
            {
                System.Text.Encoding.ASCII.GetBytes($"k{i:D5}", key);
                Array.Fill(value, (byte)('A' + i % 26));
                var message = new Message<byte[], byte[]> { Key = key, Value = value };
                if (i % 2 == 0) pending.Add(producer.ProduceAsync(topic, message));
                else producer.Produce(topic, message);
            }
            Array.Fill(key, (byte)'#');
            Array.Fill(value, (byte)'#');
            await producer.FlushAsync();
            await Task.WhenAll(pending);
        }
        var read = await Kcat.ConsumeAllAsync(fixture.Bootstrap, topic, "%k=%s\\n");
        var expected = Enumerable.Range(0, Count).Select(i => $"k{i:D5}={new string((char)('A' + i % 26), 64)}");
        Assert.Equal(expected, read.Lines);
    }

    [Fact]
    public async Task Flush_answers_how_many_records_are_still_unfinished()
    {
        string topic = await fixture.CreateTopicAsync("flush-count");
        string missing = $"missing-{Guid.NewGuid():N}";
        var config = new ProducerConfig { BootstrapServers = fixture.Bootstrap, LingerMs = 5, MaxBlockMs = 3000, AllowAutoCreateTopics = false };
        await using var producer = new ProducerBuilder<Null, string>(config).Build();
        var delivered = Enumerable.Range(0, 50).Select(i => producer.ProduceAsync(topic, new Message<Null, string> { Value = $"v{i}" })).ToList();
        Assert.Equal(0, producer.Flush(TimeSpan.FromSeconds(30)));
        await Task.WhenAll(delivered);

        // Records for a topic that does not exist wait for its metadata (up to max.block.ms): still unfinished.
        var waiting = Enumerable.Range(0, 7).Select(i => producer.ProduceAsync(missing, new Message<Null, string> { Value = $"w{i}" })).ToList();
        Assert.Equal(7, producer.Flush(TimeSpan.FromMilliseconds(200)));
        foreach (var task in waiting) await Assert.ThrowsAsync<ProduceException<Null, string>>(() => task);
        Assert.Equal(0, producer.Flush(TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task A_tiny_buffer_memory_holds_the_caller_back_instead_of_failing()
    {
        const int Count = 2000;
        string topic = await fixture.CreateTopicAsync("handler-backpressure");
        var payload = new byte[1024];
        long delivered = 0, failed = 0;
        var config = new ProducerConfig { BootstrapServers = fixture.Bootstrap, BufferMemory = 16 * 1024, BatchSize = 4096, LingerMs = 1 };
        await using (var producer = new ProducerBuilder<Null, byte[]>(config).Build())
        {
            for (int i = 0; i < Count; i++)
            {
                // 16 KiB hold about 15 such records: most calls must wait for earlier ones to be acknowledged.
                producer.Produce(topic, new Message<Null, byte[]> { Value = payload },
                    r => Interlocked.Increment(ref r.Error.IsError ? ref failed : ref delivered));
            }
            await producer.FlushAsync();
        }
        Assert.Equal(0, failed);
        Assert.Equal(Count, delivered);
    }

    [Fact]
    public async Task A_broker_side_failure_reaches_the_handler_and_a_bad_record_throws_at_once()
    {
        string topic = await fixture.CreateTopicAsync("handler-errors", configs: new() { ["max.message.bytes"] = "2000" });
        var reports = new ConcurrentQueue<DeliveryReport<Null, string>>();
        var config = new ProducerConfig { BootstrapServers = fixture.Bootstrap, LingerMs = 0, MaxRequestSize = 1 << 20 };
        await using var producer = new ProducerBuilder<Null, string>(config).Build();

        producer.Produce(topic, new Message<Null, string> { Value = new string('x', 5000) }, reports.Enqueue);
        producer.Produce(topic, new Message<Null, string> { Value = "fits" }, reports.Enqueue);
        await producer.FlushAsync();
        var tooLarge = Assert.Single(reports, r => r.Error.IsError);
        Assert.Equal(ErrorCode.MessageTooLarge, tooLarge.Error.Code);
        Assert.Equal(PersistenceStatus.NotPersisted, tooLarge.Status);
        Assert.Contains(reports, r => r.Value == "fits" && !r.Error.IsError && r.Offset.Value >= 0);

        // Failures before the record is queued are the caller's to see, not the handler's.
        var noPartition = Assert.Throws<ProduceException<Null, string>>(() =>
            producer.Produce(new TopicPartition(topic, 7), new Message<Null, string> { Value = "nowhere" }, reports.Enqueue));
        Assert.Equal(ErrorCode.UnknownTopicOrPartition, noPartition.Error.Code);
        var oversized = Assert.Throws<ProduceException<Null, string>>(() =>
            producer.Produce(topic, new Message<Null, string> { Value = new string('y', 2 << 20) }, reports.Enqueue));
        Assert.Equal(ErrorCode.MessageTooLarge, oversized.Error.Code);
        Assert.Equal(2, reports.Count);
    }

    [Fact]
    public async Task A_throwing_handler_does_not_stop_the_others()
    {
        string topic = await fixture.CreateTopicAsync("handler-throws");
        int reported = 0;
        var config = new ProducerConfig { BootstrapServers = fixture.Bootstrap, LingerMs = 5 };
        await using var producer = new ProducerBuilder<Null, string>(config).Build();
        for (int i = 0; i < 100; i++)
        {
            int n = i;
            producer.Produce(topic, new Message<Null, string> { Value = $"v{n}" }, _ =>
            {
                Interlocked.Increment(ref reported);
                if (n % 10 == 0) throw new InvalidOperationException("handler bug");
            });
        }
        await producer.FlushAsync();
        Assert.Equal(100, reported);
    }
}
