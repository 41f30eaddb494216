namespace AkkaLog.Client.Admin;

/// <summary>What kind of thing a config belongs to (Kafka's ConfigResource.Type wire values).</summary>
public enum ResourceType : sbyte
{
    /// <summary>Unknown.</summary>
    Unknown = 0,
    /// <summary>A topic.</summary>
    Topic = 2,
    /// <summary>A broker (name is its node id; empty for the cluster-wide default).</summary>
    Broker = 4,
    /// <summary>A broker's logger levels.</summary>
    BrokerLogger = 8,
}

/// <summary>A config owner: a topic or a broker.</summary>
/// <param name="Type">Resource type.</param>
/// <param name="Name">Topic name, or broker id.</param>
public readonly record struct ConfigResource(ResourceType Type, string Name)
{
    /// <inheritdoc />
    public override string ToString() => $"{Type} '{Name}'";
}

/// <summary>Where a config value comes from (DescribeConfigs v1+ config source).</summary>
public enum ConfigSource : sbyte
{
    /// <summary>Unknown (v0 brokers).</summary>
    Unknown = 0,
    /// <summary>Set on the topic.</summary>
    DynamicTopicConfig = 1,
    /// <summary>Set dynamically for this broker.</summary>
    DynamicBrokerConfig = 2,
    /// <summary>Set dynamically for all brokers.</summary>
    DynamicDefaultBrokerConfig = 3,
    /// <summary>From the broker's config file.</summary>
    StaticBrokerConfig = 4,
    /// <summary>The built-in default.</summary>
    DefaultConfig = 5,
    /// <summary>Logger level set dynamically.</summary>
    DynamicBrokerLoggerConfig = 6,
}

/// <summary>One described config value.</summary>
/// <param name="Name">Config key.</param>
/// <param name="Value">Value (null when sensitive or unset).</param>
/// <param name="Source">Where the value comes from.</param>
/// <param name="IsDefault">True when no override is set.</param>
/// <param name="IsReadOnly">True when it cannot be altered.</param>
/// <param name="IsSensitive">True for passwords and the like (value hidden).</param>
public sealed record ConfigEntryResult(string Name, string? Value, ConfigSource Source, bool IsDefault, bool IsReadOnly, bool IsSensitive);

/// <summary>The configs of one resource.</summary>
/// <param name="Resource">The resource.</param>
/// <param name="Entries">Configs by name.</param>
public sealed record DescribeConfigsResult(ConfigResource Resource, IReadOnlyDictionary<string, ConfigEntryResult> Entries);

/// <summary>An incremental config change (IncrementalAlterConfigs operation codes).</summary>
public enum AlterConfigOpType : sbyte
{
    /// <summary>Set the value.</summary>
    Set = 0,
    /// <summary>Remove the override (back to the default).</summary>
    Delete = 1,
    /// <summary>Add to a list value.</summary>
    Append = 2,
    /// <summary>Remove from a list value.</summary>
    Subtract = 3,
}

/// <summary>One config change.</summary>
/// <param name="Name">Config key.</param>
/// <param name="Value">New value (ignored for <see cref="AlterConfigOpType.Delete"/>).</param>
/// <param name="Operation">What to do.</param>
public sealed record ConfigEntry(string Name, string? Value, AlterConfigOpType Operation = AlterConfigOpType.Set);
