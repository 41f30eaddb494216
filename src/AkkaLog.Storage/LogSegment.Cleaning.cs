using AkkaLog.Storage.Internal;

namespace AkkaLog.Storage;

// What the log cleaner needs from a segment: raw reads, the first batch's timestamp, file times, and
// renames between Kafka's suffixes (.cleaned -> .swap -> final, final -> .deleted).
public sealed partial class LogSegment
{
    /// <summary>Path of the .log file under its current name (it changes with <see cref="RenameFiles"/>).</summary>
    internal string LogFilePath => _logPath;

    /// <summary>Max timestamp of the first batch, or -1 (Kafka's <c>getFirstBatchTimestamp</c>).</summary>
    internal long FirstBatchTimestamp => Volatile.Read(ref _rollingBasedTimestamp);

    /// <summary>Last write time of the .log file in Unix milliseconds.</summary>
    internal long LastModifiedMs => new DateTimeOffset(File.GetLastWriteTimeUtc(_logPath)).ToUnixTimeMilliseconds();

    /// <summary>Reads raw bytes at a file position; returns fewer than asked only at the end of the file. Any thread.</summary>
    internal int ReadAt(Span<byte> buffer, long position) => FileIo.ReadAtLeast(_log, buffer, position);

    /// <summary>Sets the .log file's last write time (a cleaned segment keeps its sources' age for retention).</summary>
    internal void SetLastModified(long unixMs) =>
        File.SetLastWriteTimeUtc(_logPath, DateTimeOffset.FromUnixTimeMilliseconds(unixMs).UtcDateTime);

    /// <summary>
    /// Renames the .log, .index and .timeindex files to their plain names followed by <paramref name="suffix"/>
    /// ("" for the final names). Open handles keep working: readers are not disturbed.
    /// </summary>
    internal void RenameFiles(string suffix)
    {
        string logPath = LogFileNames.PathOf(Directory, BaseOffset, LogFileNames.LogSuffix + suffix);
        if (logPath == _logPath) return;
        File.Move(_logPath, logPath, overwrite: true);
        _logPath = logPath;
        _offsetIndex.Rename(LogFileNames.PathOf(Directory, BaseOffset, LogFileNames.IndexSuffix + suffix));
        _timeIndex.Rename(LogFileNames.PathOf(Directory, BaseOffset, LogFileNames.TimeIndexSuffix + suffix));
    }
}
