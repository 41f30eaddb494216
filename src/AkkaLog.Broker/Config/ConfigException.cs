namespace AkkaLog.Broker.Config;

/// <summary>An unknown key or invalid value; the message names the key (and where it was set, when known).</summary>
public sealed class ConfigException(string key, string message) : Exception(message)
{
    /// <summary>The offending key.</summary>
    public string Key { get; } = key;
}
