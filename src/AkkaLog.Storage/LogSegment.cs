using AkkaLog.Protocol.Records;
using AkkaLog.Storage.Internal;
using Microsoft.Win32.SafeHandles;

namespace AkkaLog.Storage;

/// <summary>
/// One segment of a partition log: <c>&lt;20-digit base offset&gt;.log</c> holding record batches
/// back to back exactly as appended, beside its <see cref="OffsetIndex"/> (<c>.index</c>) and
/// <see cref="TimeIndex"/> (<c>.timeindex</c>). Batches arrive validated with their offsets stamped;
/// the segment writes them with one positional write, indexes the first batch after every
/// <see cref="LogConfig.IndexIntervalBytes"/> bytes, and then publishes the new <see cref="Size"/>.
/// <para>
/// Written versus durable: an append is in the page cache when it returns and survives a process crash;
/// it survives a power loss only after <see cref="Flush"/>. After an unclean shutdown the owning log runs
/// <see cref="Recover"/>, which validates every batch, truncates at the first torn or corrupt one and
/// rebuilds both indexes.
/// </para>
/// <para>
/// Threads: one owner appends, flushes, truncates and closes. Reads (<see cref="Read"/>,
/// <see cref="TranslateOffset"/>, <see cref="FindOffsetByTimestamp"/>) may run on any thread at the same
/// time; they never look past the <see cref="Size"/> they read first, which always ends on a batch
/// boundary. A read that races with the segment's deletion fails with <see cref="ObjectDisposedException"/>.
/// </para>
/// </summary>
public sealed partial class LogSegment : IDisposable
{
    private readonly SafeFileHandle _log;
    private readonly OffsetIndex _offsetIndex;
    private readonly TimeIndex _timeIndex;
    private readonly int _indexIntervalBytes;
    private readonly long _createdMs;
    private string _logPath;
    private long _size;
    private long _nextOffset;
    private long _maxTimestamp = -1;
    private long _offsetOfMaxTimestamp;
    private long _rollingBasedTimestamp = -1;
    private int _bytesSinceLastIndexEntry;
    private bool _dirty;

    private LogSegment(string directory, long baseOffset, SafeFileHandle log, OffsetIndex offsetIndex, TimeIndex timeIndex,
        LogConfig config, long nowMs)
    {
        Directory = directory;
        BaseOffset = baseOffset;
        _log = log;
        _offsetIndex = offsetIndex;
        _timeIndex = timeIndex;
        _indexIntervalBytes = config.IndexIntervalBytes;
        _createdMs = nowMs;
        _logPath = LogFileNames.PathOf(directory, baseOffset, LogFileNames.LogSuffix);
        _nextOffset = baseOffset;
        _offsetOfMaxTimestamp = baseOffset;
    }

    /// <summary>The partition directory holding the segment's files.</summary>
    public string Directory { get; }

    /// <summary>Offset of the segment's first batch; its files are named after it.</summary>
    public long BaseOffset { get; }

    /// <summary>Published bytes in the .log file; always a batch boundary. Any thread.</summary>
    public long Size => Volatile.Read(ref _size);

    /// <summary>Offset after the last batch (the base offset when empty). Any thread.</summary>
    public long NextOffset => Volatile.Read(ref _nextOffset);

    /// <summary>Largest batch max timestamp in the segment, or -1. Any thread.</summary>
    public long MaxTimestamp => Volatile.Read(ref _maxTimestamp);

    /// <summary>Retention's notion of the segment's age: its max timestamp, else the file's modification time.</summary>
    public long LargestTimestamp
    {
        get
        {
            long max = MaxTimestamp;
            return max >= 0 ? max : new DateTimeOffset(File.GetLastWriteTimeUtc(_logPath)).ToUnixTimeMilliseconds();
        }
    }

    /// <summary>The segment's offset index.</summary>
    public OffsetIndex OffsetIndex => _offsetIndex;

    /// <summary>The segment's time index.</summary>
    public TimeIndex TimeIndex => _timeIndex;

    /// <summary>Creates an empty segment, replacing any files of that base offset.</summary>
    public static LogSegment Create(string directory, long baseOffset, LogConfig config, long nowMs) =>
        Create(directory, baseOffset, config, nowMs, fileSuffix: "");

    // Creates an empty segment whose files carry an extra suffix (the cleaner writes ".cleaned" files).
    internal static LogSegment Create(string directory, long baseOffset, LogConfig config, long nowMs, string fileSuffix)
    {
        string logPath = LogFileNames.PathOf(directory, baseOffset, LogFileNames.LogSuffix + fileSuffix);
        var log = FileIo.OpenShared(logPath, FileMode.Create);
        var offsetIndex = OffsetIndex.Create(LogFileNames.PathOf(directory, baseOffset, LogFileNames.IndexSuffix + fileSuffix),
            baseOffset, config.MaxIndexSizeBytes);
        var timeIndex = TimeIndex.Create(LogFileNames.PathOf(directory, baseOffset, LogFileNames.TimeIndexSuffix + fileSuffix),
            baseOffset, config.MaxIndexSizeBytes);
        return new LogSegment(directory, baseOffset, log, offsetIndex, timeIndex, config, nowMs) { _logPath = logPath };
    }

    /// <summary>
    /// Whether an append of <paramref name="appendBytes"/> bytes ending at <paramref name="lastOffset"/>
    /// must go to a new segment: it would pass <see cref="LogConfig.SegmentBytes"/>, the segment is older
    /// than <see cref="LogConfig.MaxSegmentMs"/>, an index is full, or an offset would not fit the indexes'
    /// 32-bit relative offsets. Age is Kafka's: the append's max timestamp minus the first batch's, or
    /// wall-clock time since creation when the segment has no timestamps. An empty segment never rolls.
    /// </summary>
    public bool ShouldRoll(LogConfig config, int appendBytes, long lastOffset, long appendMaxTimestamp, long nowMs)
    {
        if (_size == 0) return false;
        long waited = _rollingBasedTimestamp >= 0 && appendMaxTimestamp >= 0
            ? appendMaxTimestamp - _rollingBasedTimestamp
            : nowMs - _createdMs;
        return _size > config.SegmentBytes - (long)appendBytes
            || waited > config.MaxSegmentMs
            || _offsetIndex.IsFull
            || _timeIndex.IsFull
            || lastOffset - BaseOffset > int.MaxValue;
    }

    /// <summary>
    /// Appends whole, offset-stamped batches with one write, indexes them, then publishes the new size
    /// and next offset. Owner only.
    /// </summary>
    public void Append(ReadOnlySpan<byte> batches)
    {
        long position = _size;
        RandomAccess.Write(_log, batches, position);
        long next = _nextOffset;
        for (int at = 0; at < batches.Length;)
        {
            var header = RecordBatchHeader.Read(batches[at..]);
            IndexBatch(header, position + at);
            next = header.NextOffset;
            at += header.TotalSize;
        }
        _dirty = true;
        Volatile.Write(ref _nextOffset, next);
        Volatile.Write(ref _size, position + batches.Length);
    }

    /// <summary>Called when a new segment takes over: records the final max timestamp and writes the indexes out.</summary>
    public void OnBecomeInactive()
    {
        if (_maxTimestamp >= 0) _timeIndex.MaybeAppend(_maxTimestamp, _offsetOfMaxTimestamp);
        _offsetIndex.WriteOut();
        _timeIndex.WriteOut();
    }

    /// <summary>fsyncs the log and both indexes if anything changed since the last flush. Owner only.</summary>
    public void Flush()
    {
        if (!_dirty) return;
        RandomAccess.FlushToDisk(_log);
        _offsetIndex.Flush();
        _timeIndex.Flush();
        _dirty = false;
    }

    /// <summary>
    /// Removes every batch from the one containing <paramref name="offset"/> on (the file is cut at that
    /// batch's position) and the index entries pointing there. Returns the bytes removed. Owner only.
    /// </summary>
    public long TruncateTo(long offset)
    {
        long size = _size;
        long position = TranslateOffset(offset, out var header);
        if (position < 0) return 0;
        _offsetIndex.TruncateTo(header.BaseOffset);
        _timeIndex.TruncateTo(header.BaseOffset);
        RandomAccess.SetLength(_log, position);
        Volatile.Write(ref _size, position);
        RescanAfterTruncate(position);
        _dirty = true;
        return size - position;
    }

    /// <summary>Renames the files to their <c>.deleted</c> names; open handles keep serving readers.</summary>
    public void RenameToDeleted() => RenameFiles(LogFileNames.DeletedSuffix);

    /// <summary>Closes the files and deletes them.</summary>
    public void Delete()
    {
        _log.Dispose();
        File.Delete(_logPath);
        _offsetIndex.Delete();
        _timeIndex.Delete();
    }

    /// <summary>Writes the indexes out (with the final time index entry) and closes every file.</summary>
    public void Close()
    {
        if (!_log.IsClosed)
        {
            OnBecomeInactive();
            Flush();
        }
        Dispose();
    }

    /// <summary>Closes the files without writing anything.</summary>
    public void Dispose()
    {
        _log.Dispose();
        _offsetIndex.Dispose();
        _timeIndex.Dispose();
    }

    /// <inheritdoc />
    public override string ToString() => $"LogSegment(base={BaseOffset}, size={Size}, next={NextOffset})";

    // Kafka's LogSegment.append loop: index the first batch after each interval by its last offset.
    private void IndexBatch(in RecordBatchHeader header, long position)
    {
        if (header.MaxTimestamp > _maxTimestamp)
        {
            _offsetOfMaxTimestamp = header.LastOffset;
            Volatile.Write(ref _maxTimestamp, header.MaxTimestamp);
        }
        if (position == 0) _rollingBasedTimestamp = header.MaxTimestamp;
        if (_bytesSinceLastIndexEntry > _indexIntervalBytes)
        {
            _offsetIndex.Append(header.LastOffset, (int)position);
            _timeIndex.MaybeAppend(_maxTimestamp, _offsetOfMaxTimestamp);
            _bytesSinceLastIndexEntry = 0;
        }
        _bytesSinceLastIndexEntry += header.TotalSize;
    }
}
