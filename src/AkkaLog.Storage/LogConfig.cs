namespace AkkaLog.Storage;

/// <summary>
/// Per-log settings, named and defaulted as Kafka's topic configs are (<c>segment.bytes</c>,
/// <c>retention.ms</c>, ...). The broker builds one from its HOCON config and topic overrides.
/// </summary>
public sealed record LogConfig
{
    /// <summary><c>segment.bytes</c>: roll when the active segment would grow past this.</summary>
    public int SegmentBytes { get; init; } = 1024 * 1024 * 1024;
    /// <summary><c>segment.ms</c>: roll when the active segment's first batch is older than this.</summary>
    public long SegmentMs { get; init; } = 7L * 24 * 60 * 60 * 1000;
    /// <summary>
    /// <c>retention.ms</c>: delete segments whose newest timestamp is older; -1 keeps forever. Applies only
    /// when <see cref="CleanupPolicy"/> includes <see cref="Storage.CleanupPolicy.Delete"/>.
    /// </summary>
    public long RetentionMs { get; init; } = 7L * 24 * 60 * 60 * 1000;
    /// <summary>
    /// <c>retention.bytes</c>: delete oldest segments while the log is bigger; -1 for no limit. Applies only
    /// when <see cref="CleanupPolicy"/> includes <see cref="Storage.CleanupPolicy.Delete"/>.
    /// </summary>
    public long RetentionBytes { get; init; } = -1;
    /// <summary><c>index.interval.bytes</c>: log bytes between two offset index entries.</summary>
    public int IndexIntervalBytes { get; init; } = 4096;
    /// <summary><c>segment.index.bytes</c>: largest index file; a full index rolls the segment.</summary>
    public int MaxIndexSizeBytes { get; init; } = 10 * 1024 * 1024;
    /// <summary><c>flush.messages</c>: fsync after this many records; the default never does.</summary>
    public long FlushIntervalMessages { get; init; } = long.MaxValue;
    /// <summary><c>flush.ms</c>: fsync when the last one is older than this, checked on append.</summary>
    public long FlushIntervalMs { get; init; } = long.MaxValue;
    /// <summary><c>file.delete.delay.ms</c>: how long a deleted segment's files linger as <c>.deleted</c>.</summary>
    public long FileDeleteDelayMs { get; init; } = 60_000;

    /// <summary>
    /// <c>cleanup.policy</c>: <c>delete</c> (the default) applies retention by time and size;
    /// <c>compact</c> hands the log to the <see cref="Cleaner.LogCleaner"/>, which keeps the latest record
    /// per key; <c>compact,delete</c> does both. See <see cref="ParseCleanupPolicy"/>.
    /// </summary>
    public CleanupPolicy CleanupPolicy { get; init; } = CleanupPolicy.Delete;
    /// <summary>
    /// <c>min.cleanable.dirty.ratio</c>: the cleaner takes a compacted log only when its dirty bytes (after
    /// the cleaner checkpoint, in cleanable segments) are at least this share of its cleanable bytes.
    /// </summary>
    public double MinCleanableDirtyRatio { get; init; } = 0.5;
    /// <summary>
    /// <c>min.compaction.lag.ms</c>: a segment whose newest record is younger than this stays uncompacted
    /// (so consumers see every update for at least this long).
    /// </summary>
    public long MinCompactionLagMs { get; init; }
    /// <summary>
    /// <c>max.compaction.lag.ms</c>: a log whose oldest dirty segment is older than this is cleaned whatever
    /// its dirty ratio; compacted logs also roll their active segment at this age so it becomes cleanable.
    /// </summary>
    public long MaxCompactionLagMs { get; init; } = long.MaxValue;
    /// <summary>
    /// <c>delete.retention.ms</c>: how long a tombstone (null value) outlives its first cleaning, so that a
    /// consumer reading from the start sees the delete. See <see cref="Cleaner.LogCleaner"/> for the rule.
    /// </summary>
    public long DeleteRetentionMs { get; init; } = 24L * 60 * 60 * 1000;

    /// <summary>True when <see cref="CleanupPolicy"/> includes compaction.</summary>
    public bool Compact => (CleanupPolicy & CleanupPolicy.Compact) != 0;

    /// <summary>True when <see cref="CleanupPolicy"/> includes retention by time and size.</summary>
    public bool Delete => (CleanupPolicy & CleanupPolicy.Delete) != 0;

    /// <summary>
    /// The age at which the active segment rolls: <see cref="SegmentMs"/>, or <see cref="MaxCompactionLagMs"/>
    /// when that is shorter and the log is compacted (Kafka's <c>LogConfig.maxSegmentMs</c>).
    /// </summary>
    public long MaxSegmentMs => Compact && MaxCompactionLagMs > 0 ? Math.Min(SegmentMs, MaxCompactionLagMs) : SegmentMs;

    /// <summary>Kafka's defaults.</summary>
    public static LogConfig Default { get; } = new();

    /// <summary>
    /// Parses a <c>cleanup.policy</c> value as Kafka writes it: a comma-separated list of <c>delete</c> and
    /// <c>compact</c> (either order, blanks ignored); an empty list means neither.
    /// </summary>
    public static CleanupPolicy ParseCleanupPolicy(string value)
    {
        var policy = CleanupPolicy.None;
        foreach (var part in value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            policy |= part switch
            {
                "delete" => CleanupPolicy.Delete,
                "compact" => CleanupPolicy.Compact,
                _ => throw new FormatException($"cleanup.policy '{value}': '{part}' is neither delete nor compact"),
            };
        }
        return policy;
    }
}

/// <summary>Kafka's <c>cleanup.policy</c>: which of retention and compaction a log gets.</summary>
[Flags]
public enum CleanupPolicy
{
    /// <summary>Neither: the log keeps everything (Kafka allows an empty list).</summary>
    None = 0,
    /// <summary><c>delete</c>: retention by time and size removes old segments.</summary>
    Delete = 1,
    /// <summary><c>compact</c>: the log cleaner keeps the latest record per key.</summary>
    Compact = 2,
}
