using AkkaLog.IntegrationTests.Infrastructure;

namespace AkkaLog.IntegrationTests.Fixtures;

/// <summary>A broker with default settings, started once for the kcat and kafkajs tests.</summary>
public sealed class SharedBrokerFixture : IAsyncLifetime
{
    private BrokerProcess? _broker;

    /// <summary>The running broker.</summary>
    public BrokerProcess Broker => _broker ?? throw new InvalidOperationException("broker not started");

    public async Task InitializeAsync() => _broker = await BrokerProcess.StartNewAsync("shared");

    public async Task DisposeAsync()
    {
        if (_broker is not null) await _broker.DisposeAsync();
    }
}
