using AkkaLog.Broker.Cluster.Etcd;
using AkkaLog.TestSupport;

namespace AkkaLog.Broker.Tests.Cluster;

/// <summary>One real etcd for a test class; each test works under its own key prefix.</summary>
public sealed class EtcdFixture : IAsyncLifetime
{
    /// <summary>The etcd process.</summary>
    public EtcdProcess Etcd { get; private set; } = null!;

    /// <summary>A client for it.</summary>
    public EtcdClient Client { get; private set; } = null!;

    /// <summary>A key prefix no other test uses.</summary>
    public static string NewPrefix() => $"/t/{Guid.NewGuid():N}/";

    public async Task InitializeAsync()
    {
        Etcd = await EtcdProcess.StartNewAsync("etcd-unit");
        Client = new EtcdClient([Etcd.Endpoint]);
    }

    public async Task DisposeAsync()
    {
        Client?.Dispose();
        if (Etcd is not null) await Etcd.DisposeAsync();
    }
}
