using AkkaLog.Client;
using AkkaLog.Client.Admin;

namespace AkkaLog.Cli.Tests.Infrastructure;

/// <summary>
/// The broker shared by the integration tests in <see cref="BrokerCollection"/>. Topic auto-creation
/// is off so that "unknown topic" is testable. Every test makes its own topics and groups with
/// unique names, so tests do not depend on each other's order.
/// </summary>
public sealed class BrokerFixture : IAsyncLifetime
{
    public BrokerProcess Broker { get; } = new("cli-it", new Dictionary<string, string>
    {
        ["auto.create.topics.enable"] = "false",
        ["group.initial.rebalance.delay.ms"] = "0",
    });

    public string Bootstrap => Broker.Bootstrap;

    public Task InitializeAsync() => Broker.StartAsync();

    public Task DisposeAsync() => Broker.DisposeAsync().AsTask();

    /// <summary>An admin client on the shared broker.</summary>
    public IAdminClient Admin() => new AdminClientBuilder(new AdminClientConfig { BootstrapServers = Bootstrap }).Build();

    /// <summary>A unique name with a readable prefix.</summary>
    public static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 9)];

    /// <summary>Creates a topic with a unique name (through the client, not the CLI under test) and returns it.</summary>
    public async Task<string> CreateTopicAsync(string prefix, int partitions = 1)
    {
        string name = Unique(prefix);
        await using var admin = Admin();
        await admin.CreateTopicsAsync([new TopicSpecification { Name = name, NumPartitions = partitions, ReplicationFactor = 1 }]);
        return name;
    }

    /// <summary>Runs the CLI against this broker (<c>-b</c> added).</summary>
    public Task<CliResult> RunAsync(params string[] args) => CliRunner.RunAsync([.. args, "-b", Bootstrap]);

    /// <summary>Runs the CLI against this broker with <paramref name="stdin"/>.</summary>
    public Task<CliResult> RunWithInputAsync(string stdin, params string[] args) => CliRunner.RunAsync([.. args, "-b", Bootstrap], stdin);
}

/// <summary>Integration tests that share one broker; run one at a time.</summary>
[CollectionDefinition(Name)]
public sealed class BrokerCollection : ICollectionFixture<BrokerFixture>
{
    public const string Name = "broker";
}
