using AkkaLog.Client.Tests.Infrastructure;
using AkkaLog.Protocol;
using AkkaLog.Protocol.Messages;

namespace AkkaLog.Client.Tests.Unit;

/// <summary>
/// The producer's error handling against a scripted broker: retriable errors are retried after a
/// metadata refresh, final errors fail at once, and retrying stops at delivery.timeout.ms.
/// </summary>
public sealed class ProducerRetryTests
{
    private static readonly (ApiKey, short, short)[] Apis = [(ApiKey.Metadata, 1, 12), (ApiKey.Produce, 3, 11)];

    /// <summary>A broker that leads partition 0 of "t" and answers the n-th Produce with <paramref name="produceError"/>(n).</summary>
    private sealed class Script(Func<int, ErrorCode> produceError)
    {
        public int MetadataRequests;
        public int ProduceRequests;
        public int Port;

        public Task<byte[]?> Handle(FakeRequest request)
        {
            if (request.Key == ApiKey.Metadata)
            {
                Interlocked.Increment(ref MetadataRequests);
                return Task.FromResult<byte[]?>(FakeBroker.OnePartitionMetadata(request, Port));
            }
            int n = Interlocked.Increment(ref ProduceRequests);
            var error = produceError(n);
            return Task.FromResult<byte[]?>(FakeBroker.Frame(request, new ProduceResponse
            {
                Responses = [new ProduceResponse.TopicProduceResponse
                {
                    Name = "t",
                    PartitionResponses = [new ProduceResponse.PartitionProduceResponse { Index = 0, ErrorCode = (short)error, BaseOffset = error == ErrorCode.None ? 41 : -1 }],
                }],
            }));
        }
    }

    private static async Task<(Script, FakeBroker)> Start(Func<int, ErrorCode> produceError)
    {
        var script = new Script(produceError);
        var broker = new FakeBroker(script.Handle, Apis);
        script.Port = broker.Port;
        await Task.Yield();
        return (script, broker);
    }

    private static ProducerConfig Config(int port) => new()
    {
        BootstrapServers = $"127.0.0.1:{port}", LingerMs = 0, RetryBackoffMs = 10, RequestTimeoutMs = 1000, DeliveryTimeoutMs = 3000,
    };

    [Fact]
    public async Task Not_leader_is_retried_after_a_metadata_refresh()
    {
        var (script, broker) = await Start(n => n == 1 ? ErrorCode.NotLeaderOrFollower : ErrorCode.None);
        await using var _ = broker;
        await using var producer = new ProducerBuilder<string, string>(Config(broker.Port)).Build();

        var result = await producer.ProduceAsync("t", new Message<string, string> { Key = "k", Value = "v" });
        Assert.Equal(41, result.Offset.Value);
        Assert.Equal(2, script.ProduceRequests);
        Assert.True(script.MetadataRequests >= 2, $"{script.MetadataRequests} metadata requests");
    }

    [Fact]
    public async Task A_final_error_fails_the_record_without_retrying()
    {
        var (script, broker) = await Start(_ => ErrorCode.RecordListTooLarge);
        await using var _ = broker;
        await using var producer = new ProducerBuilder<string, string>(Config(broker.Port)).Build();

        var e = await Assert.ThrowsAsync<ProduceException<string, string>>(() => producer.ProduceAsync("t", new Message<string, string> { Value = "v" }));
        Assert.Equal(ErrorCode.RecordListTooLarge, e.Code);
        Assert.False(e.IsRetriable);
        Assert.Equal(1, script.ProduceRequests);
    }

    [Fact]
    public async Task Retriable_errors_stop_at_the_delivery_timeout_with_the_last_error()
    {
        var (script, broker) = await Start(_ => ErrorCode.NotEnoughReplicas);
        await using var _ = broker;
        await using var producer = new ProducerBuilder<string, string>(Config(broker.Port)).Build();

        var e = await Assert.ThrowsAsync<ProduceException<string, string>>(() => producer.ProduceAsync("t", new Message<string, string> { Value = "v" }));
        Assert.Equal(ErrorCode.NotEnoughReplicas, e.Code);
        Assert.True(script.ProduceRequests > 1);
    }

    [Fact]
    public async Task Retries_config_bounds_the_attempts()
    {
        var (script, broker) = await Start(_ => ErrorCode.NotEnoughReplicas);
        await using var _ = broker;
        var config = Config(broker.Port);
        config.Retries = 2;
        await using var producer = new ProducerBuilder<string, string>(config).Build();

        await Assert.ThrowsAsync<ProduceException<string, string>>(() => producer.ProduceAsync("t", new Message<string, string> { Value = "v" }));
        Assert.Equal(3, script.ProduceRequests);
    }

    [Fact]
    public async Task Buffer_memory_blocks_produce_until_max_block_ms()
    {
        var (_, broker) = await Start(_ => ErrorCode.None);
        await using var b = broker;
        var config = Config(broker.Port);
        // Records linger (nothing is sent) so the small buffer fills up.
        config.LingerMs = 60_000;
        config.DeliveryTimeoutMs = 120_000;
        config.BufferMemory = 1000;
        // max.block.ms also bounds the first records' wait for metadata: leave room for a loaded machine.
        config.MaxBlockMs = 1500;
        await using var producer = new ProducerBuilder<string, string>(config).Build();
        var value = new string('x', 100);

        // Each record takes 124 bytes of the budget (value + 24 bytes of record overhead): eight fit.
        var queued = Enumerable.Range(0, 8).Select(_ => producer.ProduceAsync("t", new Message<string, string> { Value = value })).ToList();
        var blocked = producer.ProduceAsync("t", new Message<string, string> { Value = value });

        var e = await Assert.ThrowsAsync<ProduceException<string, string>>(() => blocked);
        Assert.Equal(ErrorCode.RequestTimedOut, e.Code);
        Assert.Contains("buffer.memory", e.Message);
        Assert.All(queued, t => Assert.False(t.IsFaulted));
        await producer.FlushAsync();
        Assert.All(await Task.WhenAll(queued), r => Assert.Equal(PersistenceStatus.Persisted, r.Status));
    }
    [Fact]
    public async Task Waking_the_sender_throws_nothing_however_often_it_is_woken()
    {
        // Every filled batch and every response wakes the sender; wakes that came while one was already
        // pending used to cost a thrown and caught SemaphoreFullException each.
        int wakeExceptions = 0;
        EventHandler<System.Runtime.ExceptionServices.FirstChanceExceptionEventArgs> count = (_, e) =>
        {
            if (e.Exception is SemaphoreFullException && Environment.StackTrace.Contains("Sender.Wake", StringComparison.Ordinal))
                Interlocked.Increment(ref wakeExceptions);
        };
        var (script, broker) = await Start(_ => ErrorCode.None);
        await using var _ = broker;
        var config = Config(broker.Port);
        config.BatchSize = 200;
        AppDomain.CurrentDomain.FirstChanceException += count;
        try
        {
            await using var producer = new ProducerBuilder<string, string>(config).Build();
            int delivered = 0;
            for (int i = 0; i < 3000; i++)
                producer.Produce("t", new Message<string, string> { Value = new string('v', 100) }, r => { if (!r.Error.IsError) Interlocked.Increment(ref delivered); });
            Assert.Equal(0, producer.Flush(TimeSpan.FromSeconds(30)));
            Assert.Equal(3000, delivered);
        }
        finally
        {
            AppDomain.CurrentDomain.FirstChanceException -= count;
        }
        Assert.True(script.ProduceRequests > 100, $"{script.ProduceRequests} produce requests: too few wakes to tell");
        Assert.Equal(0, wakeExceptions);
    }
}
