namespace AkkaLog.Broker.Config;

/// <summary>
/// One configuration key: its Kafka name, type, default, limits and documentation. Broker keys
/// may name the topic-level key they provide the default for (<see cref="TopicSynonym"/>).
/// </summary>
public sealed record ConfigKey(string Name, ConfigType Type, string? Default, string Doc)
{
    /// <summary>Smallest accepted numeric value.</summary>
    public double? Min { get; init; }
    /// <summary>Largest accepted numeric value.</summary>
    public double? Max { get; init; }
    /// <summary>Accepted values for strings and list items (case-sensitive, as Kafka).</summary>
    public IReadOnlyList<string>? ValidValues { get; init; }
    /// <summary>For a broker key: the topic-level key whose default it supplies.</summary>
    public string? TopicSynonym { get; init; }
    /// <summary>False for keys that only take effect at start-up.</summary>
    public bool Dynamic { get; init; }
}
