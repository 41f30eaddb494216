using AkkaLog.Protocol.Records;
using AkkaLog.Storage.Internal;
using Microsoft.Extensions.Logging;

namespace AkkaLog.Storage;

/// <summary>
/// The log of one partition replica (Kafka's UnifiedLog): an ordered run of <see cref="LogSegment"/>s in
/// <c>&lt;log dir&gt;/&lt;topic&gt;-&lt;partition&gt;/</c>, the last one active, plus the
/// <see cref="LeaderEpochCache"/>. The leader's <see cref="Append"/> assigns offsets by stamping each
/// batch's baseOffset and partitionLeaderEpoch in place (both outside the CRC) and writes the bytes
/// unchanged; <see cref="Read"/> serves them back byte for byte.
/// <para>
/// Offsets: <see cref="LogStartOffset"/> is the first readable offset, <see cref="LogEndOffset"/> the next
/// to assign. The high watermark is the broker's business, passed into <see cref="Read"/> as a bound.
/// </para>
/// <para>
/// Written versus durable: an append is readable (and survives a process crash) when it returns; it is
/// durable against power loss only after <see cref="Flush"/>, which advances <see cref="RecoveryPoint"/>.
/// Flushes happen per <see cref="LogConfig.FlushIntervalMessages"/>/<see cref="LogConfig.FlushIntervalMs"/>,
/// by default never: as in Kafka, durability comes from replication. After an unclean shutdown
/// <see cref="Open"/> recovers every segment from the recovery point on (see <see cref="LogSegment.Recover"/>)
/// and deletes the segments after a truncated one.
/// </para>
/// <para>
/// Threads: one owner (the partition actor) calls everything except <see cref="Read"/>,
/// <see cref="FindOffsetByTimestamp"/> and the offset properties, which any thread may call concurrently:
/// they work from the published segment array and end offsets, never see a partial batch, and answer
/// OffsetOutOfRange (or retry) when retention deletes a segment under them. The
/// <see cref="Cleaner.LogCleaner"/> works on its own thread: it reads inactive segments and swaps cleaned
/// copies in (see <see cref="ReplaceSegments"/>). Every change to the segment array, by the owner or the
/// cleaner, happens under one lock, so neither loses the other's change; the swap also checks that the
/// segments it cleaned are still exactly there. Close and delete wait for a running clean of this log to stop.
/// </para>
/// </summary>
public sealed partial class PartitionLog
{
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly LeaderEpochCache _epochs;
    private readonly List<(LogSegment Segment, long DueMs)> _pendingDeletes = []; // under _segmentsLock
    private readonly Lock _segmentsLock = new();
    private LogSegment[] _segments;
    private LogSegment _active;
    private long _logStartOffset;
    private long _logEndOffset;
    private long _recoveryPoint;
    private long _unflushedMessages;
    private long _lastFlushMs;
    private volatile bool _closed;
    private volatile bool _closeRequested;

    private PartitionLog(string directory, TopicPartition topicPartition, LogConfig config, TimeProvider time, ILogger logger,
        LogSegment[] segments, LeaderEpochCache epochs, long logStartOffset)
    {
        Directory = directory;
        TopicPartition = topicPartition;
        Config = config;
        _time = time;
        _logger = logger;
        _segments = segments;
        _active = segments[^1];
        _epochs = epochs;
        _logStartOffset = logStartOffset;
        _logEndOffset = _active.NextOffset;
        _recoveryPoint = _logEndOffset;
        _lastFlushMs = NowMs;
    }

    /// <summary>The partition directory.</summary>
    public string Directory { get; private set; }

    /// <summary>The partition this log stores.</summary>
    public TopicPartition TopicPartition { get; }

    /// <summary>Settings; the owner may replace them (topic config change), taking effect on the next append.</summary>
    public LogConfig Config { get; set; }

    /// <summary>First readable offset. Any thread.</summary>
    public long LogStartOffset => Volatile.Read(ref _logStartOffset);

    /// <summary>Offset the next appended record gets. Any thread.</summary>
    public long LogEndOffset => Volatile.Read(ref _logEndOffset);

    /// <summary>Offsets below this are fsynced; recovery after a crash starts here. Any thread.</summary>
    public long RecoveryPoint => Volatile.Read(ref _recoveryPoint);

    /// <summary>The leader epoch history.</summary>
    public LeaderEpochCache LeaderEpochs => _epochs;

    /// <summary>A snapshot of the segments, oldest first. Any thread.</summary>
    public IReadOnlyList<LogSegment> Segments => Volatile.Read(ref _segments);

    // The same snapshot as an array, for the cleaner.
    internal LogSegment[] SegmentArray => Volatile.Read(ref _segments);

    /// <summary>Bytes in all segments. Any thread.</summary>
    public long Size
    {
        get
        {
            long size = 0;
            foreach (var segment in Volatile.Read(ref _segments)) size += segment.Size;
            return size;
        }
    }

    private long NowMs => _time.GetUtcNow().ToUnixTimeMilliseconds();

    /// <summary>
    /// Appends one or more whole batches that the caller has validated, as the leader: stamps baseOffset
    /// (from <see cref="LogEndOffset"/>) and <paramref name="leaderEpoch"/> into each batch in place, and if
    /// <paramref name="logAppendTimeMs"/> is given marks them LogAppendTime with that timestamp (which
    /// rewrites the CRC); rolls first if needed; writes the span with one call. Owner only.
    /// </summary>
    public LogAppendInfo Append(Span<byte> batches, int leaderEpoch, long? logAppendTimeMs)
    {
        ThrowIfClosed();
        long firstOffset = _logEndOffset, next = firstOffset, maxTimestamp = -1, offsetOfMaxTimestamp = -1;
        int records = 0;
        for (int at = 0; at < batches.Length;)
        {
            var batch = batches[at..];
            if (batch.Length < RecordBatchHeader.Size) ThrowHelpers.ThrowNotWholeBatches();
            var header = RecordBatchHeader.Read(batch);
            if (header.TotalSize > batch.Length || header.BatchLength < RecordBatchHeader.Size - RecordBatchHeader.LogOverhead)
                ThrowHelpers.ThrowNotWholeBatches();
            batch = batch[..header.TotalSize];
            RecordBatchHeader.SetBaseOffset(batch, next);
            RecordBatchHeader.SetPartitionLeaderEpoch(batch, leaderEpoch);
            long batchMaxTimestamp = header.MaxTimestamp;
            if (logAppendTimeMs is long appendTime)
            {
                RecordBatchHeader.SetLogAppendTime(batch, appendTime);
                batchMaxTimestamp = appendTime;
            }
            if (batchMaxTimestamp > maxTimestamp)
            {
                maxTimestamp = batchMaxTimestamp;
                offsetOfMaxTimestamp = next + header.LastOffsetDelta;
            }
            records += header.RecordsCount;
            next += header.LastOffsetDelta + 1L;
            at += header.TotalSize;
        }
        if (batches.Length == 0) ThrowHelpers.ThrowNotWholeBatches();

        MaybeRoll(batches.Length, firstOffset, next - 1, maxTimestamp);
        if (leaderEpoch > _epochs.LatestEpoch) _epochs.Assign(leaderEpoch, firstOffset);
        _active.Append(batches);
        Volatile.Write(ref _logEndOffset, next);
        MaybeFlush(records);
        return new LogAppendInfo(firstOffset, next - 1, maxTimestamp, offsetOfMaxTimestamp, logAppendTimeMs ?? -1, records,
            batches.Length);
    }

    /// <summary>
    /// Appends batches fetched from the leader as they are, offsets and epochs included. The first base
    /// offset must be at or above <see cref="LogEndOffset"/> and offsets must increase. Owner only.
    /// </summary>
    public LogAppendInfo AppendAsFollower(ReadOnlySpan<byte> batches)
    {
        ThrowIfClosed();
        if (batches.Length < RecordBatchHeader.Size) ThrowHelpers.ThrowNotWholeBatches();
        long firstOffset = RecordBatchHeader.ReadLogEntryPrefix(batches).BaseOffset;
        long next = _logEndOffset, maxTimestamp = -1, offsetOfMaxTimestamp = -1;
        int records = 0;
        for (int at = 0; at < batches.Length;)
        {
            if (batches.Length - at < RecordBatchHeader.Size) ThrowHelpers.ThrowNotWholeBatches();
            var header = RecordBatchHeader.Read(batches[at..]);
            if (header.TotalSize > batches.Length - at) ThrowHelpers.ThrowNotWholeBatches();
            if (header.BaseOffset < next)
                throw new InvalidOperationException($"{TopicPartition}: follower append at offset {header.BaseOffset} is below {next}");
            if (header.PartitionLeaderEpoch > _epochs.LatestEpoch) _epochs.Assign(header.PartitionLeaderEpoch, header.BaseOffset);
            if (header.MaxTimestamp > maxTimestamp)
            {
                maxTimestamp = header.MaxTimestamp;
                offsetOfMaxTimestamp = header.LastOffset;
            }
            records += header.RecordsCount;
            next = header.NextOffset;
            at += header.TotalSize;
        }
        MaybeRoll(batches.Length, firstOffset, next - 1, maxTimestamp);
        _active.Append(batches);
        Volatile.Write(ref _logEndOffset, next);
        MaybeFlush(records);
        return new LogAppendInfo(firstOffset, next - 1, maxTimestamp, offsetOfMaxTimestamp, -1, records, batches.Length);
    }

    /// <summary>Starts a new active segment at <see cref="LogEndOffset"/> unless the active one is empty. Owner only.</summary>
    public void Roll()
    {
        ThrowIfClosed();
        if (_active.Size > 0) RollAt(_logEndOffset);
    }

    /// <summary>fsyncs every segment written since the last flush and moves <see cref="RecoveryPoint"/> to the log end. Owner only.</summary>
    public void Flush()
    {
        ThrowIfClosed();
        long end = _logEndOffset;
        lock (_segmentsLock)
        {
            // Under the lock: the cleaner may otherwise delete a segment of this snapshot while it is flushed.
            foreach (var segment in _segments) segment.Flush();
        }
        Volatile.Write(ref _recoveryPoint, end);
        _unflushedMessages = 0;
        _lastFlushMs = NowMs;
    }

    /// <summary>
    /// Flushes, writes the indexes out and closes every file. Waits for a clean of this log in progress to
    /// stop (it does at its next batch and leaves nothing behind). Owner only; idempotent.
    /// </summary>
    public void Close()
    {
        if (_closed) return;
        _closeRequested = true;
        lock (_cleanerLock)
        lock (_segmentsLock)
        {
            Flush();
            _closed = true;
            foreach (var segment in _segments) segment.Close();
            DeletePendingSegments(long.MaxValue);
        }
    }

    /// <summary>Closes every file without flushing and deletes the partition directory. Owner only.</summary>
    public void Delete()
    {
        CloseForDeletion();
        System.IO.Directory.Delete(Directory, recursive: true);
    }

    internal void CloseForDeletion()
    {
        _closeRequested = true;
        lock (_cleanerLock)
        lock (_segmentsLock)
        {
            _closed = true;
            foreach (var segment in _segments) segment.Dispose();
            foreach (var (segment, _) in _pendingDeletes) segment.Dispose();
            _pendingDeletes.Clear();
        }
    }

    /// <inheritdoc />
    public override string ToString() =>
        $"PartitionLog({TopicPartition}, start={LogStartOffset}, end={LogEndOffset}, segments={Segments.Count})";

    private void MaybeRoll(int appendBytes, long firstOffset, long lastOffset, long maxTimestamp)
    {
        if (_active.ShouldRoll(Config, appendBytes, lastOffset, maxTimestamp, NowMs)) RollAt(firstOffset);
    }

    private void RollAt(long baseOffset)
    {
        _active.OnBecomeInactive();
        var segment = LogSegment.Create(Directory, baseOffset, Config, NowMs);
        lock (_segmentsLock) Volatile.Write(ref _segments, [.. _segments, segment]);
        _active = segment;
        StorageLog.SegmentRolled(_logger, TopicPartition, baseOffset);
    }

    private void MaybeFlush(int records)
    {
        _unflushedMessages += records;
        var config = Config;
        if (_unflushedMessages >= config.FlushIntervalMessages
            || (config.FlushIntervalMs != long.MaxValue && NowMs - _lastFlushMs >= config.FlushIntervalMs))
            Flush();
    }

    private void ThrowIfClosed()
    {
        if (_closed) ThrowHelpers.ThrowClosed(TopicPartition);
    }
}
