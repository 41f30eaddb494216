using System.Collections.Concurrent;
using AkkaLog.Storage.Internal;
using Microsoft.Extensions.Logging;

namespace AkkaLog.Storage;

/// <summary>
/// Owns the log directories (<c>log.dirs</c>) and every <see cref="PartitionLog"/> in them. On open it loads
/// each <c>&lt;topic&gt;-&lt;partition&gt;</c> directory, recovering from each dir's
/// <c>recovery-point-offset-checkpoint</c> unless the dir holds a <c>.kafka_cleanshutdown</c> marker, which
/// it then removes; it also finishes interrupted deletions (<c>*-delete</c> directories). New logs go to the
/// directory holding the fewest partitions. <see cref="CheckpointAll"/> writes each dir's
/// <c>recovery-point-offset-checkpoint</c> and <c>log-start-offset-checkpoint</c> (see
/// <see cref="CheckpointFile"/>); <see cref="Close"/> flushes and closes every log, checkpoints, and writes the
/// clean-shutdown markers last, so a crash at any earlier point means recovery on the next start.
/// Threads: the methods here are control-plane and serialised by a lock; each log has its own owner.
/// </summary>
public sealed class LogManager : IDisposable
{
    /// <summary>Marker file present only after a clean shutdown.</summary>
    public const string CleanShutdownFile = ".kafka_cleanshutdown";
    /// <summary>Per-directory recovery point checkpoint.</summary>
    public const string RecoveryPointCheckpointFile = "recovery-point-offset-checkpoint";
    /// <summary>Per-directory log start offset checkpoint.</summary>
    public const string LogStartOffsetCheckpointFile = "log-start-offset-checkpoint";
    private const string DeleteDirSuffix = "-delete";
    private const string StraySuffix = "-stray";

    private readonly ConcurrentDictionary<TopicPartition, (PartitionLog Log, string LogDir)> _logs = new();
    private readonly Lock _lock = new();
    private readonly TimeProvider _time;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger _logger;
    private bool _closed;

    private LogManager(IReadOnlyList<string> logDirs, LogConfig defaultConfig, TimeProvider time, ILoggerFactory loggerFactory)
    {
        LogDirs = logDirs;
        DefaultConfig = defaultConfig;
        _time = time;
        _loggerFactory = loggerFactory;
        _logger = loggerFactory.CreateLogger<LogManager>();
    }

    /// <summary>The log directories, as given.</summary>
    public IReadOnlyList<string> LogDirs { get; }

    /// <summary>Config for logs loaded from disk unless <c>configFor</c> says otherwise.</summary>
    public LogConfig DefaultConfig { get; }

    /// <summary>Every loaded log.</summary>
    public IReadOnlyCollection<PartitionLog> Logs => _logs.Values.Select(v => v.Log).ToList();

    /// <summary>
    /// Creates the directories if needed and loads every partition log in them. <paramref name="configFor"/>
    /// supplies per-topic configs (defaults to <paramref name="defaultConfig"/>).
    /// </summary>
    public static LogManager Open(IReadOnlyList<string> logDirs, LogConfig defaultConfig, TimeProvider time,
        ILoggerFactory loggerFactory, Func<TopicPartition, LogConfig>? configFor = null)
    {
        if (logDirs.Count == 0) throw new ArgumentException("at least one log dir is needed", nameof(logDirs));
        var manager = new LogManager(logDirs, defaultConfig, time, loggerFactory);
        foreach (var dir in logDirs) manager.LoadDir(dir, configFor ?? (_ => defaultConfig));
        return manager;
    }

    /// <summary>The log of a partition, or null if this broker has none.</summary>
    public PartitionLog? GetLog(TopicPartition topicPartition) =>
        _logs.TryGetValue(topicPartition, out var entry) ? entry.Log : null;

    /// <summary>Returns the partition's log, creating it (in the least loaded dir) with <paramref name="config"/> if absent.</summary>
    public PartitionLog GetOrCreateLog(TopicPartition topicPartition, LogConfig config)
    {
        if (_logs.TryGetValue(topicPartition, out var existing)) return existing.Log;
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_closed, this);
            if (_logs.TryGetValue(topicPartition, out existing)) return existing.Log;
            string logDir = LogDirs.OrderBy(d => _logs.Values.Count(v => v.LogDir == d)).First();
            var log = PartitionLog.Open(Path.Combine(logDir, topicPartition.DirectoryName), topicPartition, config, _time,
                _loggerFactory.CreateLogger<PartitionLog>(), recoveryPoint: 0, hadCleanShutdown: true);
            _logs[topicPartition] = (log, logDir);
            return log;
        }
    }

    /// <summary>
    /// Returns the log of a partition of the topic <paramref name="topicId"/>, checking the directory's
    /// <see cref="PartitionMetadataFile"/>: a directory without one (written before topic ids were recorded)
    /// gets it; one naming another topic id is stale (the topic was deleted and recreated under the same name
    /// while this broker was down) and is deleted, and a new empty log takes its place, to be filled by
    /// replication; one whose file cannot be read is renamed aside to <c>&lt;dir&gt;.&lt;uuid&gt;-stray</c>
    /// (kept, never loaded again) and replaced the same way.
    /// </summary>
    public PartitionLog GetOrCreateLog(TopicPartition topicPartition, LogConfig config, Guid topicId)
    {
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_closed, this);
            if (_logs.TryGetValue(topicPartition, out var existing))
            {
                var state = PartitionMetadataFile.Read(existing.Log.Directory, out var storedId, out string? problem);
                if (state == PartitionMetadataFile.State.Missing || (state == PartitionMetadataFile.State.Present && storedId == topicId))
                {
                    if (state == PartitionMetadataFile.State.Missing) PartitionMetadataFile.Write(existing.Log.Directory, topicId);
                    return existing.Log;
                }
                if (state == PartitionMetadataFile.State.Present)
                {
                    StorageLog.StaleLogDeleted(_logger, topicPartition, PartitionMetadataFile.ToKafkaString(storedId), PartitionMetadataFile.ToKafkaString(topicId));
                    DeleteLog(topicPartition);
                }
                else
                {
                    _logs.TryRemove(topicPartition, out _);
                    existing.Log.CloseForDeletion();
                    string aside = Path.Combine(existing.LogDir, topicPartition.DirectoryName + "." + Guid.NewGuid().ToString("N") + StraySuffix);
                    Directory.Move(existing.Log.Directory, aside);
                    StorageLog.UnreadablePartitionMetadata(_logger, topicPartition, problem ?? "", aside);
                    CheckpointDir(existing.LogDir);
                }
            }
            var log = GetOrCreateLog(topicPartition, config);
            PartitionMetadataFile.Write(log.Directory, topicId);
            return log;
        }
    }

    /// <summary>
    /// Deletes a partition's log: closes it, renames its directory to
    /// <c>&lt;topic&gt;-&lt;partition&gt;.&lt;uuid&gt;-delete</c> (so a crash part way leaves nothing that loads
    /// as a log), deletes that, and rewrites the checkpoints. False if there was no such log.
    /// </summary>
    public bool DeleteLog(TopicPartition topicPartition)
    {
        lock (_lock)
        {
            if (!_logs.TryRemove(topicPartition, out var entry)) return false;
            entry.Log.CloseForDeletion();
            string deleteDir = Path.Combine(entry.LogDir,
                topicPartition.DirectoryName + "." + Guid.NewGuid().ToString("N") + DeleteDirSuffix);
            Directory.Move(entry.Log.Directory, deleteDir);
            Directory.Delete(deleteDir, recursive: true);
            StorageLog.LogDeleted(_logger, topicPartition);
            CheckpointDir(entry.LogDir);
            return true;
        }
    }

    /// <summary>Writes every dir's recovery point and log start offset checkpoints.</summary>
    public void CheckpointAll()
    {
        lock (_lock)
        {
            foreach (var dir in LogDirs) CheckpointDir(dir);
        }
    }

    /// <summary>Flushes and closes every log, checkpoints, then marks each dir cleanly shut down.</summary>
    public void Close()
    {
        lock (_lock)
        {
            if (_closed) return;
            _closed = true;
            foreach (var (log, _) in _logs.Values) log.Close();
            foreach (var dir in LogDirs)
            {
                CheckpointDir(dir);
                File.WriteAllBytes(Path.Combine(dir, CleanShutdownFile), []);
                FileIo.FlushDirectory(dir);
            }
        }
    }

    /// <inheritdoc />
    public void Dispose() => Close();

    private void LoadDir(string dir, Func<TopicPartition, LogConfig> configFor)
    {
        Directory.CreateDirectory(dir);
        string marker = Path.Combine(dir, CleanShutdownFile);
        bool clean = File.Exists(marker);
        var recoveryPoints = ReadCheckpoint(Path.Combine(dir, RecoveryPointCheckpointFile));
        var logStartOffsets = ReadCheckpoint(Path.Combine(dir, LogStartOffsetCheckpointFile));
        // Without recovery points a "clean" marker cannot be trusted to say where recovery may start.
        if (recoveryPoints is null) clean = false;
        int loaded = 0;
        foreach (var partitionDir in Directory.EnumerateDirectories(dir))
        {
            string name = Path.GetFileName(partitionDir);
            if (name.EndsWith(DeleteDirSuffix, StringComparison.Ordinal))
            {
                Directory.Delete(partitionDir, recursive: true);
                continue;
            }
            if (!TopicPartition.TryParseDirectoryName(name, out var topicPartition))
            {
                StorageLog.UnknownDirectory(_logger, partitionDir);
                continue;
            }
            if (_logs.ContainsKey(topicPartition))
                throw new InvalidOperationException($"{topicPartition} is in more than one log dir");
            long recoveryPoint = recoveryPoints?.GetValueOrDefault(topicPartition) ?? 0;
            long logStartOffset = logStartOffsets?.GetValueOrDefault(topicPartition) ?? 0;
            var log = PartitionLog.Open(partitionDir, topicPartition, configFor(topicPartition), _time,
                _loggerFactory.CreateLogger<PartitionLog>(), recoveryPoint, clean, logStartOffset);
            _logs[topicPartition] = (log, dir);
            loaded++;
        }
        // Removed only once every log is loaded: a crash during loading recovers again.
        File.Delete(marker);
        FileIo.FlushDirectory(dir);
        StorageLog.LogDirLoaded(_logger, dir, loaded, clean);
    }

    private Dictionary<TopicPartition, long>? ReadCheckpoint(string path)
    {
        var offsets = CheckpointFile.ReadOffsets(path);
        if (offsets is null) StorageLog.CheckpointCorrupt(_logger, path);
        return offsets;
    }

    private void CheckpointDir(string dir)
    {
        var logs = _logs.Values.Where(v => v.LogDir == dir).Select(v => v.Log).ToList();
        CheckpointFile.WriteOffsets(Path.Combine(dir, RecoveryPointCheckpointFile),
            logs.Select(l => KeyValuePair.Create(l.TopicPartition, l.RecoveryPoint)));
        CheckpointFile.WriteOffsets(Path.Combine(dir, LogStartOffsetCheckpointFile),
            logs.Select(l => KeyValuePair.Create(l.TopicPartition, l.LogStartOffset)));
    }
}
