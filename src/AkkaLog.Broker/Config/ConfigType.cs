namespace AkkaLog.Broker.Config;

/// <summary>The value type of a configuration key, as Kafka's ConfigDef names them.</summary>
public enum ConfigType
{
    /// <summary>32-bit integer.</summary>
    Int,
    /// <summary>64-bit integer; keys ending in <c>.bytes</c> accept size units, <c>.ms</c> duration units.</summary>
    Long,
    /// <summary>Floating point.</summary>
    Double,
    /// <summary>true or false.</summary>
    Boolean,
    /// <summary>Free text, possibly restricted to <see cref="ConfigKey.ValidValues"/>.</summary>
    String,
    /// <summary>Comma-separated list.</summary>
    List,
}
