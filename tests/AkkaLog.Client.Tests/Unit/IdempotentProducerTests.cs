using System.Collections.Concurrent;
using AkkaLog.Client.Tests.Infrastructure;
using AkkaLog.Protocol;
using AkkaLog.Protocol.Messages;
using AkkaLog.Protocol.Records;

namespace AkkaLog.Client.Tests.Unit;

/// <summary>
/// enable.idempotence against a scripted broker: what InitProducerId and every Produce request carry
/// (producer id, epoch, base sequence), how retries keep their sequence, and how a gap or a broker
/// that lost the producer leads to a new epoch.
/// </summary>
public sealed class IdempotentProducerTests
{
    private const long ProducerId = 7_000;
    private static readonly (ApiKey, short, short)[] Apis = [(ApiKey.Metadata, 1, 12), (ApiKey.Produce, 3, 11), (ApiKey.InitProducerId, 0, 4)];

    /// <summary>A broker leading "t"/0 that records what it was sent and answers Produce number n with <c>produceError(n)</c>.</summary>
    private sealed class Script(Func<int, ErrorCode> produceError)
    {
        public readonly ConcurrentQueue<(long ProducerId, short Epoch, int BaseSequence, int Records)> Batches = new();
        public readonly ConcurrentQueue<(long ProducerId, short Epoch)> InitRequests = new();
        public int Port;
        private int _produces;
        private long _nextOffset;

        public Task<byte[]?> Handle(FakeRequest request)
        {
            var reader = new KafkaReader(request.Frame);
            KafkaHeaders.ReadRequestHeader(ref reader, out _);
            switch (request.Key)
            {
                case ApiKey.Metadata:
                    return Task.FromResult<byte[]?>(FakeBroker.OnePartitionMetadata(request, Port));
                case ApiKey.InitProducerId:
                {
                    var init = new InitProducerIdRequest();
                    init.Read(ref reader, request.Version);
                    InitRequests.Enqueue((init.ProducerId, init.ProducerEpoch));
                    // A bump (KIP-360) keeps the id and takes the next epoch; otherwise a new id at epoch 0.
                    bool bump = init.ProducerId >= 0;
                    return Task.FromResult<byte[]?>(FakeBroker.Frame(request, new InitProducerIdResponse
                    {
                        ProducerId = bump ? init.ProducerId : ProducerId,
                        ProducerEpoch = bump ? (short)(init.ProducerEpoch + 1) : (short)0,
                    }));
                }
                default:
                {
                    var produce = new ProduceRequest();
                    produce.Read(ref reader, request.Version);
                    var records = produce.TopicData[0].PartitionData[0].Records!.Value;
                    var header = RecordBatchHeader.Read(records.Span);
                    Assert.Equal(BatchValidationError.None, RecordBatchValidator.ValidateBatch(records.Span,
                        new RecordBatchLimits { FromProducer = true, ValidateRecords = true, MaxBatchBytes = 1 << 20 }, out _));
                    Batches.Enqueue((header.ProducerId, header.ProducerEpoch, header.BaseSequence, header.RecordsCount));
                    var error = produceError(Interlocked.Increment(ref _produces));
                    long offset = error == ErrorCode.None ? Interlocked.Add(ref _nextOffset, header.RecordsCount) - header.RecordsCount : -1;
                    return Task.FromResult<byte[]?>(FakeBroker.Frame(request, new ProduceResponse
                    {
                        Responses = [new ProduceResponse.TopicProduceResponse
                        {
                            Name = "t",
                            PartitionResponses = [new ProduceResponse.PartitionProduceResponse { Index = 0, ErrorCode = (short)error, BaseOffset = offset }],
                        }],
                    }));
                }
            }
        }
    }

    private static async Task<(Script, FakeBroker, IProducer<string, string>)> Start(Func<int, ErrorCode> produceError, int lingerMs = 0)
    {
        var script = new Script(produceError);
        var broker = new FakeBroker(script.Handle, Apis);
        script.Port = broker.Port;
        await Task.Yield();
        var producer = new ProducerBuilder<string, string>(new ProducerConfig
        {
            BootstrapServers = $"127.0.0.1:{broker.Port}", EnableIdempotence = true, LingerMs = lingerMs, RetryBackoffMs = 10,
            RequestTimeoutMs = 2000, DeliveryTimeoutMs = 10_000,
        }).Build();
        return (script, broker, producer);
    }

    private static Task<DeliveryResult<string, string>> Send(IProducer<string, string> producer, string value) =>
        producer.ProduceAsync(new TopicPartition("t", 0), new Message<string, string> { Key = "k", Value = value });

    [Fact]
    public async Task Batches_carry_the_producer_id_and_consecutive_sequences()
    {
        var (script, broker, producer) = await Start(_ => ErrorCode.None, lingerMs: 100);
        await using var b = broker;
        await using var p = producer;

        for (int i = 0; i < 3; i++) await Send(producer, $"v{i}");
        // Records sent together share a lingering batch: sequences count records, not batches.
        await Task.WhenAll(Enumerable.Range(0, 20).Select(i => Send(producer, $"w{i}")));
        Assert.Contains(script.Batches, x => x.Records > 1);
        await Send(producer, "last");

        Assert.Equal([(-1L, (short)-1)], script.InitRequests.ToArray());
        var batches = script.Batches.ToArray();
        Assert.All(batches, x => Assert.Equal((ProducerId, (short)0), (x.ProducerId, x.Epoch)));
        int expected = 0;
        foreach (var x in batches)
        {
            Assert.Equal(expected, x.BaseSequence);
            expected += x.Records;
        }
        Assert.Equal(24, expected);
        Assert.Equal(23, batches[^1].BaseSequence);
    }

    [Fact]
    public async Task A_retried_batch_keeps_its_sequence()
    {
        var (script, broker, producer) = await Start(n => n == 1 ? ErrorCode.NotLeaderOrFollower : ErrorCode.None);
        await using var b = broker;
        await using var p = producer;

        var result = await Send(producer, "v");
        Assert.Equal(0, result.Offset.Value);
        Assert.Equal([(ProducerId, (short)0, 0, 1), (ProducerId, (short)0, 0, 1)], script.Batches.ToArray());
        await Send(producer, "next");
        Assert.Equal((ProducerId, (short)0, 1, 1), script.Batches.Last());
    }

    [Fact]
    public async Task Out_of_sequence_for_the_earliest_batch_bumps_the_epoch_and_starts_again_from_zero()
    {
        // The broker lost track of us (its producer state was reset): the earliest batch is refused.
        var (script, broker, producer) = await Start(n => n == 2 ? ErrorCode.OutOfOrderSequenceNumber : ErrorCode.None);
        await using var b = broker;
        await using var p = producer;

        await Send(producer, "first");
        var second = await Send(producer, "second");
        Assert.Equal(PersistenceStatus.Persisted, second.Status);

        Assert.Equal([(-1L, (short)-1), (ProducerId, (short)0)], script.InitRequests.ToArray());
        Assert.Equal([(ProducerId, (short)0, 0, 1), (ProducerId, (short)0, 1, 1), (ProducerId, (short)1, 0, 1)], script.Batches.ToArray());
    }

    [Fact]
    public async Task A_duplicate_is_a_success()
    {
        var (_, broker, producer) = await Start(n => n == 1 ? ErrorCode.DuplicateSequenceNumber : ErrorCode.None);
        await using var b = broker;
        await using var p = producer;

        var result = await Send(producer, "v");
        Assert.Equal(PersistenceStatus.Persisted, result.Status);
    }

    [Fact]
    public async Task A_batch_that_fails_for_good_leaves_a_gap_so_the_next_one_goes_under_a_new_epoch()
    {
        var (script, broker, producer) = await Start(n => n == 1 ? ErrorCode.InvalidRecord : ErrorCode.None);
        await using var b = broker;
        await using var p = producer;

        var e = await Assert.ThrowsAsync<ProduceException<string, string>>(() => Send(producer, "bad"));
        Assert.Equal(ErrorCode.InvalidRecord, e.Code);
        await Send(producer, "good");

        Assert.Equal([(ProducerId, (short)0, 0, 1), (ProducerId, (short)1, 0, 1)], script.Batches.ToArray());
    }

    [Fact]
    public void Idempotence_needs_acks_all_and_at_most_five_in_flight()
    {
        Assert.Equal("acks", Assert.Throws<ArgumentException>(() => new ProducerBuilder<string, string>(
            new ProducerConfig { BootstrapServers = "h", EnableIdempotence = true, Acks = Acks.Leader }).Build()).ParamName);
        Assert.Equal("max.in.flight.requests.per.connection", Assert.Throws<ArgumentException>(() => new ProducerBuilder<string, string>(
            new ProducerConfig { BootstrapServers = "h", EnableIdempotence = true, MaxInFlight = 6 }).Build()).ParamName);
    }
}
