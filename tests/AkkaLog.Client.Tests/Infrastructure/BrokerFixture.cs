namespace AkkaLog.Client.Tests.Infrastructure;

/// <summary>
/// The broker shared by the integration tests in <see cref="BrokerCollection"/>. Topic auto-creation
/// is off so that "missing topic" is testable; tests create their topics with the admin client. The
/// first rebalance of a new group is not delayed (group.initial.rebalance.delay.ms=0): the consumer
/// group tests would otherwise wait 3 s per group for nothing.
/// </summary>
public sealed class BrokerFixture : IAsyncLifetime
{
    public BrokerProcess Broker { get; } = new("client-it", new Dictionary<string, string>
    {
        ["auto.create.topics.enable"] = "false",
        ["group.initial.rebalance.delay.ms"] = "0",
    });

    public string Bootstrap => Broker.Bootstrap;

    public Task InitializeAsync() => Broker.StartAsync();

    public Task DisposeAsync() => Broker.DisposeAsync().AsTask();

    /// <summary>An admin client on the shared broker.</summary>
    public IAdminClient Admin() => new AdminClientBuilder(new AdminClientConfig { BootstrapServers = Bootstrap }).Build();

    /// <summary>Creates a topic with a unique name and returns it.</summary>
    public async Task<string> CreateTopicAsync(string prefix, int partitions = 1, Dictionary<string, string>? configs = null)
    {
        string name = $"{prefix}-{Guid.NewGuid():N}"[..Math.Min(prefix.Length + 13, 60)];
        await using var admin = Admin();
        await admin.CreateTopicsAsync([new Admin.TopicSpecification { Name = name, NumPartitions = partitions, ReplicationFactor = 1, Configs = configs }]);
        return name;
    }
}

/// <summary>Integration tests that share one broker; run one at a time.</summary>
[CollectionDefinition(Name)]
public sealed class BrokerCollection : ICollectionFixture<BrokerFixture>
{
    public const string Name = "broker";
}
