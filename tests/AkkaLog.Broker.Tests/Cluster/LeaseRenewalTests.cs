using AkkaLog.Broker.Cluster;
using AkkaLog.Broker.Cluster.Etcd;
using AkkaLog.Broker.Handlers;
using Microsoft.Extensions.Logging.Abstractions;

namespace AkkaLog.Broker.Tests.Cluster;

/// <summary>
/// Lease renewals must fail over between etcd endpoints well inside the lease TTL: a stalled endpoint
/// (the general 5 s request timeout is longer than the 2 s TTL) must not let the broker's lease expire.
/// </summary>
public sealed class LeaseRenewalTests(EtcdFixture fixture) : IClassFixture<EtcdFixture>
{
    [Theory]
    [InlineData(2000, 500)]   // the defaults
    [InlineData(2000, 3000)]  // a heartbeat longer than the TTL is capped
    [InlineData(1, 1)]        // tiny values: TTL is one second at least, attempts keep a floor
    [InlineData(10000, 3000)]
    public void Each_renewal_attempt_and_retry_fits_well_inside_the_ttl(int sessionMs, int heartbeatMs)
    {
        var t = LeaseTiming.For(TimeSpan.FromMilliseconds(sessionMs), TimeSpan.FromMilliseconds(heartbeatMs));
        Assert.Equal(TimeSpan.FromSeconds(Math.Max(1, Math.Ceiling(sessionMs / 1000.0))), t.Ttl);
        Assert.True(t.Heartbeat <= t.Ttl / 3, $"heartbeat {t.Heartbeat} vs ttl {t.Ttl}");
        Assert.True(t.AttemptTimeout <= t.Ttl / 4, $"attempt {t.AttemptTimeout} vs ttl {t.Ttl}");
        Assert.True(t.AttemptTimeout <= t.Heartbeat || t.AttemptTimeout == TimeSpan.FromMilliseconds(100));
        Assert.True(t.RetryBackoff > TimeSpan.Zero && t.RetryBackoff <= t.Heartbeat);
        // One stalled endpoint, then a good one, after a full heartbeat: still inside the TTL with room to spare.
        Assert.True(t.Heartbeat + 2 * t.AttemptTimeout + t.RetryBackoff < t.Ttl);
        Assert.True(t.AttemptTimeout < new EtcdClient(["http://127.0.0.1:1"]).RequestTimeout);
    }

    [Fact]
    public async Task A_stalled_endpoint_does_not_let_the_lease_expire()
    {
        await using var proxy = new StallingProxy(new Uri(fixture.Etcd.Endpoint));
        string clusterId = "lease" + Guid.NewGuid().ToString("N")[..10];
        string key = $"/akkalog/{clusterId}/brokers/1";
        // The proxy first: every call goes there while it answers, then must fail over to etcd itself.
        await using var store = new EtcdMetadataStore(new EtcdClient([proxy.Endpoint, fixture.Etcd.Endpoint]), clusterId, 1,
            TimeSpan.FromSeconds(2), TimeSpan.FromMilliseconds(500), NullLogger.Instance);
        await store.StartAsync(default);
        await store.RegisterBrokerAsync(new BrokerNode(1, "127.0.0.1", 9092, null), default);
        var registered = await fixture.Client.GetAsync(key);
        Assert.NotNull(registered);

        proxy.Stall();
        // Three TTLs: without failover inside the TTL the key expires after about one.
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(6);
        while (DateTime.UtcNow < until)
        {
            var now = await fixture.Client.GetAsync(key);
            Assert.True(now is not null, "the broker's lease expired while one endpoint stalled");
            Assert.Equal(registered.CreateRevision, now.CreateRevision);
            await Task.Delay(100);
        }
        Assert.Equal(registered.Lease, store.Lease);
        proxy.Resume();
        await fixture.Client.DeleteAsync($"/akkalog/{clusterId}/", prefix: true);
    }
}
