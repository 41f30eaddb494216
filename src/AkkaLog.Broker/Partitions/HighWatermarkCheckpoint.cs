using AkkaLog.Storage;

namespace AkkaLog.Broker.Partitions;

/// <summary>
/// Kafka's <c>replication-offset-checkpoint</c>: the high watermark of every hosted partition, one file per
/// log dir in the checkpoint text format (<see cref="CheckpointFile"/>: <c>topic partition offset</c> lines),
/// written every <c>replica.high.watermark.checkpoint.interval.ms</c> and on shutdown. A restarted broker
/// starts each partition's high watermark there (capped at its log end) instead of at its log end, so if it
/// is elected before it has caught up, consumers do not see records that were never committed. Read once at
/// start; a missing or corrupt file means "not known" (the log end, as before checkpoints existed). A replica
/// whose log was created after the start (a new topic, a stale directory replaced) has a log end of 0, so the
/// value read at start, capped there, cannot leak into it.
/// Thread-safe (writes are serialised).
/// </summary>
internal sealed class HighWatermarkCheckpoint
{
    /// <summary>The file's name in each log dir.</summary>
    public const string FileName = "replication-offset-checkpoint";

    private readonly Lock _writeLock = new();
    private readonly Dictionary<TopicPartition, long> _atStart = [];

    /// <summary>Reads the checkpoints of <paramref name="logDirs"/>.</summary>
    public HighWatermarkCheckpoint(IEnumerable<string> logDirs)
    {
        foreach (var dir in logDirs)
            foreach (var (tp, offset) in CheckpointFile.ReadOffsets(Path.Combine(dir, FileName)) ?? [])
                _atStart[tp] = offset;
    }

    /// <summary>The high watermark checkpointed for <paramref name="partition"/> before this start, if any.</summary>
    public long? AtStart(TopicPartition partition) => _atStart.TryGetValue(partition, out long offset) ? offset : null;

    /// <summary>
    /// Writes one file per log dir with an entry for every log there: the high watermark of the hosted partition using
    /// it, else (a log not opened as a replica yet, e.g. before the first metadata arrived) the value read at start, so
    /// an early shutdown does not lose it. Logs deleted meanwhile drop out.
    /// </summary>
    public void Write(IEnumerable<Partition> hosted, LogManager logs)
    {
        lock (_writeLock)
        {
            var byLog = new Dictionary<PartitionLog, long>(ReferenceEqualityComparer.Instance);
            foreach (var p in hosted) byLog[p.Log] = p.HighWatermark;
            var byDir = logs.LogDirs.ToDictionary(d => Path.GetFullPath(d), _ => new List<KeyValuePair<TopicPartition, long>>());
            foreach (var log in logs.Logs)
            {
                long? hw = byLog.TryGetValue(log, out long current) ? current : AtStart(log.TopicPartition);
                if (hw is null || !byDir.TryGetValue(Path.GetFullPath(Path.GetDirectoryName(log.Directory)!), out var entries)) continue;
                entries.Add(KeyValuePair.Create(log.TopicPartition, hw.Value));
            }
            foreach (var (dir, entries) in byDir) CheckpointFile.WriteOffsets(Path.Combine(dir, FileName), entries);
        }
    }
}
