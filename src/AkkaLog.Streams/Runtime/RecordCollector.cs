using AkkaLog.Client;

namespace AkkaLog.Streams.Internal;

/// <summary>
/// The instance's one producer and what it has in flight. Sinks and changelogs send through it without
/// waiting; <see cref="FlushAsync"/> (each commit) waits until every send has a result and throws the
/// first failure, so offsets are committed only after outputs and changelog writes were acknowledged.
/// Past <see cref="MaxInFlight"/> sends the processing loop waits for them (bounding memory).
/// Exactly-once would begin a transaction before the first send of a commit cycle and put the
/// consumed offsets into it (SendOffsetsToTransaction) instead of committing them: that is the seam.
/// </summary>
internal sealed class RecordCollector(IProducer<byte[], byte[]> producer) : IAsyncDisposable
{
    public const int MaxInFlight = 100_000;
    private readonly List<Task<DeliveryResult<byte[], byte[]>>> _inFlight = [];

    public int InFlight => _inFlight.Count;

    public Task<DeliveryResult<byte[], byte[]>> Send(string topic, byte[]? key, byte[]? value, long timestamp)
    {
        var message = new Message<byte[], byte[]> { Key = key!, Value = value!, Timestamp = new Timestamp(timestamp, TimestampType.CreateTime) };
        var task = producer.ProduceAsync(topic, message);
        _inFlight.Add(task);
        return task;
    }

    public Task<DeliveryResult<byte[], byte[]>> SendChangelog(string topic, int partition, byte[] key, byte[]? value)
    {
        var message = new Message<byte[], byte[]> { Key = key, Value = value!, Timestamp = new Timestamp(DateTimeOffset.UtcNow) };
        var task = producer.ProduceAsync(new TopicPartition(topic, partition), message);
        _inFlight.Add(task);
        return task;
    }

    /// <summary>Waits for every send; throws the first failure (the run then stops without committing).</summary>
    public async Task FlushAsync()
    {
        if (_inFlight.Count == 0) return;
        await producer.FlushAsync();
        try
        {
            await Task.WhenAll(_inFlight);
        }
        finally
        {
            _inFlight.Clear();
        }
    }

    public ValueTask DisposeAsync() => producer.DisposeAsync();
}
