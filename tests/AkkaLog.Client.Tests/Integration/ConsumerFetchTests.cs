using AkkaLog.Client.Internal.Consumer;
using AkkaLog.Client.Tests.Infrastructure;

namespace AkkaLog.Client.Tests.Integration;

/// <summary>The fetch path from inside: the next fetch is in flight while records are processed, and records cost only their result.</summary>
[Collection(BrokerCollection.Name)]
public sealed class ConsumerFetchTests(BrokerFixture fixture, ITestOutputHelper output)
{
    private async Task<string> TopicWithAsync(int records, int valueBytes)
    {
        string topic = await fixture.CreateTopicAsync("fetch");
        var config = new ProducerConfig { BootstrapServers = fixture.Bootstrap, LingerMs = 50 };
        await using var producer = new ProducerBuilder<Null, string>(config).Build();
        string value = new('v', valueBytes);
        await Task.WhenAll(Enumerable.Range(0, records).Select(_ => producer.ProduceAsync(topic, new Message<Null, string> { Value = value })));
        return topic;
    }

    [Fact]
    public async Task The_next_fetch_is_made_while_the_application_still_holds_fetched_records()
    {
        // One batch per response (max.partition.fetch.bytes is below a batch; the first batch comes whole).
        string topic = await TopicWithAsync(2000, 100);
        var config = ConsumerKit.Config(fixture.Bootstrap);
        config.MaxPartitionFetchBytes = 1024;
        using var consumer = new ConsumerBuilder<Null, string>(config).Build();
        consumer.Assign([new TopicPartitionOffset(topic, 0, Offset.Beginning)]);
        Assert.NotNull((await ConsumerKit.ReadAsync(consumer, 1))[0]);

        // Without consuming further, a second response arrives behind the one being read: no stop-and-wait.
        var table = ((Consumer<Null, string>)consumer).Table;
        Assert.True(table.TryGet(new TopicPartition(topic, 0), out var state));
        await ConsumerKit.WaitUntilAsync(() => { lock (table.Sync) return state.Buffered >= 2; },
            () => $"{state.Buffered} responses buffered");
        // And no further: the buffer is bounded while the application does not read.
        await Task.Delay(300);
        lock (table.Sync) Assert.Equal(Fetcher.MaxBuffered, state.Buffered);
        Assert.Equal(1999, (await ConsumerKit.ReadAsync(consumer, 1999)).Count);
    }

    [Fact]
    public async Task Consuming_a_record_allocates_only_its_result_and_message()
    {
        const int count = 5000;
        string topic = await TopicWithAsync(count, 200);
        using var consumer = new ConsumerBuilder<Ignore, Ignore>(ConsumerKit.Config(fixture.Bootstrap)).Build();
        consumer.Assign([new TopicPartitionOffset(topic, 0, Offset.Beginning)]);
        long bytes = 0;
        int records = 0;
        var deadline = DateTime.UtcNow.AddSeconds(30);
        await Task.Run(() =>
        {
            while (records < count && DateTime.UtcNow < deadline)
            {
                long before = GC.GetAllocatedBytesForCurrentThread();
                var r = consumer.Consume(TimeSpan.Zero);
                long after = GC.GetAllocatedBytesForCurrentThread();
                if (r is null)
                {
                    Thread.Sleep(5);
                    continue;
                }
                bytes += after - before;
                records++;
            }
        });
        Assert.Equal(count, records);
        double perRecord = (double)bytes / records;
        output.WriteLine($"{perRecord:0.0} bytes allocated per record");
        // ConsumeResult (~64 B) + Message (~56 B); per-response costs are spread over the response's records.
        Assert.True(perRecord < 160, $"{perRecord:0.0} bytes per record");
    }

    [Fact]
    public async Task Members_rejoin_when_a_subscribed_topic_gains_partitions()
    {
        string topic = await fixture.CreateTopicAsync("grow", partitions: 1);
        var config = ConsumerKit.Config(fixture.Bootstrap, "grow-" + Guid.NewGuid().ToString("N")[..12]);
        config.MetadataMaxAgeMs = 300;
        var consumed = new System.Collections.Concurrent.ConcurrentBag<(string, int, long, string)>();
        await using var member = new GroupMember("only", config, topic, consumed);
        await ConsumerKit.WaitUntilAsync(() => member.Assignment.Count == 1, () => "never assigned");
        await using (var admin = fixture.Admin()) await admin.CreatePartitionsAsync([new Admin.PartitionsSpecification(topic, 3)]);
        await ConsumerKit.WaitUntilAsync(() => member.Assignment.Count == 3, () => $"assignment {string.Join(",", member.Assignment)}");
        await member.StopAsync();
    }
}
