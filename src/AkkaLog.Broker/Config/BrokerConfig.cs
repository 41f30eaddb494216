using System.Globalization;

namespace AkkaLog.Broker.Config;

/// <summary>
/// The broker's validated configuration: Kafka key names mapped to canonical string values, with
/// typed accessors for what the broker reads. Construct with <see cref="From"/>; unknown keys and
/// bad values throw <see cref="ConfigException"/> naming the key.
/// </summary>
public sealed class BrokerConfig
{
    private readonly Dictionary<string, string> _values;

    private BrokerConfig(Dictionary<string, string> values) => _values = values;

    /// <summary>
    /// Builds a configuration from (key, value) pairs with Kafka names (dots). Keys outside
    /// <see cref="BrokerConfigKeys.All"/> are rejected. <paramref name="describeSource"/> may say
    /// where a key was set (file and line) for error messages.
    /// </summary>
    public static BrokerConfig From(IEnumerable<KeyValuePair<string, string?>> settings, Func<string, string?>? describeSource = null)
    {
        var values = new Dictionary<string, string>();
        foreach (var (name, raw) in settings)
        {
            if (raw is null) continue;
            if (!BrokerConfigKeys.All.TryGetValue(name, out var key))
            {
                string where = describeSource?.Invoke(name) is { } w ? $" ({w})" : "";
                throw new ConfigException(name, $"unknown configuration '{name}'{where}");
            }
            values[name] = ConfigValues.Normalize(key, raw, describeSource?.Invoke(name));
        }
        return new BrokerConfig(values);
    }

    /// <summary>Every default, no overrides.</summary>
    public static BrokerConfig Defaults { get; } = From([]);

    /// <summary>The effective value of a key (its override or default), or null if neither.</summary>
    public string? Get(string name) => _values.TryGetValue(name, out var v) ? v : BrokerConfigKeys.DefaultOf(name);

    /// <summary>True when the key was set explicitly.</summary>
    public bool IsSet(string name) => _values.ContainsKey(name);

    /// <summary>A copy with some keys changed (validated).</summary>
    public BrokerConfig With(params (string Key, string Value)[] changes)
    {
        var merged = new Dictionary<string, string?>(_values.Select(kv => KeyValuePair.Create(kv.Key, (string?)kv.Value)));
        foreach (var (k, v) in changes) merged[k] = v;
        return From(merged);
    }

    private long Long(string name) => long.Parse(Get(name)!, CultureInfo.InvariantCulture);
    private int Int(string name) => int.Parse(Get(name)!, CultureInfo.InvariantCulture);
    private bool Bool(string name) => Get(name) == "true";
    private IReadOnlyList<string> List(string name) =>
        Get(name) is { Length: > 0 } v ? v.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries) : [];

    /// <summary>node.id, or broker.id when set.</summary>
    public int NodeId => IsSet("broker.id") ? Int("broker.id") : Int("node.id");
    /// <summary>broker.rack or null.</summary>
    public string? Rack => Get("broker.rack");
    /// <summary>Configured cluster id or null.</summary>
    public string? ClusterId => Get("cluster.id");
    /// <summary>listeners.</summary>
    public IReadOnlyList<string> Listeners => List("listeners");
    /// <summary>advertised.listeners, falling back to listeners.</summary>
    public IReadOnlyList<string> AdvertisedListeners => IsSet("advertised.listeners") ? List("advertised.listeners") : Listeners;
    /// <summary>log.dirs.</summary>
    public IReadOnlyList<string> LogDirs => List("log.dirs");
    /// <summary>num.partitions.</summary>
    public int NumPartitions => Int("num.partitions");
    /// <summary>default.replication.factor.</summary>
    public int DefaultReplicationFactor => Int("default.replication.factor");
    /// <summary>auto.create.topics.enable.</summary>
    public bool AutoCreateTopics => Bool("auto.create.topics.enable");
    /// <summary>delete.topic.enable.</summary>
    public bool DeleteTopicEnable => Bool("delete.topic.enable");
    /// <summary>socket.request.max.bytes.</summary>
    public int SocketRequestMaxBytes => Int("socket.request.max.bytes");
    /// <summary>fetch.max.bytes.</summary>
    public int FetchMaxBytes => Int("fetch.max.bytes");
    /// <summary>log.retention.check.interval.ms.</summary>
    public long RetentionCheckIntervalMs => Long("log.retention.check.interval.ms");
    /// <summary>log.flush.offset.checkpoint.interval.ms.</summary>
    public long CheckpointIntervalMs => Long("log.flush.offset.checkpoint.interval.ms");
    /// <summary>max.partitions (AkkaLog only).</summary>
    public int MaxPartitions => Int("max.partitions");
    /// <summary>admin.http.listener (host:port) or null when the admin API is off.</summary>
    public string? AdminHttpListener => Get("admin.http.listener") is { Length: > 0 } v ? v : null;
    /// <summary>The log cleaner's broker-wide settings (log.cleaner.*).</summary>
    public AkkaLog.Storage.Cleaner.CleanerConfig Cleaner => new()
    {
        DedupeBufferSize = Long("log.cleaner.dedupe.buffer.size"),
        MaxIoBytesPerSecond = double.Parse(Get("log.cleaner.io.max.bytes.per.second")!, CultureInfo.InvariantCulture),
        BackoffMs = Long("log.cleaner.backoff.ms"),
    };
    /// <summary>log.cleaner.enable.</summary>
    public bool CleanerEnabled => Bool("log.cleaner.enable");
    /// <summary>metadata.store is etcd (a multi-broker cluster).</summary>
    public bool UsesEtcd => Get("metadata.store") == "etcd";
    /// <summary>etcd.endpoints.</summary>
    public IReadOnlyList<string> EtcdEndpoints => List("etcd.endpoints");
    /// <summary>broker.session.timeout.ms.</summary>
    public int SessionTimeoutMs => Int("broker.session.timeout.ms");
    /// <summary>broker.heartbeat.interval.ms.</summary>
    public int HeartbeatIntervalMs => Int("broker.heartbeat.interval.ms");
    /// <summary>replica.high.watermark.checkpoint.interval.ms.</summary>
    public long HighWatermarkCheckpointIntervalMs => Long("replica.high.watermark.checkpoint.interval.ms");
    /// <summary>replica.lag.time.max.ms.</summary>
    public long ReplicaLagTimeMaxMs => Long("replica.lag.time.max.ms");
    /// <summary>unclean.leader.election.enable (the broker default; topics may override).</summary>
    public bool UncleanLeaderElection => Bool("unclean.leader.election.enable");
    /// <summary>auto.leader.rebalance.enable.</summary>
    public bool AutoLeaderRebalance => Bool("auto.leader.rebalance.enable");
    /// <summary>leader.imbalance.check.interval.seconds.</summary>
    public long LeaderImbalanceCheckIntervalSeconds => Long("leader.imbalance.check.interval.seconds");
    /// <summary>offsets.commit.timeout.ms.</summary>
    public int OffsetsCommitTimeoutMs => Int("offsets.commit.timeout.ms");
    /// <summary>The replica fetchers' settings (replica.fetch.*).</summary>
    internal Replication.ReplicaFetcherSettings ReplicaFetcher => new(NodeId, Int("replica.fetch.wait.max.ms"), Int("replica.fetch.max.bytes"),
        Int("replica.fetch.response.max.bytes"), Int("replica.fetch.backoff.ms"), Int("replica.socket.timeout.ms"));
    /// <summary>shutdown.timeout.ms.</summary>
    public long ShutdownTimeoutMs => Long("shutdown.timeout.ms");

    /// <summary>
    /// The broker's default for a topic-level key, following Kafka's fallback chains
    /// (retention.ms ← log.retention.ms ← minutes ← hours; segment.ms ← log.roll.ms ← hours).
    /// </summary>
    public string? TopicDefault(string topicKey)
    {
        switch (topicKey)
        {
            case "retention.ms":
                if (IsSet("log.retention.ms")) return Get("log.retention.ms");
                if (IsSet("log.retention.minutes")) return Scale(Long("log.retention.minutes"), 60_000);
                return Scale(Long("log.retention.hours"), 3_600_000);
            case "segment.ms":
                return IsSet("log.roll.ms") ? Get("log.roll.ms") : Scale(Long("log.roll.hours"), 3_600_000);
            case "flush.ms":
                return Get("log.flush.interval.ms") ?? long.MaxValue.ToString(CultureInfo.InvariantCulture);
            default:
                return TopicConfigKeys.All.TryGetValue(topicKey, out var pair) ? Get(pair.BrokerKey.Name) : null;
        }
    }

    private static string Scale(long value, long factor) =>
        (value < 0 ? -1 : value * factor).ToString(CultureInfo.InvariantCulture);

    /// <summary>The explicitly set keys (for logging the effective configuration).</summary>
    public IReadOnlyDictionary<string, string> Overrides => _values;
}
