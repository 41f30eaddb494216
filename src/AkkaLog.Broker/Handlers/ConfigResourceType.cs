namespace AkkaLog.Broker.Handlers;

/// <summary>Resource types of DescribeConfigs/AlterConfigs.</summary>
public enum ConfigResourceType : sbyte
{
    /// <summary>Unknown.</summary>
    Unknown = 0,
    /// <summary>A topic.</summary>
    Topic = 2,
    /// <summary>A broker (name = broker id).</summary>
    Broker = 4,
    /// <summary>A broker's loggers.</summary>
    BrokerLogger = 8,
}
