namespace AkkaLog.Broker.Config;

/// <summary>
/// Topic-level keys (what CreateTopics, DescribeConfigs and AlterConfigs speak). Each one's
/// default comes from the broker key that names it as <see cref="ConfigKey.TopicSynonym"/>.
/// </summary>
public static class TopicConfigKeys
{
    /// <summary>Topic keys by name, each paired with its broker synonym.</summary>
    public static IReadOnlyDictionary<string, (ConfigKey Key, ConfigKey BrokerKey)> All { get; } = Build();

    private static Dictionary<string, (ConfigKey, ConfigKey)> Build()
    {
        var result = new Dictionary<string, (ConfigKey, ConfigKey)>();
        foreach (var broker in BrokerConfigKeys.All.Values)
        {
            if (broker.TopicSynonym is null) continue;
            var topicKey = broker with { Name = broker.TopicSynonym, TopicSynonym = null, Default = null, Min = broker.Min, Dynamic = true };
            if (topicKey.Name is "retention.ms" or "segment.ms" or "flush.ms") topicKey = topicKey with { Min = topicKey.Name == "retention.ms" ? -1 : 0 };
            result[topicKey.Name] = (topicKey, broker);
        }
        return result;
    }
}
