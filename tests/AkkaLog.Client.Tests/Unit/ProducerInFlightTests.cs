using AkkaLog.Client.Tests.Infrastructure;
using AkkaLog.Protocol;
using AkkaLog.Protocol.Messages;

namespace AkkaLog.Client.Tests.Unit;

/// <summary>
/// max.in.flight.requests.per.connection against a broker that holds every Produce answer until the
/// test lets it go: how many requests the producer sends before it hears back.
/// </summary>
public sealed class ProducerInFlightTests
{
    private static readonly (ApiKey, short, short)[] Apis = [(ApiKey.Metadata, 1, 12), (ApiKey.Produce, 3, 11)];

    /// <summary>
    /// A broker leading "t"/0 that gives each Produce request its offset as it arrives and holds the
    /// answer until <see cref="AnswerOldest"/> lets the oldest held one go (a broker answers in order).
    /// </summary>
    private sealed class HoldingScript : IDisposable
    {
        private readonly Queue<TaskCompletionSource> _held = new();
        private bool _answerAll;
        public int Port;
        private int _arrived;

        public async Task<byte[]?> Handle(FakeRequest request)
        {
            if (request.Key == ApiKey.Metadata) return FakeBroker.OnePartitionMetadata(request, Port);
            var answer = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            long offset;
            lock (_held)
            {
                offset = _arrived++;
                if (_answerAll) answer.SetResult();
                else _held.Enqueue(answer);
            }
            await answer.Task;
            return FakeBroker.Frame(request, new ProduceResponse
            {
                Responses = [new ProduceResponse.TopicProduceResponse
                {
                    Name = "t",
                    PartitionResponses = [new ProduceResponse.PartitionProduceResponse { Index = 0, BaseOffset = offset }],
                }],
            });
        }

        public int ArrivedSoFar { get { lock (_held) return _arrived; } }

        public void AnswerOldest()
        {
            lock (_held) _held.Dequeue().SetResult();
        }

        /// <summary>Answers whatever is held and all that comes later, so a failed test's producer closes at once instead of at request.timeout.ms.</summary>
        public void Dispose() => AnswerAll();

        public void AnswerAll()
        {
            lock (_held)
            {
                _answerAll = true;
                while (_held.TryDequeue(out var answer)) answer.SetResult();
            }
        }
    }

    private static (HoldingScript, FakeBroker, IProducer<string, string>) Start(Action<ProducerConfig> configure)
    {
        var script = new HoldingScript();
        var broker = new FakeBroker(script.Handle, Apis);
        script.Port = broker.Port;
        // linger.ms=0: each record below becomes a batch (and a request) of its own.
        var config = new ProducerConfig { BootstrapServers = $"127.0.0.1:{broker.Port}", LingerMs = 0, Acks = Acks.Leader };
        configure(config);
        return (script, broker, new ProducerBuilder<string, string>(config).Build());
    }

    /// <summary>Produces one record and waits until the broker holds <paramref name="expected"/> requests.</summary>
    private static async Task<Task<DeliveryResult<string, string>>> SendAndWaitForArrival(IProducer<string, string> producer, HoldingScript script, int expected)
    {
        var delivery = producer.ProduceAsync("t", new Message<string, string> { Value = $"r{expected}" });
        await ConsumerKit.WaitUntilAsync(() => script.ArrivedSoFar >= expected,
            () => $"{script.ArrivedSoFar} Produce requests reached the broker, expected {expected}", TimeSpan.FromSeconds(10));
        return delivery;
    }

    [Fact]
    public async Task By_default_more_than_five_requests_wait_unanswered_on_one_connection()
    {
        var (script, broker, producer) = Start(_ => { });
        await using var b = broker;
        await using var p = producer;
        using var _ = script;

        var deliveries = new List<Task<DeliveryResult<string, string>>>();
        for (int i = 1; i <= 8; i++) deliveries.Add(await SendAndWaitForArrival(producer, script, i));
        Assert.All(deliveries, d => Assert.False(d.IsCompleted));

        for (int i = 0; i < deliveries.Count; i++)
        {
            script.AnswerOldest();
            var result = await deliveries[i].WaitAsync(TimeSpan.FromSeconds(10));
            Assert.Equal($"r{i + 1}", result.Message.Value);
            Assert.Equal(i, result.Offset.Value);
        }
        Assert.Equal(8, script.ArrivedSoFar);
    }

    [Fact]
    public async Task A_set_limit_holds_the_next_request_until_an_answer_arrives()
    {
        var (script, broker, producer) = Start(c => c.MaxInFlight = 2);
        await using var b = broker;
        await using var p = producer;
        using var _ = script;

        var first = await SendAndWaitForArrival(producer, script, 1);
        var second = await SendAndWaitForArrival(producer, script, 2);
        var third = producer.ProduceAsync("t", new Message<string, string> { Value = "r3" });
        // The third record is ready at once (linger.ms=0): only the limit keeps it back.
        await Task.Delay(500);
        Assert.Equal(2, script.ArrivedSoFar);

        script.AnswerOldest();
        await first.WaitAsync(TimeSpan.FromSeconds(10));
        await ConsumerKit.WaitUntilAsync(() => script.ArrivedSoFar == 3, () => "the third request never went out", TimeSpan.FromSeconds(10));
        script.AnswerAll();
        Assert.Equal([1L, 2L], (await Task.WhenAll(second, third).WaitAsync(TimeSpan.FromSeconds(10))).Select(r => r.Offset.Value));
    }
}
