namespace AkkaLog.Streams;

/// <summary>What an application promises about each input record's effect.</summary>
public enum ProcessingGuarantee
{
    /// <summary>
    /// Offsets are committed only after the outputs and changelog writes before them were acknowledged:
    /// after a crash, records since the last commit are processed again (their effect may count twice, never zero times).
    /// </summary>
    AtLeastOnce,

    /// <summary>Not available yet: needs broker transactions. Choosing it fails at start.</summary>
    ExactlyOnce,
}

/// <summary>Settings of a <see cref="StreamsApp"/>, named after Kafka Streams' where one exists.</summary>
public sealed class StreamsConfig
{
    /// <summary>application.id: the consumer group id and the prefix of internal topics. Required.</summary>
    public string ApplicationId { get; set; } = "";

    /// <summary>bootstrap.servers. Required.</summary>
    public string BootstrapServers { get; set; } = "";

    /// <summary>state.dir: where persistent stores and checkpoints live (one folder per application and task).</summary>
    public string StateDir { get; set; } = Path.Combine(Path.GetTempPath(), "akkalog-streams");

    /// <summary>commit.interval.ms: how often outputs are flushed and offsets committed.</summary>
    public int CommitIntervalMs { get; set; } = 1000;

    /// <summary>buffered.records.per.partition: a partition is paused once this many of its records wait.</summary>
    public int BufferedRecordsPerPartition { get; set; } = 1000;

    /// <summary>max.task.idle.ms: how long a task with several inputs waits for an empty one before processing the others (keeps joins in time order).</summary>
    public int MaxTaskIdleMs { get; set; } = 500;

    /// <summary>processing.guarantee.</summary>
    public ProcessingGuarantee ProcessingGuarantee { get; set; } = ProcessingGuarantee.AtLeastOnce;

    /// <summary>replication.factor of internal topics (-1: the broker's default).</summary>
    public short ReplicationFactor { get; set; } = -1;

    /// <summary>Skip (and count) records whose key or value fails to deserialize instead of stopping the application.</summary>
    public bool SkipBadRecords { get; set; }

    /// <summary>Extra consumer settings (Kafka names), applied over the defaults.</summary>
    public Dictionary<string, string> Consumer { get; } = [];

    /// <summary>Extra producer settings (Kafka names), applied over the defaults.</summary>
    public Dictionary<string, string> Producer { get; } = [];

    /// <summary>Where the application's log lines go (none when null).</summary>
    public Action<string>? Log { get; set; }

    internal void Validate()
    {
        if (string.IsNullOrWhiteSpace(ApplicationId)) throw new ArgumentException("application.id is required");
        if (ApplicationId.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-')))
            throw new ArgumentException($"application.id '{ApplicationId}' may only hold ASCII letters, digits, '.', '_' and '-'");
        if (string.IsNullOrWhiteSpace(BootstrapServers)) throw new ArgumentException("bootstrap.servers is required");
        if (CommitIntervalMs <= 0) throw new ArgumentException($"commit.interval.ms must be positive, got {CommitIntervalMs}");
        if (BufferedRecordsPerPartition <= 0) throw new ArgumentException($"buffered.records.per.partition must be positive, got {BufferedRecordsPerPartition}");
        if (MaxTaskIdleMs < 0) throw new ArgumentException($"max.task.idle.ms must not be negative, got {MaxTaskIdleMs}");
        if (ProcessingGuarantee == ProcessingGuarantee.ExactlyOnce)
            throw new NotSupportedException("processing.guarantee exactly-once needs transactions, which the broker does not offer yet: use AtLeastOnce");
    }
}
