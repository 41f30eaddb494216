using System.Text;
using AkkaLog.Client.Tests.Infrastructure;
using AkkaLog.Protocol;
using AkkaLog.Protocol.Messages;
using AkkaLog.Protocol.Records;

namespace AkkaLog.Client.Tests.Unit;

/// <summary>
/// max.in.flight.requests.per.connection=1 keeps a partition in send order across a leader change
/// (Java's guaranteeMessageOrder): two scripted brokers, the partition's leadership moves from the
/// first to the second while the first holds a batch unanswered.
/// </summary>
public sealed class ProducerOrderingTests
{
    private static readonly (ApiKey, short, short)[] Apis = [(ApiKey.Metadata, 1, 12), (ApiKey.Produce, 3, 11)];

    private sealed class TwoBrokers : IDisposable
    {
        private readonly TaskCompletionSource<ErrorCode> _firstAnswer = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private long _nextOffset;
        public readonly int[] Ports = new int[3];
        public volatile int Leader = 1;
        public int MetadataRequests;
        /// <summary>Record values in the order they reached each node.</summary>
        public readonly List<string>[] Received = [[], [], []];

        public Task<byte[]?> Handle(FakeRequest request, int node)
        {
            if (request.Key == ApiKey.Metadata)
            {
                Interlocked.Increment(ref MetadataRequests);
                return Task.FromResult<byte[]?>(Metadata(request));
            }
            return ProduceAsync(request, node);
        }

        private async Task<byte[]?> ProduceAsync(FakeRequest request, int node)
        {
            var reader = new KafkaReader(request.Frame);
            KafkaHeaders.ReadRequestHeader(ref reader, out _);
            var produce = new ProduceRequest();
            produce.Read(ref reader, request.Version);
            var batch = produce.TopicData[0].PartitionData[0].Records!.Value;
            var records = new RecordReader(batch.Span[RecordBatchHeader.Size..]);
            var values = new List<string>();
            while (records.TryReadNext(out var record)) values.Add(Encoding.UTF8.GetString(record.Value));
            lock (Received) Received[node].AddRange(values);

            // The old leader holds its first batch until the test has moved the leadership.
            var error = node == 1 ? await _firstAnswer.Task : ErrorCode.None;
            return FakeBroker.Frame(request, new ProduceResponse
            {
                Responses = [new ProduceResponse.TopicProduceResponse
                {
                    Name = "t",
                    PartitionResponses = [new ProduceResponse.PartitionProduceResponse
                    {
                        Index = 0, ErrorCode = (short)error,
                        BaseOffset = error == ErrorCode.None ? Interlocked.Add(ref _nextOffset, values.Count) - values.Count : -1,
                    }],
                }],
            });
        }

        public void AnswerOldLeader(ErrorCode error) => _firstAnswer.TrySetResult(error);

        public void Dispose() => AnswerOldLeader(ErrorCode.NotLeaderOrFollower);

        public List<string> ReceivedBy(int node)
        {
            lock (Received) return [.. Received[node]];
        }

        private byte[] Metadata(FakeRequest request) => FakeBroker.Frame(request, new MetadataResponse
        {
            Brokers =
            [
                new MetadataResponse.MetadataResponseBroker { NodeId = 1, Host = "127.0.0.1", Port = Ports[1] },
                new MetadataResponse.MetadataResponseBroker { NodeId = 2, Host = "127.0.0.1", Port = Ports[2] },
            ],
            ControllerId = 1,
            Topics = [new MetadataResponse.MetadataResponseTopic
            {
                Name = "t",
                Partitions = [new MetadataResponse.MetadataResponsePartition { PartitionIndex = 0, LeaderId = Leader, ReplicaNodes = [1, 2], IsrNodes = [1, 2] }],
            }],
        });
    }

    [Fact]
    public async Task With_one_in_flight_a_younger_batch_waits_for_the_older_one_across_a_leader_change()
    {
        var script = new TwoBrokers();
        await using var first = new FakeBroker(r => script.Handle(r, 1), Apis);
        await using var second = new FakeBroker(r => script.Handle(r, 2), Apis);
        script.Ports[1] = first.Port;
        script.Ports[2] = second.Port;
        await using var producer = new ProducerBuilder<string, string>(new ProducerConfig
        {
            BootstrapServers = $"127.0.0.1:{first.Port}", LingerMs = 0, Acks = Acks.Leader, MaxInFlight = 1,
            MetadataMaxAgeMs = 100, RetryBackoffMs = 10,
        }).Build();
        // Disposed first: a failing run lets the held batch go instead of waiting out request.timeout.ms.
        using var release = script;

        var older = producer.ProduceAsync("t", new Message<string, string> { Value = "older" });
        await ConsumerKit.WaitUntilAsync(() => script.ReceivedBy(1).Count == 1, () => "the first batch never reached the leader", TimeSpan.FromSeconds(10));

        // Leadership moves; the producer learns it from its periodic metadata refresh while "older" is unanswered.
        script.Leader = 2;
        int seen = Volatile.Read(ref script.MetadataRequests);
        var younger = producer.ProduceAsync("t", new Message<string, string> { Value = "younger" });
        await ConsumerKit.WaitUntilAsync(() => Volatile.Read(ref script.MetadataRequests) >= seen + 3, () => "no metadata refresh", TimeSpan.FromSeconds(10));
        await Task.Delay(200);
        Assert.Empty(script.ReceivedBy(2));

        // The old leader refuses; the older batch goes to the new leader first, then the younger one.
        script.AnswerOldLeader(ErrorCode.NotLeaderOrFollower);
        var results = await Task.WhenAll(older, younger).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(["older", "younger"], script.ReceivedBy(2));
        Assert.Equal([0L, 1L], results.Select(r => r.Offset.Value));
    }
}
