namespace AkkaLog.Client;

/// <summary>
/// Consumer settings: the shared <see cref="ClientConfig"/> keys plus the consumer's, with the Java
/// client's names and defaults (Kafka 4.x): auto.offset.reset=latest, enable.auto.commit=true every
/// 5000 ms, session.timeout.ms=45000, heartbeat.interval.ms=3000, max.poll.interval.ms=300000,
/// partition.assignment.strategy=range,cooperative-sticky, fetch.max.wait.ms=500. Two librdkafka keys
/// are added for the Confluent-style API: enable.auto.offset.store and enable.partition.eof.
/// </summary>
public sealed class ConsumerConfig : ClientConfig
{
    /// <summary>Creates an empty consumer configuration.</summary>
    public ConsumerConfig() : base(ConfigScope.Consumer) { }

    /// <summary>Creates a consumer configuration from <paramref name="values"/> (validated key by key).</summary>
    public ConsumerConfig(IEnumerable<KeyValuePair<string, string>> values) : base(ConfigScope.Consumer)
    {
        foreach (var (k, v) in values) Set(k, v);
    }

    /// <summary><c>group.id</c> (no default; required for Subscribe and commits).</summary>
    public string? GroupId { get => this["group.id"]; set => Set("group.id", value); }

    /// <summary><c>group.instance.id</c>: static membership when set (default unset).</summary>
    public string? GroupInstanceId { get => this["group.instance.id"]; set => Set("group.instance.id", value); }

    /// <summary><c>auto.offset.reset</c> (default latest).</summary>
    public AutoOffsetReset AutoOffsetReset
    {
        get => Get("auto.offset.reset") switch { "earliest" => AutoOffsetReset.Earliest, "none" => AutoOffsetReset.Error, _ => AutoOffsetReset.Latest };
        set => Set("auto.offset.reset", value switch { AutoOffsetReset.Earliest => "earliest", AutoOffsetReset.Error => "none", _ => "latest" });
    }

    /// <summary><c>enable.auto.commit</c> (default true).</summary>
    public bool EnableAutoCommit { get => GetBool("enable.auto.commit"); set => SetBool("enable.auto.commit", value); }

    /// <summary><c>auto.commit.interval.ms</c> (default 5000).</summary>
    public int AutoCommitIntervalMs { get => GetInt("auto.commit.interval.ms"); set => SetInt("auto.commit.interval.ms", value); }

    /// <summary><c>enable.auto.offset.store</c> (default true): false means only <c>StoreOffset</c> decides what auto-commit commits.</summary>
    public bool EnableAutoOffsetStore { get => GetBool("enable.auto.offset.store"); set => SetBool("enable.auto.offset.store", value); }

    /// <summary><c>session.timeout.ms</c> (default 45000).</summary>
    public int SessionTimeoutMs { get => GetInt("session.timeout.ms"); set => SetInt("session.timeout.ms", value); }

    /// <summary><c>heartbeat.interval.ms</c> (default 3000).</summary>
    public int HeartbeatIntervalMs { get => GetInt("heartbeat.interval.ms"); set => SetInt("heartbeat.interval.ms", value); }

    /// <summary><c>max.poll.interval.ms</c> (default 300000).</summary>
    public int MaxPollIntervalMs { get => GetInt("max.poll.interval.ms"); set => SetInt("max.poll.interval.ms", value); }

    /// <summary><c>partition.assignment.strategy</c>: comma-separated range, roundrobin, cooperative-sticky (default "range,cooperative-sticky").</summary>
    public string PartitionAssignmentStrategy
    {
        get => Get("partition.assignment.strategy")!;
        set => Set("partition.assignment.strategy", value);
    }

    /// <summary><c>fetch.min.bytes</c> (default 1).</summary>
    public int FetchMinBytes { get => GetInt("fetch.min.bytes"); set => SetInt("fetch.min.bytes", value); }

    /// <summary><c>fetch.max.bytes</c> (default 52428800).</summary>
    public int FetchMaxBytes { get => GetInt("fetch.max.bytes"); set => SetInt("fetch.max.bytes", value); }

    /// <summary><c>max.partition.fetch.bytes</c> (default 1048576).</summary>
    public int MaxPartitionFetchBytes { get => GetInt("max.partition.fetch.bytes"); set => SetInt("max.partition.fetch.bytes", value); }

    /// <summary><c>fetch.max.wait.ms</c> (default 500).</summary>
    public int FetchMaxWaitMs { get => GetInt("fetch.max.wait.ms"); set => SetInt("fetch.max.wait.ms", value); }

    /// <summary><c>isolation.level</c> (default read_uncommitted).</summary>
    public IsolationLevel IsolationLevel
    {
        get => Get("isolation.level") == "read_committed" ? IsolationLevel.ReadCommitted : IsolationLevel.ReadUncommitted;
        set => Set("isolation.level", value == IsolationLevel.ReadCommitted ? "read_committed" : "read_uncommitted");
    }

    /// <summary><c>check.crcs</c> (default true).</summary>
    public bool CheckCrcs { get => GetBool("check.crcs"); set => SetBool("check.crcs", value); }

    /// <summary><c>enable.partition.eof</c> (default false).</summary>
    public bool EnablePartitionEof { get => GetBool("enable.partition.eof"); set => SetBool("enable.partition.eof", value); }

    /// <summary><c>allow.auto.create.topics</c> (default true): subscribing to a missing topic asks the broker to create it.</summary>
    public bool AllowAutoCreateTopics { get => GetBool("allow.auto.create.topics"); set => SetBool("allow.auto.create.topics", value); }

    /// <summary><c>default.api.timeout.ms</c> (default 60000): the limit of Commit, Close and other blocking calls without a timeout argument.</summary>
    public int DefaultApiTimeoutMs { get => GetInt("default.api.timeout.ms"); set => SetInt("default.api.timeout.ms", value); }

    /// <summary>The assignor names of <see cref="PartitionAssignmentStrategy"/>, most preferred first.</summary>
    internal string[] AssignorNames => SplitList(PartitionAssignmentStrategy);

    internal override void ValidateForBuild()
    {
        base.ValidateForBuild();
        // Java's rule: heartbeats must come well within the session, or a healthy member gets expelled.
        if (HeartbeatIntervalMs >= SessionTimeoutMs)
            throw new ArgumentException($"heartbeat.interval.ms ({HeartbeatIntervalMs}) must be lower than session.timeout.ms ({SessionTimeoutMs})",
                "heartbeat.interval.ms");
        if (GroupInstanceId is { } instance && string.IsNullOrWhiteSpace(instance))
            throw new ArgumentException("group.instance.id must not be blank", "group.instance.id");
    }
}
