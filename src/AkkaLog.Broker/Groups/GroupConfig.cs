using AkkaLog.Broker.Config;

namespace AkkaLog.Broker.Groups;

/// <summary>The group coordinator's settings, read once from the broker configuration.</summary>
public sealed record GroupConfig
{
    /// <summary>group.min.session.timeout.ms.</summary>
    public int MinSessionTimeoutMs { get; init; } = 6000;
    /// <summary>group.max.session.timeout.ms.</summary>
    public int MaxSessionTimeoutMs { get; init; } = 1_800_000;
    /// <summary>group.initial.rebalance.delay.ms.</summary>
    public int InitialRebalanceDelayMs { get; init; } = 3000;
    /// <summary>group.max.size.</summary>
    public int MaxSize { get; init; } = int.MaxValue;
    /// <summary>offsets.topic.num.partitions.</summary>
    public int OffsetsTopicPartitions { get; init; } = 50;
    /// <summary>offsets.retention.minutes, in milliseconds.</summary>
    public long OffsetsRetentionMs { get; init; } = 7L * 24 * 60 * 60 * 1000;
    /// <summary>offsets.retention.check.interval.ms.</summary>
    public long OffsetsRetentionCheckIntervalMs { get; init; } = 600_000;
    /// <summary>offset.metadata.max.bytes.</summary>
    public int OffsetMetadataMaxBytes { get; init; } = 4096;

    /// <summary>Reads the settings from the broker configuration.</summary>
    public static GroupConfig From(BrokerConfig config)
    {
        int I(string k) => int.Parse(config.Get(k)!, System.Globalization.CultureInfo.InvariantCulture);
        long L(string k) => long.Parse(config.Get(k)!, System.Globalization.CultureInfo.InvariantCulture);
        return new GroupConfig
        {
            MinSessionTimeoutMs = I("group.min.session.timeout.ms"),
            MaxSessionTimeoutMs = I("group.max.session.timeout.ms"),
            InitialRebalanceDelayMs = I("group.initial.rebalance.delay.ms"),
            MaxSize = I("group.max.size"),
            OffsetsTopicPartitions = I("offsets.topic.num.partitions"),
            OffsetsRetentionMs = L("offsets.retention.minutes") * 60_000,
            OffsetsRetentionCheckIntervalMs = L("offsets.retention.check.interval.ms"),
            OffsetMetadataMaxBytes = I("offset.metadata.max.bytes"),
        };
    }
}
