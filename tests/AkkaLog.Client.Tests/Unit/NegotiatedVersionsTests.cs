using AkkaLog.Client.Internal.Network;
using AkkaLog.Protocol;
using AkkaLog.Protocol.Messages;

namespace AkkaLog.Client.Tests.Unit;

public sealed class NegotiatedVersionsTests
{
    private static NegotiatedVersions Broker(params (ApiKey Key, short Min, short Max)[] apis) => new(new ApiVersionsResponse
    {
        ApiKeys = apis.Select(a => new ApiVersionsResponse.ApiVersion { ApiKey = (short)a.Key, MinVersion = a.Min, MaxVersion = a.Max }).ToList(),
    }, "broker 1 (test:9092)");

    [Fact]
    public void The_version_is_the_lower_of_both_maxima()
    {
        var versions = Broker((ApiKey.Produce, 0, 7), (ApiKey.Metadata, 0, 99));
        Assert.Equal(7, versions.Pick(ApiKey.Produce));
        Assert.Equal(ClientApiVersions.For(ApiKey.Metadata).Highest, versions.Pick(ApiKey.Metadata));
    }

    [Fact]
    public void An_api_the_broker_lacks_is_refused_with_a_clear_error()
    {
        var versions = Broker((ApiKey.Metadata, 0, 12));
        var e = Assert.Throws<KafkaException>(() => versions.Pick(ApiKey.Produce));
        Assert.Equal(ErrorCode.UnsupportedVersion, e.Code);
        Assert.Contains("does not support the Produce API", e.Message);
        Assert.False(versions.Supports(ApiKey.Produce));
    }

    [Fact]
    public void Ranges_that_do_not_overlap_are_refused()
    {
        // Produce v0-2 only: this client needs v3+ (record batches v2).
        var e = Assert.Throws<KafkaException>(() => Broker((ApiKey.Produce, 0, 2)).Pick(ApiKey.Produce));
        Assert.Contains("supports Produce v0-2", e.Message);
    }
}
