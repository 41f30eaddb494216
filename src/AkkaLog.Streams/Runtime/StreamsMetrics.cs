namespace AkkaLog.Streams;

/// <summary>Counters of a running application, readable from any thread.</summary>
public sealed class StreamsMetrics
{
    private long _processed, _dropped, _restored, _loaded, _commits, _skipped, _wiped;

    /// <summary>Input records processed (all tasks).</summary>
    public long ProcessedRecords => Interlocked.Read(ref _processed);

    /// <summary>Records dropped because every window they belong to had closed (past the grace period).</summary>
    public long DroppedLateRecords => Interlocked.Read(ref _dropped);

    /// <summary>Changelog records replayed into stores while restoring.</summary>
    public long RestoredRecords => Interlocked.Read(ref _restored);

    /// <summary>Entries persistent stores read back from their local files.</summary>
    public long LoadedFromLocalRecords => Interlocked.Read(ref _loaded);

    /// <summary>Completed commits.</summary>
    public long Commits => Interlocked.Read(ref _commits);

    /// <summary>Records skipped because they did not deserialize (with SkipBadRecords).</summary>
    public long SkippedRecords => Interlocked.Read(ref _skipped);

    /// <summary>
    /// Store partitions whose local state was dropped at restore because their checkpoint lay outside the
    /// changelog (deleted and recreated, e.g. by an application reset); they were restored in full instead.
    /// </summary>
    public long WipedStores => Interlocked.Read(ref _wiped);

    internal void AddProcessed(long n) => Interlocked.Add(ref _processed, n);
    internal void AddDroppedLate() => Interlocked.Increment(ref _dropped);
    internal void AddRestored(long n) => Interlocked.Add(ref _restored, n);
    internal void AddLoaded(long n) => Interlocked.Add(ref _loaded, n);
    internal void AddCommit() => Interlocked.Increment(ref _commits);
    internal void AddSkippedRecord() => Interlocked.Increment(ref _skipped);
    internal void AddWiped(long n) => Interlocked.Add(ref _wiped, n);
}
