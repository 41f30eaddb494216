using System.Globalization;
using AkkaLog.Protocol.Records;
using AkkaLog.Storage;

namespace AkkaLog.Broker.Config;

/// <summary>
/// A topic's effective settings: its overrides on top of the broker's defaults, resolved once
/// when the topic is loaded or altered, so the produce path reads fields, not dictionaries.
/// </summary>
public sealed class TopicSettings
{
    private TopicSettings(Func<string, string> get)
    {
        long L(string k) => long.Parse(get(k), CultureInfo.InvariantCulture);
        int I(string k) => int.Parse(get(k), CultureInfo.InvariantCulture);
        MaxMessageBytes = I("max.message.bytes");
        TimestampType = get("message.timestamp.type") == "LogAppendTime" ? TimestampType.LogAppendTime : TimestampType.CreateTime;
        var policy = get("cleanup.policy").Split(',', StringSplitOptions.TrimEntries);
        Compact = policy.Contains("compact");
        Delete = policy.Contains("delete");
        MinInsyncReplicas = I("min.insync.replicas");
        UncleanLeaderElection = get("unclean.leader.election.enable") == "true";
        Log = new LogConfig
        {
            SegmentBytes = I("segment.bytes"),
            SegmentMs = L("segment.ms"),
            RetentionMs = Delete ? L("retention.ms") : -1,
            RetentionBytes = Delete ? L("retention.bytes") : -1,
            IndexIntervalBytes = I("index.interval.bytes"),
            MaxIndexSizeBytes = I("segment.index.bytes"),
            FlushIntervalMessages = L("flush.messages"),
            FlushIntervalMs = L("flush.ms"),
            FileDeleteDelayMs = L("file.delete.delay.ms"),
            CleanupPolicy = (Compact ? CleanupPolicy.Compact : CleanupPolicy.None) | (Delete ? CleanupPolicy.Delete : CleanupPolicy.None),
            MinCleanableDirtyRatio = double.Parse(get("min.cleanable.dirty.ratio"), CultureInfo.InvariantCulture),
            MinCompactionLagMs = L("min.compaction.lag.ms"),
            MaxCompactionLagMs = L("max.compaction.lag.ms"),
            DeleteRetentionMs = L("delete.retention.ms"),
        };
    }

    /// <summary>max.message.bytes: the largest batch accepted.</summary>
    public int MaxMessageBytes { get; }
    /// <summary>message.timestamp.type.</summary>
    public TimestampType TimestampType { get; }
    /// <summary>cleanup.policy includes compact (records need keys).</summary>
    public bool Compact { get; }
    /// <summary>cleanup.policy includes delete (retention applies).</summary>
    public bool Delete { get; }
    /// <summary>min.insync.replicas.</summary>
    public int MinInsyncReplicas { get; }
    /// <summary>unclean.leader.election.enable.</summary>
    public bool UncleanLeaderElection { get; }
    /// <summary>The storage-level part.</summary>
    public LogConfig Log { get; }

    /// <summary>Resolves a topic's overrides against the broker's defaults.</summary>
    public static TopicSettings Resolve(BrokerConfig broker, IReadOnlyDictionary<string, string> overrides) =>
        new(key => overrides.TryGetValue(key, out var v) ? v : broker.TopicDefault(key)
            ?? throw new InvalidOperationException($"no default for topic config {key}"));

    /// <summary>
    /// Validates topic-level overrides (CreateTopics, AlterConfigs), returning them normalized.
    /// Throws <see cref="ConfigException"/> naming the first bad key.
    /// </summary>
    public static Dictionary<string, string> Validate(IEnumerable<KeyValuePair<string, string?>> configs)
    {
        var result = new Dictionary<string, string>();
        foreach (var (name, value) in configs)
        {
            if (!TopicConfigKeys.All.TryGetValue(name, out var pair))
                throw new ConfigException(name, $"unknown topic configuration '{name}'");
            if (value is null) throw new ConfigException(name, $"topic configuration '{name}' needs a value");
            result[name] = ConfigValues.Normalize(pair.Key, value);
        }
        return result;
    }
}
