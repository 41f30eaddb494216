using AkkaLog.Broker.Config;
using Microsoft.Extensions.Logging.Abstractions;

namespace AkkaLog.Broker.Tests.Cluster;

/// <summary>Cluster settings that cannot work stop start-up with a message naming the key.</summary>
public class ClusterConfigTests
{
    private static async Task<ConfigException> StartFailsAsync(params (string Key, string Value)[] settings)
    {
        string dir = Path.Combine(Path.GetTempPath(), "akkalog-cluster-config-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            var all = new Dictionary<string, string?> { ["log.dirs"] = dir, ["listeners"] = "PLAINTEXT://127.0.0.1:9092" };
            foreach (var (k, v) in settings) all[k] = v;
            return await Assert.ThrowsAsync<ConfigException>(() => KafkaBroker.StartAsync(BrokerConfig.From(all), NullLoggerFactory.Instance));
        }
        finally
        {
            if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task Etcd_without_endpoints_names_etcd_endpoints()
    {
        var e = await StartFailsAsync(("metadata.store", "etcd"), ("cluster.id", "c"));
        Assert.Equal("etcd.endpoints", e.Key);
    }

    [Fact]
    public async Task Etcd_without_a_cluster_id_names_cluster_id()
    {
        var e = await StartFailsAsync(("metadata.store", "etcd"), ("etcd.endpoints", "http://127.0.0.1:2379"));
        Assert.Equal("cluster.id", e.Key);
    }

    [Fact]
    public async Task A_non_http_endpoint_names_etcd_endpoints()
    {
        var e = await StartFailsAsync(("metadata.store", "etcd"), ("cluster.id", "c"), ("etcd.endpoints", "https://127.0.0.1:2379"));
        Assert.Equal("etcd.endpoints", e.Key);
        Assert.Contains("http://host:port", e.Message);
    }

    [Theory]
    [InlineData("metadata.store", "zookeeper")]
    [InlineData("broker.session.timeout.ms", "10")]
    [InlineData("replica.lag.time.max.ms", "0")]
    [InlineData("unclean.leader.election.enable", "maybe")]
    public void Bad_cluster_values_name_the_key(string key, string value)
    {
        var e = Assert.Throws<ConfigException>(() => BrokerConfig.From([KeyValuePair.Create(key, (string?)value)]));
        Assert.Equal(key, e.Key);
    }

    [Fact]
    public void The_embedded_store_is_the_default()
    {
        Assert.False(BrokerConfig.Defaults.UsesEtcd);
        Assert.Equal(2000, BrokerConfig.Defaults.SessionTimeoutMs);
        Assert.False(BrokerConfig.Defaults.UncleanLeaderElection);
    }
}
