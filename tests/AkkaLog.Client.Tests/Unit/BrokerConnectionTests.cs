using AkkaLog.Client.Internal.Network;
using AkkaLog.Client.Tests.Infrastructure;
using AkkaLog.Protocol;
using AkkaLog.Protocol.Messages;

namespace AkkaLog.Client.Tests.Unit;

/// <summary>The connection layer against a scripted fake broker: pipelining, timeouts, version negotiation.</summary>
public sealed class BrokerConnectionTests
{
    private static ConnectionSettings Settings(int requestTimeoutMs = 30000) =>
        ConnectionSettings.From(new ProducerConfig { BootstrapServers = "unused", RequestTimeoutMs = requestTimeoutMs });

    private static Task<BrokerConnection> Connect(FakeBroker broker, int requestTimeoutMs = 30000) =>
        BrokerConnection.ConnectAsync(new BrokerAddress("127.0.0.1", broker.Port), 1, Settings(requestTimeoutMs), CancellationToken.None);

    [Fact]
    public async Task Pipelined_requests_answered_out_of_order_reach_their_callers()
    {
        var release = new TaskCompletionSource();
        await using var broker = new FakeBroker(async request =>
        {
            // The first request (DescribeCluster for "a") is answered only after the second.
            var reader = new KafkaReader(request.Frame);
            KafkaHeaders.ReadRequestHeader(ref reader, out _);
            var body = new DescribeClusterRequest();
            body.Read(ref reader, request.Version);
            if (body.IncludeClusterAuthorizedOperations) await release.Task;
            else release.TrySetResult();
            return FakeBroker.Frame(request, new DescribeClusterResponse { ClusterId = body.IncludeClusterAuthorizedOperations ? "a" : "b" });
        }, (ApiKey.DescribeCluster, 0, 1));
        await using var connection = await Connect(broker);

        var first = connection.SendAsync<DescribeClusterResponse>(new DescribeClusterRequest { IncludeClusterAuthorizedOperations = true }, CancellationToken.None);
        var second = connection.SendAsync<DescribeClusterResponse>(new DescribeClusterRequest(), CancellationToken.None);
        Assert.Equal("b", (await second).ClusterId);
        Assert.Equal("a", (await first).ClusterId);
        Assert.Equal(0, connection.InFlight);
    }

    [Fact]
    public async Task An_unanswered_request_times_out_and_closes_the_connection()
    {
        await using var broker = new FakeBroker(_ => Task.FromResult<byte[]?>(null), (ApiKey.DescribeCluster, 0, 1));
        await using var connection = await Connect(broker, requestTimeoutMs: 200);

        var e = await Assert.ThrowsAsync<KafkaException>(() =>
            connection.SendAsync<DescribeClusterResponse>(new DescribeClusterRequest(), CancellationToken.None));
        Assert.Equal(ErrorCode.RequestTimedOut, e.Code);
        Assert.True(e.IsRetriable);
        Assert.False(connection.IsAlive);
        Assert.Equal(ErrorCode.RequestTimedOut, (await Assert.ThrowsAsync<KafkaException>(() =>
            connection.SendAsync<DescribeClusterResponse>(new DescribeClusterRequest(), CancellationToken.None))).Code);
    }

    [Fact]
    public async Task ApiVersions_falls_back_when_the_broker_refuses_our_version()
    {
        await using var broker = new FakeBroker(_ => Task.FromResult<byte[]?>(null), (ApiKey.Produce, 3, 9)) { MaxApiVersionsVersion = 2 };
        await using var connection = await Connect(broker);
        Assert.Equal([ClientApiVersions.ApiVersionsMax, (short)2], broker.ApiVersionsSeen);
        Assert.Equal(9, connection.Versions.Pick(ApiKey.Produce));
        Assert.Throws<KafkaException>(() => connection.Versions.Pick(ApiKey.Metadata));
    }

    [Fact]
    public async Task A_broker_that_is_not_there_is_a_retriable_network_error()
    {
        int port = TestPaths.FreePort();
        var e = await Assert.ThrowsAsync<KafkaException>(() =>
            BrokerConnection.ConnectAsync(new BrokerAddress("127.0.0.1", port), 1, Settings(), CancellationToken.None));
        Assert.Equal(ErrorCode.NetworkException, e.Code);
        Assert.True(e.IsRetriable);
    }
}
