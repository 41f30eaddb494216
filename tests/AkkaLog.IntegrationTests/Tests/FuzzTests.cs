using System.Diagnostics;
using System.Net.Sockets;
using AkkaLog.IntegrationTests.Fixtures;
using AkkaLog.IntegrationTests.Infrastructure;
using AkkaLog.Protocol.Messages;

namespace AkkaLog.IntegrationTests.Tests;

/// <summary>
/// ~3000 mutated frames of valid Metadata, Produce, Fetch, ListOffsets, CreateTopics and ApiVersions
/// requests, reusing a connection until the broker closes it; afterwards the broker still runs, answers,
/// and the data produced before is intact. Set AKKALOG_FUZZ_SEED to replay a run.
/// </summary>
[Collection(FuzzCollection.Name)]
public sealed class FuzzTests(ITestOutputHelper output)
{
    private const int Frames = 3000;
    private const int MaxFrameSize = 1_048_576;
    private const string Topic = "fuzz-data";
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan ResponseWait = TimeSpan.FromMilliseconds(500);

    [Fact]
    public async Task Broker_survives_mutated_frames()
    {
        int seed = int.TryParse(Environment.GetEnvironmentVariable("AKKALOG_FUZZ_SEED"), out var s) ? s : Random.Shared.Next();
        output.WriteLine($"fuzz seed {seed} (replay with AKKALOG_FUZZ_SEED={seed})");
        await using var broker = await BrokerProcess.StartNewAsync("fuzz",
            new Dictionary<string, string> { ["socket.request.max.bytes"] = MaxFrameSize.ToString() });
        await broker.WithLogOnFailure(output, async () =>
        {
            await using (var client = await broker.ConnectAsync())
            {
                await client.CreateTopicOrFailAsync(Topic, 2);
                for (int p = 0; p < 2; p++)
                    Assert.Equal(0, (await client.ProduceAsync(Topic, p, Batches.OfValues(Enumerable.Range(0, 20).Select(i => $"before-{p}-{i}"))))!.ErrorCode);
            }

            var templates = Templates();
            var random = new Random(seed);
            var mutator = new FrameMutator(random, MaxFrameSize);
            int responses = 0, closes = 0, silent = 0, sent = 0;
            var clock = Stopwatch.StartNew();
            KafkaWireClient? connection = null;
            try
            {
                for (; sent < Frames && clock.Elapsed < Budget; sent++)
                {
                    Assert.True(broker.IsRunning, $"broker died after frame {sent} (seed {seed})");
                    connection ??= await broker.ConnectAsync();
                    var (frame, _, incomplete) = mutator.Mutate(templates[random.Next(templates.Length)]);
                    bool keep;
                    try
                    {
                        await connection.SendRawAsync(frame);
                        if (incomplete) { keep = false; silent++; }
                        else
                        {
                            var response = await connection.ReadFrameAsync(ResponseWait);
                            keep = response is not null;
                            if (keep) responses++; else closes++;
                        }
                    }
                    catch (TimeoutException) { keep = false; silent++; }
                    catch (Exception e) when (e is IOException or SocketException) { keep = false; closes++; }
                    if (!keep)
                    {
                        await connection.DisposeAsync();
                        connection = null;
                    }
                }
            }
            finally
            {
                if (connection is not null) await connection.DisposeAsync();
            }
            output.WriteLine($"seed {seed}: {sent} frames in {clock.Elapsed.TotalSeconds:F1} s: {responses} answered, {closes} closed, {silent} no answer");

            Assert.True(broker.IsRunning, $"broker process exited during fuzzing (seed {seed})");
            await using var check = await broker.ConnectAsync();
            Assert.Equal(0, (await check.ApiVersionsAsync()).ErrorCode);
            var metadata = await check.MetadataAsync(null);
            Assert.Contains(metadata.Topics, t => t.Name == Topic && t.ErrorCode == 0 && t.Partitions.Count == 2);
            for (int p = 0; p < 2; p++)
            {
                // Mutated produce requests that still carry a valid batch may append; the first 20 must be untouched.
                var (records, _) = await check.ReadAllAsync(Topic, p);
                Assert.True(records.Count >= 20, $"partition {p} has {records.Count} records (seed {seed})");
                Assert.Equal(Enumerable.Range(0, 20).Select(i => $"before-{p}-{i}"), records.Take(20).Select(r => r.ValueText));
            }
            var after = await check.ProduceAsync(Topic, 0, Batches.Single("after-fuzz"));
            Assert.Equal(0, after!.ErrorCode);
        });
    }

    private static byte[][] Templates()
    {
        int id = 1000;
        byte[] Frame(IKafkaRequest request, short version) => KafkaWireClient.EncodeFrame(request, version, id++);
        var batch = Batches.OfValues(["fuzz-a", "fuzz-b", "fuzz-c"]);
        var fetch = new FetchRequest { ReplicaId = -1, MaxWaitMs = 10, MinBytes = 1, SessionEpoch = -1 };
        fetch.Topics.Add(new FetchRequest.FetchTopic
        {
            Topic = Topic,
            Partitions = [new FetchRequest.FetchPartition { Partition = 0, FetchOffset = 0, PartitionMaxBytes = 65536 }],
        });
        var listOffsets = new ListOffsetsRequest { ReplicaId = -1 };
        listOffsets.Topics.Add(new ListOffsetsRequest.ListOffsetsTopic
        {
            Name = Topic,
            Partitions = [new ListOffsetsRequest.ListOffsetsPartition { PartitionIndex = 1, Timestamp = -1 }],
        });
        var create = new CreateTopicsRequest { TimeoutMs = 1000 };
        create.Topics.Add(new CreateTopicsRequest.CreatableTopic
        {
            Name = "fuzz-created",
            NumPartitions = 1,
            ReplicationFactor = 1,
            Configs = [new CreateTopicsRequest.CreatableTopicConfig { Name = "retention.ms", Value = "60000" }],
        });
        var metadata = new MetadataRequest { Topics = [new MetadataRequest.MetadataRequestTopic { Name = Topic }], AllowAutoTopicCreation = false };
        return
        [
            Frame(metadata, 1), Frame(metadata, 12), Frame(new MetadataRequest { Topics = null }, 9),
            Frame(KafkaWireClient.ProduceRequestFor(Topic, 0, batch, -1), 3),
            Frame(KafkaWireClient.ProduceRequestFor(Topic, 1, batch, 1), 9),
            Frame(fetch, 4), Frame(fetch, 12),
            Frame(listOffsets, 1), Frame(listOffsets, 7),
            Frame(create, 2), Frame(create, 7),
            Frame(new ApiVersionsRequest { ClientSoftwareName = "fuzz", ClientSoftwareVersion = "1" }, 3),
        ];
    }
}
