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
    /// <summary><c>retention.ms</c>: delete segments whose newest timestamp is older; -1 keeps forever.</summary>
    public long RetentionMs { get; init; } = 7L * 24 * 60 * 60 * 1000;
    /// <summary><c>retention.bytes</c>: delete oldest segments while the log is bigger; -1 for no limit.</summary>
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

    /// <summary>Kafka's defaults.</summary>
    public static LogConfig Default { get; } = new();
}
