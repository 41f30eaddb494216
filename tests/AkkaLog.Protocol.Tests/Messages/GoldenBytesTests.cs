using System.Runtime.InteropServices;
using AkkaLog.Protocol.Messages;

namespace AkkaLog.Protocol.Tests.Messages;

/// <summary>Byte layouts computed by hand from the schemas and the protocol guide.</summary>
public class GoldenBytesTests
{
    private static byte[] Bytes(IKafkaMessage message, short version)
    {
        using var writer = new KafkaWriter();
        message.Write(writer, version);
        return writer.ToArray();
    }

    private static T Parse<T>(byte[] bytes, short version)
        where T : IKafkaMessage, new()
    {
        var message = new T();
        var reader = new KafkaReader(bytes);
        message.Read(ref reader, version);
        reader.EnsureAtEnd();
        return message;
    }

    [Fact]
    public void RequestHeaderV1()
    {
        var header = new RequestHeader { RequestApiKey = 18, RequestApiVersion = 0, CorrelationId = 1, ClientId = "kcat" };
        byte[] expected = [0x00, 0x12, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x04, (byte)'k', (byte)'c', (byte)'a', (byte)'t'];
        Assert.Equal(expected, Bytes(header, 1));

        var parsed = Parse<RequestHeader>(expected, 1);
        Assert.Equal(18, parsed.RequestApiKey);
        Assert.Equal(1, parsed.CorrelationId);
        Assert.Equal("kcat", parsed.ClientId);
    }

    [Fact]
    public void RequestHeaderV1WithNullClientId()
    {
        var header = new RequestHeader { RequestApiKey = 3, RequestApiVersion = 1, CorrelationId = -1, ClientId = null };
        Assert.Equal(new byte[] { 0x00, 0x03, 0x00, 0x01, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF }, Bytes(header, 1));
    }

    [Fact]
    public void RequestHeaderV2KeepsClientIdNonCompactAndAddsTags()
    {
        var header = new RequestHeader { RequestApiKey = 18, RequestApiVersion = 3, CorrelationId = 7, ClientId = "rdkafka" };
        byte[] expected =
        [
            0x00, 0x12, 0x00, 0x03, 0x00, 0x00, 0x00, 0x07,
            0x00, 0x07, (byte)'r', (byte)'d', (byte)'k', (byte)'a', (byte)'f', (byte)'k', (byte)'a',
            0x00,
        ];
        Assert.Equal(expected, Bytes(header, 2));
        Assert.Equal("rdkafka", Parse<RequestHeader>(expected, 2).ClientId);
    }

    [Fact]
    public void RequestHeaderV0HasNoClientId()
    {
        var header = new RequestHeader { RequestApiKey = 7, RequestApiVersion = 0, CorrelationId = 2, ClientId = "ignored" };
        Assert.Equal(new byte[] { 0x00, 0x07, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02 }, Bytes(header, 0));
    }

    [Fact]
    public void ApiVersionsRequestV0IsEmpty()
    {
        var request = new ApiVersionsRequest { ClientSoftwareName = "x", ClientSoftwareVersion = "y" };
        Assert.Empty(Bytes(request, 0));
        Parse<ApiVersionsRequest>([], 0);
    }

    [Fact]
    public void ApiVersionsRequestV3IsFlexible()
    {
        var request = new ApiVersionsRequest { ClientSoftwareName = "librdkafka", ClientSoftwareVersion = "2.0.2" };
        byte[] expected =
        [
            0x0B, (byte)'l', (byte)'i', (byte)'b', (byte)'r', (byte)'d', (byte)'k', (byte)'a', (byte)'f', (byte)'k', (byte)'a',
            0x06, (byte)'2', (byte)'.', (byte)'0', (byte)'.', (byte)'2',
            0x00,
        ];
        Assert.Equal(expected, Bytes(request, 3));
        var parsed = Parse<ApiVersionsRequest>(expected, 3);
        Assert.Equal("librdkafka", parsed.ClientSoftwareName);
        Assert.Equal("2.0.2", parsed.ClientSoftwareVersion);
    }

    [Fact]
    public void MetadataRequestV1NullTopicsMeansAllTopics()
    {
        var all = new MetadataRequest { Topics = null };
        Assert.Equal(new byte[] { 0xFF, 0xFF, 0xFF, 0xFF }, Bytes(all, 1));
        Assert.Null(Parse<MetadataRequest>([0xFF, 0xFF, 0xFF, 0xFF], 1).Topics);

        var none = new MetadataRequest { Topics = [] };
        Assert.Equal(new byte[] { 0x00, 0x00, 0x00, 0x00 }, Bytes(none, 1));
        var parsed = Parse<MetadataRequest>([0x00, 0x00, 0x00, 0x00], 1);
        Assert.NotNull(parsed.Topics);
        Assert.Empty(parsed.Topics);
    }

    [Fact]
    public void MetadataRequestV1WithOneTopic()
    {
        var request = new MetadataRequest { Topics = [new MetadataRequest.MetadataRequestTopic { Name = "a" }] };
        byte[] expected = [0x00, 0x00, 0x00, 0x01, 0x00, 0x01, (byte)'a'];
        Assert.Equal(expected, Bytes(request, 1));
        Assert.Equal("a", Parse<MetadataRequest>(expected, 1).Topics![0].Name);
    }

    [Fact]
    public void MetadataRequestV0CannotCarryNullTopics()
    {
        var request = new MetadataRequest { Topics = null };
        var e = Assert.Throws<KafkaProtocolException>(() => Bytes(request, 0));
        Assert.Contains("Topics", e.Message);
        Assert.Throws<KafkaProtocolException>(() => Parse<MetadataRequest>([0xFF, 0xFF, 0xFF, 0xFF], 0));
    }

    [Fact]
    public void ProduceRequestV3WithOnePartition()
    {
        byte[] records = [0xDE, 0xAD, 0xBE, 0xEF];
        var request = new ProduceRequest
        {
            TransactionalId = null,
            Acks = -1,
            TimeoutMs = 30000,
            TopicData =
            [
                new ProduceRequest.TopicProduceData
                {
                    Name = "t",
                    PartitionData = [new ProduceRequest.PartitionProduceData { Index = 0, Records = records }],
                },
            ],
        };
        byte[] expected =
        [
            0xFF, 0xFF,             // transactional_id: null
            0xFF, 0xFF,             // acks: -1
            0x00, 0x00, 0x75, 0x30, // timeout_ms: 30000
            0x00, 0x00, 0x00, 0x01, // topic_data: 1
            0x00, 0x01, (byte)'t',  // name
            0x00, 0x00, 0x00, 0x01, // partition_data: 1
            0x00, 0x00, 0x00, 0x00, // index: 0
            0x00, 0x00, 0x00, 0x04, 0xDE, 0xAD, 0xBE, 0xEF, // records
        ];
        Assert.Equal(expected, Bytes(request, 3));

        var parsed = Parse<ProduceRequest>(expected, 3);
        Assert.Equal(-1, parsed.Acks);
        Assert.Equal(30000, parsed.TimeoutMs);
        var partition = Assert.Single(Assert.Single(parsed.TopicData).PartitionData);
        Assert.True(MemoryMarshal.TryGetArray(partition.Records!.Value, out var segment));
        Assert.Same(expected, segment.Array);
        Assert.Equal(expected.Length - 4, segment.Offset);
        Assert.Equal(4, segment.Count);
    }

    [Fact]
    public void ApiVersionsResponseV3WithTaggedFields()
    {
        var response = new ApiVersionsResponse
        {
            ErrorCode = 0,
            ApiKeys = [new ApiVersionsResponse.ApiVersion { ApiKey = 18, MinVersion = 0, MaxVersion = 3 }],
            ThrottleTimeMs = 0,
            FinalizedFeaturesEpoch = 5,
            ZkMigrationReady = true,
        };
        byte[] expected =
        [
            0x00, 0x00,                               // error_code
            0x02,                                     // api_keys: 1 (compact)
            0x00, 0x12, 0x00, 0x00, 0x00, 0x03, 0x00, // key 18, 0-3, no tags
            0x00, 0x00, 0x00, 0x00,                   // throttle_time_ms
            0x02,                                     // 2 tagged fields
            0x01, 0x08, 0, 0, 0, 0, 0, 0, 0, 0x05,    // tag 1: finalized_features_epoch = 5
            0x03, 0x01, 0x01,                         // tag 3: zk_migration_ready = true
        ];
        Assert.Equal(expected, Bytes(response, 3));

        var parsed = Parse<ApiVersionsResponse>(expected, 3);
        Assert.Equal(5, parsed.FinalizedFeaturesEpoch);
        Assert.True(parsed.ZkMigrationReady);
        Assert.Empty(parsed.SupportedFeatures);
    }

    [Fact]
    public void DefaultTaggedFieldsAreNotWrittenAndUnknownTagsAreSkipped()
    {
        var response = new ApiVersionsResponse { ApiKeys = [] };
        Assert.Equal(new byte[] { 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00 }, Bytes(response, 3));

        byte[] withUnknownTag = [0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x01, 0x09, 0x02, 0xAB, 0xCD];
        var parsed = Parse<ApiVersionsResponse>(withUnknownTag, 3);
        Assert.Equal(-1, parsed.FinalizedFeaturesEpoch);
    }

    [Fact]
    public void TaggedFieldWithWrongSizeIsRejected()
    {
        // Tag 1 (int64) declared as 4 bytes long.
        byte[] bad = [0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x01, 0x01, 0x04, 0, 0, 0, 0, 0, 0, 0, 5];
        Assert.Throws<KafkaProtocolException>(() => Parse<ApiVersionsResponse>(bad, 3));
    }

    [Fact]
    public void UnsupportedVersionIsReportedAsSuch()
    {
        var e = Assert.Throws<KafkaProtocolException>(() => Bytes(new ApiVersionsRequest(), 99));
        Assert.Equal(ErrorCode.UnsupportedVersion, e.ErrorCode);
    }
}
