using AkkaLog.Storage.Internal;
using Microsoft.Extensions.Logging;

namespace AkkaLog.Storage.Cleaner;

/// <summary>
/// The <c>cleaner-offset-checkpoint</c> of each log dir, Kafka's file of that name in the
/// <see cref="CheckpointFile"/> format: per partition, the offset up to which the log has been cleaned, so
/// that the dirty ratio and the tombstone rule survive a restart. Loaded on first use of a dir; written
/// (atomically, fsynced) after every completed pass, with only the partitions the caller still passes in, so
/// entries of deleted logs fall away. A corrupt file is logged and treated as empty: every log then counts as
/// wholly dirty, which costs a clean but loses nothing. Cleaner thread only.
/// </summary>
internal sealed class CleanerCheckpoints(ILogger logger)
{
    /// <summary>The file name in each log dir.</summary>
    public const string FileName = "cleaner-offset-checkpoint";

    private readonly Dictionary<string, Dictionary<TopicPartition, long>> _byDir = new(StringComparer.Ordinal);

    /// <summary>The log dir holding a partition directory.</summary>
    public static string LogDirOf(PartitionLog log) =>
        Path.GetDirectoryName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(log.Directory)))!;

    /// <summary>The checkpoint of <paramref name="log"/>, or null if none was recorded.</summary>
    public long? Get(PartitionLog log) =>
        Dir(LogDirOf(log)).TryGetValue(log.TopicPartition, out long offset) ? offset : null;

    /// <summary>
    /// Records <paramref name="offset"/> for <paramref name="log"/> and rewrites its dir's file, keeping only
    /// the partitions of <paramref name="live"/> that are in that dir.
    /// </summary>
    public void Set(PartitionLog log, long offset, IEnumerable<PartitionLog> live)
    {
        string logDir = LogDirOf(log);
        var entries = Dir(logDir);
        entries[log.TopicPartition] = offset;
        var keep = live.Where(l => LogDirOf(l) == logDir).Select(l => l.TopicPartition).ToHashSet();
        keep.Add(log.TopicPartition);
        foreach (var stale in entries.Keys.Where(tp => !keep.Contains(tp)).ToList()) entries.Remove(stale);
        var ordered = entries.OrderBy(e => e.Key.Topic, StringComparer.Ordinal).ThenBy(e => e.Key.Partition);
        CheckpointFile.WriteOffsets(Path.Combine(logDir, FileName), ordered);
    }

    private Dictionary<TopicPartition, long> Dir(string logDir)
    {
        if (_byDir.TryGetValue(logDir, out var entries)) return entries;
        string path = Path.Combine(logDir, FileName);
        var read = CheckpointFile.ReadOffsets(path);
        if (read is null) StorageLog.CheckpointCorrupt(logger, path);
        entries = read ?? [];
        _byDir[logDir] = entries;
        return entries;
    }
}
