using System.Text;
using AkkaLog.IntegrationTests.Fixtures;
using AkkaLog.IntegrationTests.Infrastructure;
using AkkaLog.Protocol;
using AkkaLog.Protocol.Messages;
using AkkaLog.Protocol.Records;

namespace AkkaLog.IntegrationTests.Tests;

/// <summary>
/// Idempotent producers (the Java client's default since 3.0): InitProducerId hands out ids, a
/// retried batch is not written twice, sequence gaps and fenced epochs are refused; kcat and
/// kafkajs with idempotence on deliver every message exactly once.
/// </summary>
[Collection(SharedBrokerCollection.Name)]
public sealed class IdempotentProduceTests(SharedBrokerFixture fixture, ITestOutputHelper output)
{
    private BrokerProcess Broker => fixture.Broker;

    private static byte[] Batch(long producerId, short epoch, int sequence, params string[] values)
    {
        using var builder = new RecordBatchBuilder(CompressionCodec.None);
        foreach (var v in values) builder.Append(1_700_000_000_000, "k"u8, Encoding.UTF8.GetBytes(v));
        return builder.ToArray(producerId, epoch, sequence);
    }

    [Fact]
    public async Task Retried_batches_are_written_once_and_sequence_errors_are_refused()
    {
        await Broker.WithLogOnFailure(output, async () =>
        {
            await using var client = await Broker.ConnectAsync();
            await client.CreateTopicOrFailAsync("idempotent-wire", 1);
            var init = await client.SendAsync<InitProducerIdResponse>(new InitProducerIdRequest { TransactionalId = null, TransactionTimeoutMs = 60_000 }, 4);
            Assert.Equal(0, init.ErrorCode);
            Assert.True(init.ProducerId >= 0);
            Assert.Equal(0, init.ProducerEpoch);
            var second = await client.SendAsync<InitProducerIdResponse>(new InitProducerIdRequest { TransactionalId = null }, 1);
            Assert.NotEqual(init.ProducerId, second.ProducerId);
            long pid = init.ProducerId;

            var first = await client.ProduceAsync("idempotent-wire", 0, Batch(pid, 0, 0, "a", "b"));
            Assert.Equal((0, 0L), (first!.ErrorCode, first.BaseOffset));
            var next = await client.ProduceAsync("idempotent-wire", 0, Batch(pid, 0, 2, "c"));
            Assert.Equal((0, 2L), (next!.ErrorCode, next.BaseOffset));

            // The retry of the first batch gets its original offset and is not appended again.
            var retry = await client.ProduceAsync("idempotent-wire", 0, Batch(pid, 0, 0, "a", "b"));
            Assert.Equal((0, 0L), (retry!.ErrorCode, retry.BaseOffset));
            // A gap in the sequence (3 expected) is refused.
            var gap = await client.ProduceAsync("idempotent-wire", 0, Batch(pid, 0, 5, "x"));
            Assert.Equal((short)ErrorCode.OutOfOrderSequenceNumber, gap!.ErrorCode);

            // KIP-360 epoch bump: same id, next epoch; the old epoch is then fenced.
            var bumped = await client.SendAsync<InitProducerIdResponse>(new InitProducerIdRequest { ProducerId = pid, ProducerEpoch = 0 }, 4);
            Assert.Equal((pid, (short)1), (bumped.ProducerId, bumped.ProducerEpoch));
            var newEpoch = await client.ProduceAsync("idempotent-wire", 0, Batch(pid, 1, 0, "d"));
            Assert.Equal((0, 3L), (newEpoch!.ErrorCode, newEpoch.BaseOffset));
            var zombie = await client.ProduceAsync("idempotent-wire", 0, Batch(pid, 0, 3, "zombie"));
            Assert.Equal((short)ErrorCode.InvalidProducerEpoch, zombie!.ErrorCode);

            var data = await client.FetchAsync("idempotent-wire", 0, 0);
            Assert.Equal(["a", "b", "c", "d"], BatchDecoder.Decode(data.Records).Records.Select(r => r.ValueText).ToList());

            var transactional = await client.SendAsync<InitProducerIdResponse>(new InitProducerIdRequest { TransactionalId = "txn", TransactionTimeoutMs = 60_000 }, 4);
            Assert.Equal((short)ErrorCode.CoordinatorNotAvailable, transactional.ErrorCode);
        });
    }

    [Fact]
    public async Task Kcat_with_idempotence_delivers_every_message_once()
    {
        await Broker.WithLogOnFailure(output, async () =>
        {
            string topic = TopicNames.Unique("kcat-idempotent");
            var lines = string.Join('\n', Enumerable.Range(0, 50_000).Select(i => $"m{i}")) + "\n";
            await Kcat.RunCheckedAsync(Broker.Bootstrap, ["-P", "-t", topic, "-X", "enable.idempotence=true", "-X", "linger.ms=5"], lines);
            var read = await Kcat.RunCheckedAsync(Broker.Bootstrap, ["-C", "-t", topic, "-o", "beginning", "-e", "-q"]);
            Assert.Equal(Enumerable.Range(0, 50_000).Select(i => $"m{i}").Order(), read.Lines.Order());
        });
    }

    [Fact]
    public async Task Kafkajs_idempotent_producer_delivers_every_message_once()
    {
        await Broker.WithLogOnFailure(output, async () =>
        {
            string topic = TopicNames.Unique("kjs-idempotent");
            var result = await Kafkajs.RunScriptAsync("idempotent.js", Broker.Bootstrap, new Dictionary<string, string> { ["TOPIC"] = topic });
            Assert.True(result.ExitCode == 0, result.Describe("node idempotent.js"));
            var read = await Kcat.RunCheckedAsync(Broker.Bootstrap, ["-C", "-t", topic, "-o", "beginning", "-e", "-q"]);
            Assert.Equal(Enumerable.Range(0, 500).Select(i => $"idem-{i}").Order(), read.Lines.Order());
        });
    }
}
