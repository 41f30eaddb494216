using AkkaLog.IntegrationTests.Fixtures;
using AkkaLog.IntegrationTests.Infrastructure;
using AkkaLog.Protocol.Messages;

namespace AkkaLog.IntegrationTests.Tests;

/// <summary>
/// Graceful shutdown on SIGTERM (clean exit, clean-shutdown marker honoured on the next start, data
/// intact) and long-poll fetch (a waiting fetch is answered by an append from another connection).
/// </summary>
[Collection(CrashCollection.Name)]
public sealed class LifecycleTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Sigterm_stops_cleanly_and_the_next_start_skips_recovery()
    {
        await using var broker = await BrokerProcess.StartNewAsync("sigterm");
        await broker.WithLogOnFailure(output, async () =>
        {
            await using (var client = await broker.ConnectAsync())
            {
                await client.CreateTopicOrFailAsync("graceful", 1);
                for (int i = 0; i < 3; i++)
                {
                    var ack = await client.ProduceAsync("graceful", 0, Batches.OfValues([$"a{i}", $"b{i}"]), acks: 1);
                    Assert.Equal(0, ack!.ErrorCode);
                    Assert.Equal(i * 2, ack.BaseOffset);
                }
            }
            Assert.Equal(0, await broker.StopAsync());
            string firstRun = File.ReadAllText(broker.LogFile);
            Assert.Contains("Stopped cleanly", firstRun);

            await broker.RestartAsync();
            Assert.Contains("clean shutdown: True", File.ReadAllText(broker.LogFile)[firstRun.Length..]);
            await using var reader = await broker.ConnectAsync();
            var data = await reader.FetchAsync("graceful", 0, 0);
            var values = BatchDecoder.Decode(data.Records).Records.Select(r => r.ValueText).ToList();
            Assert.Equal(["a0", "b0", "a1", "b1", "a2", "b2"], values);
            Assert.Equal(6, data.HighWatermark);
        });
    }

    [Fact]
    public async Task Sigterm_does_not_wait_for_idle_client_connections()
    {
        // shutdown.timeout.ms far beyond StopAsync's 30 s: only closing idle connections promptly passes.
        await using var broker = await BrokerProcess.StartNewAsync("sigterm-idle", new Dictionary<string, string> { ["shutdown.timeout.ms"] = "120000" });
        await broker.WithLogOnFailure(output, async () =>
        {
            await using var idle = await broker.ConnectAsync();
            Assert.Equal(0, (await idle.ApiVersionsAsync()).ErrorCode);
            Assert.Equal(0, await broker.StopAsync());
            Assert.Contains("Stopped cleanly", File.ReadAllText(broker.LogFile));
        });
    }

    [Fact]
    public async Task Waiting_fetch_is_answered_by_the_next_append()
    {
        await using var broker = await BrokerProcess.StartNewAsync("longpoll");
        await broker.WithLogOnFailure(output, async () =>
        {
            await using var producer = await broker.ConnectAsync();
            await producer.CreateTopicOrFailAsync("longpoll", 1);
            await producer.ProduceAsync("longpoll", 0, Batches.Single("before"), acks: 1);

            // Nothing new at offset 1 yet: with min.bytes 1 and a minute of max wait, only an append can answer.
            await using var consumer = await broker.ConnectAsync();
            var request = new FetchRequest { ReplicaId = -1, MaxWaitMs = 60_000, MinBytes = 1, MaxBytes = 1 << 20, SessionEpoch = -1 };
            request.Topics.Add(new FetchRequest.FetchTopic
            {
                Topic = "longpoll",
                Partitions = [new FetchRequest.FetchPartition { Partition = 0, FetchOffset = 1, PartitionMaxBytes = 1 << 20 }],
            });
            var waiting = consumer.SendAsync<FetchResponse>(request, 12, TimeSpan.FromSeconds(45));
            await Task.Delay(500);
            Assert.False(waiting.IsCompleted, "the fetch should wait for data rather than answer empty");

            var ack = await producer.ProduceAsync("longpoll", 0, Batches.Single("after"), acks: 1);
            Assert.Equal(1, ack!.BaseOffset);
            var response = await waiting;
            var partition = response.Responses.Single().Partitions.Single();
            Assert.Equal(0, partition.ErrorCode);
            Assert.Equal(["after"], BatchDecoder.Decode(partition.Records).Records.Select(r => r.ValueText));
            Assert.Equal(2, partition.HighWatermark);

            // And a short max wait with nothing new returns an empty record set, not an error.
            var empty = await consumer.FetchAsync("longpoll", 0, 2);
            Assert.Equal(0, empty.ErrorCode);
            Assert.True(empty.Records is { Length: 0 });
        });
    }
}
