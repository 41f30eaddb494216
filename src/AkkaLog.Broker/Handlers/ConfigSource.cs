namespace AkkaLog.Broker.Handlers;

/// <summary>Where a described config value comes from (DescribeConfigs ConfigSource, KIP-226).</summary>
public enum ConfigSource : sbyte
{
    /// <summary>Unknown.</summary>
    Unknown = 0,
    /// <summary>A topic override.</summary>
    DynamicTopicConfig = 1,
    /// <summary>A per-broker dynamic setting.</summary>
    DynamicBrokerConfig = 2,
    /// <summary>A cluster-wide dynamic default.</summary>
    DynamicDefaultBrokerConfig = 3,
    /// <summary>Set in the broker's configuration file or switches.</summary>
    StaticBrokerConfig = 4,
    /// <summary>The built-in default.</summary>
    DefaultConfig = 5,
}
