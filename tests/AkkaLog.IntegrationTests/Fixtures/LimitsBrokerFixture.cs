using AkkaLog.IntegrationTests.Infrastructure;
using Xunit.Sdk;

namespace AkkaLog.IntegrationTests.Fixtures;

/// <summary>
/// A broker with socket.request.max.bytes=1048576, message.max.bytes=10000 and no auto topic creation,
/// seeded with <see cref="SeedCount"/> records in <see cref="SeedTopic"/> so that every bad-input test
/// can check the broker still serves the earlier data.
/// </summary>
public sealed class LimitsBrokerFixture : IAsyncLifetime
{
    public const int SocketRequestMaxBytes = 1_048_576;
    public const int MessageMaxBytes = 10_000;
    public const string SeedTopic = "bad-input-seed";
    public const int SeedCount = 10;

    private BrokerProcess? _broker;

    /// <summary>The running broker.</summary>
    public BrokerProcess Broker => _broker ?? throw new InvalidOperationException("broker not started");

    public async Task InitializeAsync()
    {
        _broker = await BrokerProcess.StartNewAsync("limits", new Dictionary<string, string>
        {
            ["socket.request.max.bytes"] = SocketRequestMaxBytes.ToString(),
            ["message.max.bytes"] = MessageMaxBytes.ToString(),
            ["auto.create.topics.enable"] = "false",
        });
        await using var client = await _broker.ConnectAsync();
        await client.CreateTopicOrFailAsync(SeedTopic, 1);
        var result = await client.ProduceAsync(SeedTopic, 0, Batches.OfValues(Enumerable.Range(0, SeedCount).Select(i => $"seed-{i}")));
        if (result!.ErrorCode != 0) throw new XunitException($"seeding failed: error {result.ErrorCode}\n{_broker.LogTail()}");
    }

    /// <summary>
    /// A new connection gets a good ApiVersions and Metadata answer and the seed records are intact.
    /// </summary>
    public async Task AssertHealthyAsync()
    {
        Assert.True(Broker.IsRunning, "broker process exited");
        await using var client = await Broker.ConnectAsync();
        var versions = await client.ApiVersionsAsync();
        Assert.Equal(0, versions.ErrorCode);
        Assert.Contains(versions.ApiKeys, k => k.ApiKey == 0);
        var metadata = await client.MetadataAsync(null);
        Assert.Contains(metadata.Topics, t => t.Name == SeedTopic && t.ErrorCode == 0 && t.Partitions.Count == 1);
        var (records, highWatermark) = await client.ReadAllAsync(SeedTopic, 0);
        Assert.Equal(SeedCount, highWatermark);
        Assert.Equal(Enumerable.Range(0, SeedCount).Select(i => $"seed-{i}"), records.Select(r => r.ValueText));
        Assert.Equal(Enumerable.Range(0, SeedCount).Select(i => (long)i), records.Select(r => r.Offset));
    }

    public async Task DisposeAsync()
    {
        if (_broker is not null) await _broker.DisposeAsync();
    }
}
