namespace AkkaLog.Storage.Cleaner;

/// <summary>
/// Broker-wide settings of the <see cref="LogCleaner"/>, named and defaulted as Kafka's <c>log.cleaner.*</c>
/// broker configs are. The per-topic ones (<c>cleanup.policy</c>, <c>min.cleanable.dirty.ratio</c>, the
/// compaction lags, <c>delete.retention.ms</c>) live in <see cref="LogConfig"/>.
/// </summary>
public sealed record CleanerConfig
{
    /// <summary>
    /// <c>log.cleaner.dedupe.buffer.size</c>: memory for the offset map (key hash to latest offset), 24 bytes
    /// per slot. It bounds how many distinct keys one pass can deduplicate; a log with more dirty keys is
    /// cleaned over several passes. Allocated once, on the first pass that cleans something.
    /// </summary>
    public long DedupeBufferSize { get; init; } = 128L * 1024 * 1024;

    /// <summary><c>log.cleaner.io.buffer.load.factor</c>: how full the offset map may get (open addressing).</summary>
    public double DedupeBufferLoadFactor { get; init; } = 0.9;

    /// <summary>
    /// <c>log.cleaner.io.buffer.size</c>: the read buffer and the write buffer each get this much (Kafka splits
    /// it in two); they grow to hold a bigger batch.
    /// </summary>
    public int IoBufferSize { get; init; } = 512 * 1024;

    /// <summary>
    /// <c>log.cleaner.io.max.bytes.per.second</c>: the cleaner sleeps when its reads plus writes go faster than
    /// this. The default is unlimited.
    /// </summary>
    public double MaxIoBytesPerSecond { get; init; } = double.MaxValue;

    /// <summary>
    /// <c>log.cleaner.backoff.ms</c>: how long the host should wait before the next
    /// <see cref="LogCleaner.CleanOnce"/> after a pass that found nothing to clean (after a pass that cleaned
    /// a log, call again at once). The cleaner itself does not wait.
    /// </summary>
    public long BackoffMs { get; init; } = 15_000;

    /// <summary>Kafka's defaults.</summary>
    public static CleanerConfig Default { get; } = new();
}
