using AkkaLog.TestSupport;

namespace AkkaLog.IntegrationTests.Infrastructure;

/// <summary>Raw-protocol access to a test broker.</summary>
public static class BrokerProcessExtensions
{
    /// <summary>Connects a new raw-protocol client to <paramref name="broker"/>.</summary>
    public static Task<KafkaWireClient> ConnectAsync(this BrokerProcess broker) => KafkaWireClient.ConnectAsync("127.0.0.1", broker.Port);
}
