using AkkaLog.IntegrationTests.Infrastructure;

namespace AkkaLog.IntegrationTests.Fixtures;

/// <summary>A broker started once for a test class with the given settings, stopped after it.</summary>
public abstract class BrokerFixture(string name, IReadOnlyDictionary<string, string> settings) : IAsyncLifetime
{
    private BrokerProcess? _broker;

    /// <summary>The running broker.</summary>
    public BrokerProcess Broker => _broker ?? throw new InvalidOperationException("broker not started");

    /// <inheritdoc />
    public async Task InitializeAsync() => _broker = await BrokerProcess.StartNewAsync(name, settings);

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        if (_broker is not null) await _broker.DisposeAsync();
    }
}

/// <summary>
/// Group tests that want quick rebalances: no initial rebalance delay, 4 offsets partitions (fast
/// start-up), no auto topic creation (so unknown topics stay unknown).
/// </summary>
public sealed class FastGroupBrokerFixture() : BrokerFixture("groups-fast", Settings)
{
    /// <summary>The settings the broker runs with.</summary>
    public static readonly IReadOnlyDictionary<string, string> Settings = new Dictionary<string, string>
    {
        ["group.initial.rebalance.delay.ms"] = "0",
        ["offsets.topic.num.partitions"] = "4",
        ["auto.create.topics.enable"] = "false",
    };
}

/// <summary>A broker with the default group settings (3 s initial rebalance delay, 50 offsets partitions).</summary>
public sealed class DefaultGroupBrokerFixture() : BrokerFixture("groups-default", new Dictionary<string, string>());
