using AkkaLog.Protocol.Messages;

namespace AkkaLog.Protocol.Tests;

public class HeaderVersionsTests
{
    [Theory]
    [InlineData(ApiKey.Produce, 8, 1, 0)]
    [InlineData(ApiKey.Produce, 9, 2, 1)]
    [InlineData(ApiKey.Metadata, 4, 1, 0)]
    [InlineData(ApiKey.Metadata, 9, 2, 1)]
    [InlineData(ApiKey.ApiVersions, 0, 1, 0)]
    [InlineData(ApiKey.ApiVersions, 3, 2, 0)]
    [InlineData(ApiKey.ControlledShutdown, 0, 0, 0)]
    [InlineData(ApiKey.ControlledShutdown, 1, 1, 0)]
    [InlineData(ApiKey.ControlledShutdown, 3, 2, 1)]
    [InlineData(ApiKey.AlterPartitionReassignments, 0, 2, 1)]
    public void HeaderVersionFollowsFlexibility(ApiKey key, short version, short request, short response)
    {
        Assert.Equal(request, HeaderVersions.RequestHeaderVersion(key, version));
        Assert.Equal(response, HeaderVersions.ResponseHeaderVersion(key, version));
    }

    [Fact]
    public void ResponseHeaderV1AddsTagBuffer()
    {
        using var writer = new KafkaWriter();
        new ResponseHeader { CorrelationId = 9 }.Write(writer, 1);
        Assert.Equal(new byte[] { 0, 0, 0, 9, 0 }, writer.ToArray());
        writer.Reset();
        new ResponseHeader { CorrelationId = 9 }.Write(writer, 0);
        Assert.Equal(new byte[] { 0, 0, 0, 9 }, writer.ToArray());
    }

    [Fact]
    public void ErrorCodesMatchKafka()
    {
        Assert.Equal(-1, (short)ErrorCode.UnknownServerError);
        Assert.Equal(6, (short)ErrorCode.NotLeaderOrFollower);
        Assert.Equal(35, (short)ErrorCode.UnsupportedVersion);
        Assert.Equal(76, (short)ErrorCode.UnsupportedCompressionType);
        Assert.Equal(87, (short)ErrorCode.InvalidRecord);
        Assert.Equal(119, (short)ErrorCode.InvalidRegistration);
        Assert.True(ErrorCodes.IsRetriable(ErrorCode.NotLeaderOrFollower));
        Assert.True(ErrorCodes.IsRetriable(ErrorCode.CoordinatorLoadInProgress));
        Assert.False(ErrorCodes.IsRetriable(ErrorCode.TopicAlreadyExists));
        Assert.False(ErrorCodes.IsRetriable(ErrorCode.None));
        Assert.Equal(ErrorCode.UnknownServerError, ErrorCodes.Normalize(9999));
        Assert.Equal(ErrorCode.InvalidRequest, ErrorCodes.Normalize(42));
    }
}

public class KafkaHeadersTests
{
    [Fact]
    public void FramesAFlexibleRequestAndReadsItBack()
    {
        using var writer = new KafkaWriter();
        int size = writer.ReserveInt32();
        KafkaHeaders.WriteRequestHeader(writer, ApiKey.ApiVersions, 3, 42, "rdkafka");
        new ApiVersionsRequest { ClientSoftwareName = "librdkafka", ClientSoftwareVersion = "2.0.2" }.Write(writer, 3);
        writer.PatchInt32(size, writer.Position - 4);

        var reader = new KafkaReader(writer.WrittenMemory);
        Assert.Equal(writer.Position - 4, reader.ReadInt32());
        var header = KafkaHeaders.ReadRequestHeader(ref reader, out short headerVersion);
        Assert.Equal(2, headerVersion);
        Assert.Equal(42, header.CorrelationId);
        Assert.Equal("rdkafka", header.ClientId);

        var body = (ApiVersionsRequest)ApiMessages.CreateRequest((ApiKey)header.RequestApiKey);
        body.Read(ref reader, header.RequestApiVersion);
        reader.EnsureAtEnd();
        Assert.Equal("librdkafka", body.ClientSoftwareName);
    }

    [Fact]
    public void ApiVersionsResponseHeaderHasNoTags()
    {
        using var writer = new KafkaWriter();
        KafkaHeaders.WriteResponseHeader(writer, ApiKey.ApiVersions, 3, 5);
        Assert.Equal(new byte[] { 0, 0, 0, 5 }, writer.ToArray());
        writer.Reset();
        KafkaHeaders.WriteResponseHeader(writer, ApiKey.Metadata, 12, 5);
        Assert.Equal(new byte[] { 0, 0, 0, 5, 0 }, writer.ToArray());
    }
}
