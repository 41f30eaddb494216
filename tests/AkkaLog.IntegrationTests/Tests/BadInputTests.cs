using AkkaLog.IntegrationTests.Fixtures;
using AkkaLog.IntegrationTests.Infrastructure;
using AkkaLog.Protocol;
using AkkaLog.Protocol.Messages;

namespace AkkaLog.IntegrationTests.Tests;

/// <summary>
/// Malformed frames and invalid requests get the Kafka answer (an error code, or a closed connection),
/// and afterwards a new connection still works and the seeded data is intact.
/// Broker: socket.request.max.bytes=1048576, message.max.bytes=10000, auto.create.topics.enable=false.
/// </summary>
[Collection(LimitsBrokerCollection.Name)]
public sealed class BadInputTests(LimitsBrokerFixture fixture, ITestOutputHelper output)
{
    private static readonly TimeSpan CloseTimeout = TimeSpan.FromSeconds(10);
    private BrokerProcess Broker => fixture.Broker;

    [Fact]
    public Task Truncated_frame_then_disconnect() => Run(async () =>
    {
        await using (var client = await Broker.ConnectAsync())
            await client.SendRawAsync(RawFrames.Prefixed(100, new byte[] { 0, 18, 0, 3, 0, 0, 0, 1, 0, 0 }));
    });

    [Fact]
    public Task Size_prefix_over_socket_request_max_bytes_closes_the_connection() => Run(async () =>
    {
        await using var client = await Broker.ConnectAsync();
        await client.SendRawAsync(RawFrames.Prefixed(2_000_000, new byte[64]));
        Assert.True(await client.WaitForCloseAsync(CloseTimeout), "connection still open after a 2,000,000-byte size prefix");
    });

    [Fact]
    public Task Negative_size_prefix_closes_the_connection() => Run(async () =>
    {
        await using var client = await Broker.ConnectAsync();
        await client.SendRawAsync(RawFrames.Prefixed(-16, new byte[16]));
        Assert.True(await client.WaitForCloseAsync(CloseTimeout), "connection still open after a negative size prefix");
    });

    [Fact]
    public Task Unknown_api_key_closes_the_connection() => Run(async () =>
    {
        await using var client = await Broker.ConnectAsync();
        await client.SendRawAsync(RawFrames.WithHeaderV1(999, 0, 1, new byte[8]));
        Assert.True(await client.WaitForCloseAsync(CloseTimeout), "connection still open after api key 999");
    });

    [Fact]
    public Task Unsupported_produce_version_closes_the_connection() => Run(async () =>
    {
        await using var client = await Broker.ConnectAsync();
        var request = KafkaWireClient.ProduceRequestFor(LimitsBrokerFixture.SeedTopic, 0, Batches.Single("v1"), acks: -1);
        await client.SendRawAsync(KafkaWireClient.EncodeFrame(request, 1, correlationId: 7));
        Assert.True(await client.WaitForCloseAsync(CloseTimeout), "connection still open after Produce v1");
        await AssertSeedUnchangedAsync();
    });

    [Fact]
    public Task ApiVersions_v99_answers_unsupported_version_with_v0_body() => Run(async () =>
    {
        await using var client = await Broker.ConnectAsync();
        // ApiVersions is flexible from v3, so v99 comes with header v2 (v1 + empty tags) and a v3-like body.
        byte[] body = [0, /* header tags */ 2, (byte)'x', 2, (byte)'1', 0 /* name, version, body tags */];
        await client.SendRawAsync(RawFrames.WithHeaderV1(18, 99, 42, body));
        var frame = await client.ReadFrameAsync();
        Assert.NotNull(frame);
        var response = KafkaWireClient.ParseResponse<ApiVersionsResponse>(frame, ApiKey.ApiVersions, 0, 42);
        Assert.Equal((short)ErrorCode.UnsupportedVersion, response.ErrorCode);
        var apiVersions = Assert.Single(response.ApiKeys, k => k.ApiKey == 18);
        Assert.Equal(0, apiVersions.MinVersion);
        Assert.True(apiVersions.MaxVersion is >= 3 and < 99, $"ApiVersions max {apiVersions.MaxVersion}");
        Assert.Contains(response.ApiKeys, k => k.ApiKey == 0);

        // librdkafka retries on the same connection with the advertised version.
        var retry = await client.ApiVersionsAsync(apiVersions.MaxVersion);
        Assert.Equal(0, retry.ErrorCode);
    });

    [Fact]
    public Task Batch_with_bad_crc_is_corrupt_message() => Run(async () =>
    {
        string topic = TopicNames.Unique("bad-crc");
        await using var client = await Broker.ConnectAsync();
        await client.CreateTopicOrFailAsync(topic, 1);
        var batch = Batches.OfValues(Enumerable.Range(0, 5).Select(i => $"payload-{i}"));
        batch[^3] ^= 0x55;
        var result = await client.ProduceAsync(topic, 0, batch);
        Assert.Equal((short)ErrorCode.CorruptMessage, result!.ErrorCode);
        Assert.Equal(0, await client.HighWatermarkAsync(topic, 0));
    });

    [Fact]
    public Task Batch_over_message_max_bytes_is_message_too_large() => Run(async () =>
    {
        string topic = TopicNames.Unique("too-large");
        await using var client = await Broker.ConnectAsync();
        await client.CreateTopicOrFailAsync(topic, 1);
        var batch = Batches.Single(new string('x', 20_000));
        Assert.True(batch.Length > LimitsBrokerFixture.MessageMaxBytes);
        var result = await client.ProduceAsync(topic, 0, batch);
        Assert.Equal((short)ErrorCode.MessageTooLarge, result!.ErrorCode);
        Assert.Equal(0, await client.HighWatermarkAsync(topic, 0));
    });

    [Fact]
    public Task Produce_to_missing_topic_without_auto_create_is_unknown_topic() => Run(async () =>
    {
        string topic = TopicNames.Unique("missing");
        await using var client = await Broker.ConnectAsync();
        var result = await client.ProduceAsync(topic, 0, Batches.Single("nowhere"));
        Assert.Equal((short)ErrorCode.UnknownTopicOrPartition, result!.ErrorCode);

        // The client asks for auto creation; the broker setting forbids it.
        var metadata = await client.MetadataAsync([topic], allowAutoTopicCreation: true);
        Assert.Equal((short)ErrorCode.UnknownTopicOrPartition, Assert.Single(metadata.Topics).ErrorCode);
        var all = await client.MetadataAsync(null);
        Assert.DoesNotContain(all.Topics, t => t.Name == topic);
    });

    [Theory]
    [InlineData("retention.ms", "abc")]
    [InlineData("foo.bar", "1")]
    [InlineData("cleanup.policy", "sometimes")]
    public Task Create_topic_with_invalid_config_is_invalid_config(string key, string value) => Run(async () =>
    {
        string topic = TopicNames.Unique("bad-config");
        await using var client = await Broker.ConnectAsync();
        var result = await client.CreateTopicAsync(topic, 1, new Dictionary<string, string> { [key] = value });
        Assert.Equal((short)ErrorCode.InvalidConfig, result.ErrorCode);
        var metadata = await client.MetadataAsync([topic]);
        Assert.Equal((short)ErrorCode.UnknownTopicOrPartition, Assert.Single(metadata.Topics).ErrorCode);
    });

    [Theory]
    [InlineData("bad/name")]
    [InlineData("")]
    [InlineData("..")]
    public Task Create_topic_with_bad_name_is_invalid_topic(string name) => Run(async () =>
    {
        await using var client = await Broker.ConnectAsync();
        var result = await client.CreateTopicAsync(name, 1);
        Assert.Equal((short)ErrorCode.InvalidTopicException, result.ErrorCode);
        var all = await client.MetadataAsync(null);
        Assert.DoesNotContain(all.Topics, t => t.Name == name);
    });

    private Task Run(Func<Task> test) => Broker.WithLogOnFailure(output, async () =>
    {
        await test();
        await fixture.AssertHealthyAsync();
    });

    private async Task AssertSeedUnchangedAsync()
    {
        await using var client = await Broker.ConnectAsync();
        Assert.Equal(LimitsBrokerFixture.SeedCount, await client.HighWatermarkAsync(LimitsBrokerFixture.SeedTopic, 0));
    }
}
