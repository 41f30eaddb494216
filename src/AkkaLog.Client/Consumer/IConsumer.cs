namespace AkkaLog.Client;

/// <summary>
/// Reads records from partitions: either given ones (<see cref="Assign(IEnumerable{TopicPartition})"/>) or
/// a share of a subscription decided by the consumer group (<see cref="Subscribe(IEnumerable{string})"/>,
/// needs group.id). Not thread-safe: call it from one thread at a time (the "consumer thread"); rebalance
/// handlers run on that thread, inside Consume. Fetching runs in the background and keeps the next
/// fetch in flight while records are being processed. Retriable errors (a leader moving, the coordinator
/// loading) are retried internally; others surface as <see cref="KafkaException"/> with the Kafka error code.
/// </summary>
/// <typeparam name="TKey">Key type.</typeparam>
/// <typeparam name="TValue">Value type.</typeparam>
public interface IConsumer<TKey, TValue> : IDisposable
{
    /// <summary>The client id, or a generated name when client.id is empty.</summary>
    string Name { get; }

    /// <summary>The member id the group coordinator gave this consumer (empty outside a group).</summary>
    string MemberId { get; }

    /// <summary>The partitions currently assigned.</summary>
    IReadOnlyList<TopicPartition> Assignment { get; }

    /// <summary>The topics subscribed to (empty when partitions were assigned manually).</summary>
    IReadOnlyList<string> Subscription { get; }

    /// <summary>Subscribes to one topic, replacing the current subscription.</summary>
    void Subscribe(string topic);

    /// <summary>Subscribes to <paramref name="topics"/>, replacing the current subscription; the group decides who reads which partition.</summary>
    void Subscribe(IEnumerable<string> topics);

    /// <summary>Drops the subscription: revokes the partitions (committing first with auto-commit) and leaves the group.</summary>
    void Unsubscribe();

    /// <summary>Reads <paramref name="partitions"/> from the committed offsets (or auto.offset.reset), replacing the current assignment.</summary>
    void Assign(IEnumerable<TopicPartition> partitions);

    /// <summary>
    /// Reads each partition from the given offset, replacing the current assignment; <see cref="Offset.Beginning"/>,
    /// <see cref="Offset.End"/> and <see cref="Offset.Stored"/> (or <see cref="Offset.Unset"/>: the committed offset) are allowed.
    /// </summary>
    void Assign(IEnumerable<TopicPartitionOffset> partitions);

    /// <summary>Removes every assigned partition.</summary>
    void Unassign();

    /// <summary>The next record, waiting up to <paramref name="timeout"/>; null when none arrived in time.</summary>
    ConsumeResult<TKey, TValue>? Consume(TimeSpan timeout);

    /// <summary>The next record, waiting until one arrives; throws <see cref="OperationCanceledException"/> when cancelled.</summary>
    ConsumeResult<TKey, TValue> Consume(CancellationToken cancellationToken);

    /// <summary>Every record as it arrives, until <paramref name="cancellationToken"/> is cancelled (the enumeration then ends quietly).</summary>
    IAsyncEnumerable<ConsumeResult<TKey, TValue>> ConsumeAllAsync(CancellationToken cancellationToken);

    /// <summary>Continues an assigned partition at <paramref name="position"/> (special offsets allowed), dropping anything fetched for it already.</summary>
    void Seek(TopicPartitionOffset position);

    /// <summary>Stops fetching <paramref name="partitions"/> and handing out their records; their positions stay.</summary>
    void Pause(IEnumerable<TopicPartition> partitions);

    /// <summary>Undoes <see cref="Pause"/>.</summary>
    void Resume(IEnumerable<TopicPartition> partitions);

    /// <summary>Commits the current position of every assigned partition, synchronously; returns what was committed.</summary>
    List<TopicPartitionOffset> Commit();

    /// <summary>Commits <paramref name="offsets"/> (the offset of the next record to read) synchronously.</summary>
    void Commit(IEnumerable<TopicPartitionOffset> offsets);

    /// <summary>Commits <paramref name="result"/>'s offset + 1 synchronously.</summary>
    void Commit(ConsumeResult<TKey, TValue> result);

    /// <summary>Commits <paramref name="offsets"/>, or the current positions when null, without blocking the caller.</summary>
    Task CommitAsync(IEnumerable<TopicPartitionOffset>? offsets = null, CancellationToken cancellationToken = default);

    /// <summary>Stores <paramref name="result"/>'s offset + 1 for the next auto-commit (use with enable.auto.offset.store=false).</summary>
    void StoreOffset(ConsumeResult<TKey, TValue> result);

    /// <summary>The group's committed offsets for <paramref name="partitions"/> (<see cref="Offset.Unset"/> where none).</summary>
    List<TopicPartitionOffset> Committed(IEnumerable<TopicPartition> partitions, TimeSpan timeout);

    /// <summary>The offset of the next record Consume will return from <paramref name="partition"/>, or <see cref="Offset.Unset"/> when not known yet.</summary>
    Offset Position(TopicPartition partition);

    /// <summary>Asks the partition's leader for its log start offset and high watermark.</summary>
    WatermarkOffsets QueryWatermarkOffsets(TopicPartition partition, TimeSpan timeout);

    /// <summary>Commits (with auto-commit), revokes the partitions, leaves the group and releases everything. Dispose does this too.</summary>
    void Close();
}
