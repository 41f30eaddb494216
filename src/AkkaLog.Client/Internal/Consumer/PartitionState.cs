namespace AkkaLog.Client.Internal.Consumer;

/// <summary>Where an assigned partition's position comes from while it is not known.</summary>
internal enum PositionSource
{
    /// <summary>The position is known: <see cref="PartitionState.Position"/>.</summary>
    Known,
    /// <summary>The group's committed offset, else auto.offset.reset.</summary>
    Committed,
    /// <summary>ListOffsets earliest (-2).</summary>
    Earliest,
    /// <summary>ListOffsets latest (-1).</summary>
    Latest,
    /// <summary>auto.offset.reset=none with nothing to go by: an error for Consume.</summary>
    None,
}

/// <summary>
/// One assigned partition. Two threads touch it: the fetcher (background) and the consumer thread.
/// Fields under "table lock" change only while holding <see cref="PartitionTable.Sync"/>. The
/// position is the consumer thread's: it advances it record by record without the lock, which is safe
/// because the fetcher writes it only while <see cref="Source"/> is not Known, when no fetched data
/// for the partition exists (an offset reset bumps <see cref="Epoch"/> and drops that data first).
/// </summary>
internal sealed class PartitionState(TopicPartition topicPartition)
{
    public TopicPartition TopicPartition { get; } = topicPartition;

    public string Topic => TopicPartition.Topic;

    public int Partition => TopicPartition.Partition.Value;

    // --- table lock ---

    /// <summary>Known, or how to find the position.</summary>
    public PositionSource Source;

    /// <summary>The next offset to fetch: past everything fetched so far (buffered or handed out).</summary>
    public long FetchOffset;

    /// <summary>Bumped by a seek or reset: fetched data and answers of an older epoch are dropped.</summary>
    public int Epoch;

    /// <summary>Paused by the application: neither fetched nor handed out.</summary>
    public bool Paused;

    /// <summary>A Fetch or an offset lookup for it is outstanding.</summary>
    public bool InFlight;

    /// <summary>Fetched responses waiting in the table for the consumer thread.</summary>
    public int Buffered;

    /// <summary>Not to be fetched again before this tick (Environment.TickCount64) after an error.</summary>
    public long RetryAtTicks;

    /// <summary>From the last Fetch response: high watermark, last stable offset, log start (-1 unknown).</summary>
    public long HighWatermark = -1, LastStableOffset = -1, LogStartOffset = -1;

    /// <summary>A non-retriable error for Consume to throw; fetching stops until a seek.</summary>
    public KafkaException? Error;

    /// <summary>Consume has thrown <see cref="Error"/> once already.</summary>
    public bool ErrorReported;

    /// <summary>No longer assigned; anything in flight for it is dropped.</summary>
    public bool Removed;

    // --- consumer thread ---

    /// <summary>The offset of the next record to hand out (-1 unknown).</summary>
    public long Position = -1;

    /// <summary>The offset auto-commit will commit (-1 none): set per record with enable.auto.offset.store, else by StoreOffset.</summary>
    public long Stored = -1;

    /// <summary>The last offset known committed by this consumer (-1 none), so auto-commit skips unchanged partitions.</summary>
    public long Committed = -1;

    /// <summary>An EOF result was handed out at the current position.</summary>
    public bool EofReported;

    /// <summary>True when the fetcher may send a Fetch for it now (call under the table lock).</summary>
    public bool IsFetchable(long now, int maxBuffered) =>
        !Removed && Source == PositionSource.Known && !Paused && !InFlight && Error is null && Buffered < maxBuffered && now >= RetryAtTicks;
}
