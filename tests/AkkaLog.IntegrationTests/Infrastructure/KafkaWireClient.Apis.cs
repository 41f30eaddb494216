using AkkaLog.Protocol;
using AkkaLog.Protocol.Messages;

namespace AkkaLog.IntegrationTests.Infrastructure;

/// <summary>Typed one-partition helpers; versions default to recent ones the broker advertises.</summary>
public sealed partial class KafkaWireClient
{
    /// <summary>ApiVersions (v3 is flexible and carries the client software name).</summary>
    public Task<ApiVersionsResponse> ApiVersionsAsync(short version = 3) =>
        SendAsync<ApiVersionsResponse>(new ApiVersionsRequest { ClientSoftwareName = "akkalog-it", ClientSoftwareVersion = "1.0" }, version);

    /// <summary>Metadata for <paramref name="topics"/>, or all topics when null.</summary>
    public Task<MetadataResponse> MetadataAsync(IEnumerable<string>? topics, bool allowAutoTopicCreation = false, short version = 12) =>
        SendAsync<MetadataResponse>(new MetadataRequest
        {
            Topics = topics?.Select(t => new MetadataRequest.MetadataRequestTopic { Name = t }).ToList(),
            AllowAutoTopicCreation = allowAutoTopicCreation,
        }, version);

    /// <summary>Creates one topic and returns its result entry.</summary>
    public async Task<CreateTopicsResponse.CreatableTopicResult> CreateTopicAsync(string name, int partitions,
        IReadOnlyDictionary<string, string>? configs = null, short version = 7)
    {
        var request = new CreateTopicsRequest { TimeoutMs = 30_000 };
        request.Topics.Add(new CreateTopicsRequest.CreatableTopic
        {
            Name = name,
            NumPartitions = partitions,
            ReplicationFactor = 1,
            Configs = (configs ?? new Dictionary<string, string>())
                .Select(c => new CreateTopicsRequest.CreatableTopicConfig { Name = c.Key, Value = c.Value }).ToList(),
        });
        var response = await SendAsync<CreateTopicsResponse>(request, version);
        return response.Topics.Single(t => t.Name == name);
    }

    /// <summary>Creates a topic and fails unless the broker reports no error.</summary>
    public async Task CreateTopicOrFailAsync(string name, int partitions)
    {
        var result = await CreateTopicAsync(name, partitions);
        if (result.ErrorCode != 0)
            throw new Xunit.Sdk.XunitException($"CreateTopics {name}: error {result.ErrorCode} {result.ErrorMessage}");
    }

    /// <summary>Builds a Produce request carrying one batch for one partition.</summary>
    public static ProduceRequest ProduceRequestFor(string topic, int partition, byte[] batch, short acks)
    {
        var request = new ProduceRequest { Acks = acks, TimeoutMs = 30_000 };
        request.TopicData.Add(new ProduceRequest.TopicProduceData
        {
            Name = topic,
            PartitionData = [new ProduceRequest.PartitionProduceData { Index = partition, Records = batch }],
        });
        return request;
    }

    /// <summary>Produces one batch; returns the partition's response, or null for acks=0 (no response).</summary>
    public async Task<ProduceResponse.PartitionProduceResponse?> ProduceAsync(string topic, int partition, byte[] batch,
        short acks = -1, short version = 9)
    {
        var request = ProduceRequestFor(topic, partition, batch, acks);
        if (acks == 0)
        {
            await SendWithoutResponseAsync(request, version);
            return null;
        }
        var response = await SendAsync<ProduceResponse>(request, version);
        return response.Responses.Single(t => t.Name == topic).PartitionResponses.Single(p => p.Index == partition);
    }

    /// <summary>Fetches from <paramref name="offset"/> (read_uncommitted, no waiting beyond 100 ms).</summary>
    public async Task<FetchResponse.PartitionData> FetchAsync(string topic, int partition, long offset,
        int maxBytes = 1024 * 1024, short version = 12)
    {
        var request = new FetchRequest
        {
            ReplicaId = -1,
            MaxWaitMs = 100,
            MinBytes = 1,
            MaxBytes = maxBytes,
            IsolationLevel = 0,
            SessionId = 0,
            SessionEpoch = -1,
        };
        request.Topics.Add(new FetchRequest.FetchTopic
        {
            Topic = topic,
            Partitions = [new FetchRequest.FetchPartition { Partition = partition, FetchOffset = offset, PartitionMaxBytes = maxBytes }],
        });
        var response = await SendAsync<FetchResponse>(request, version);
        if (response.ErrorCode != 0) throw new Xunit.Sdk.XunitException($"Fetch top-level error {response.ErrorCode}");
        return response.Responses.Single(t => t.Topic == topic).Partitions.Single(p => p.PartitionIndex == partition);
    }

    /// <summary>ListOffsets for one partition: timestamp -2 = earliest, -1 = latest, else first offset with ts ≥ it.</summary>
    public async Task<ListOffsetsResponse.ListOffsetsPartitionResponse> ListOffsetsAsync(string topic, int partition,
        long timestamp, short version = 7)
    {
        var request = new ListOffsetsRequest { ReplicaId = -1, IsolationLevel = 0, TimeoutMs = 30_000 };
        request.Topics.Add(new ListOffsetsRequest.ListOffsetsTopic
        {
            Name = topic,
            Partitions = [new ListOffsetsRequest.ListOffsetsPartition { PartitionIndex = partition, Timestamp = timestamp }],
        });
        var response = await SendAsync<ListOffsetsResponse>(request, version);
        return response.Topics.Single(t => t.Name == topic).Partitions.Single(p => p.PartitionIndex == partition);
    }

    /// <summary>The latest offset (high watermark) of a partition, failing on any error.</summary>
    public async Task<long> HighWatermarkAsync(string topic, int partition)
    {
        var result = await ListOffsetsAsync(topic, partition, -1);
        if (result.ErrorCode != 0) throw new Xunit.Sdk.XunitException($"ListOffsets {topic}-{partition}: error {result.ErrorCode}");
        return result.Offset;
    }
}
