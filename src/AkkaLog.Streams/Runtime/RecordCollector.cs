using AkkaLog.Client;

namespace AkkaLog.Streams.Internal;

/// <summary>
/// The instance's one producer and what it has in flight. Sinks and changelogs send through it with
/// the client's blocking <c>Produce</c> and a delivery handler (no task per record; the loop waits only
/// when buffer.memory is full); <see cref="FlushAsync"/> (each commit) waits until every send has a
/// result and throws the first failure, so offsets are committed only after outputs and changelog
/// writes were acknowledged.
/// Past <see cref="MaxInFlight"/> sends the processing loop waits for them (bounding memory).
/// Exactly-once would begin a transaction before the first send of a commit cycle and put the
/// consumed offsets into it (SendOffsetsToTransaction) instead of committing them: that is the seam.
/// </summary>
internal sealed class RecordCollector : IAsyncDisposable
{
    public const int MaxInFlight = 100_000;
    private readonly IProducer<byte[], byte[]> _producer;
    private readonly Action<DeliveryReport<byte[], byte[]>> _track;
    private long _inFlight;
    private Exception? _firstFailure;

    public RecordCollector(IProducer<byte[], byte[]> producer)
    {
        _producer = producer;
        _track = Track;
    }

    public int InFlight => (int)Math.Min(int.MaxValue, Interlocked.Read(ref _inFlight));

    /// <summary>Sends an output record; its outcome only counts towards the next <see cref="FlushAsync"/>.</summary>
    public void Send(string topic, byte[]? key, byte[]? value, long timestamp)
    {
        var message = new Message<byte[], byte[]> { Key = key!, Value = value!, Timestamp = new Timestamp(timestamp, TimestampType.CreateTime) };
        Interlocked.Increment(ref _inFlight);
        try
        {
            // The blocking Produce: no task per record, and a full buffer.memory holds the processing loop back.
            _producer.Produce(topic, message, _track);
        }
        catch
        {
            Interlocked.Decrement(ref _inFlight);
            throw;
        }
    }

    /// <summary>Sends a changelog record; <paramref name="acknowledged"/> gets its offset once the broker has it.</summary>
    public void SendChangelog(string topic, int partition, byte[] key, byte[]? value, Action<long> acknowledged)
    {
        var message = new Message<byte[], byte[]> { Key = key, Value = value!, Timestamp = new Timestamp(DateTimeOffset.UtcNow) };
        Interlocked.Increment(ref _inFlight);
        try
        {
            _producer.Produce(new TopicPartition(topic, partition), message, report =>
            {
                if (!report.Error.IsError) acknowledged(report.Offset.Value);
                Track(report);
            });
        }
        catch
        {
            Interlocked.Decrement(ref _inFlight);
            throw;
        }
    }

    /// <summary>Waits until every send has its outcome; throws the first failure (the run then stops without committing).</summary>
    public async Task FlushAsync()
    {
        if (Interlocked.Read(ref _inFlight) > 0) await _producer.FlushAsync();
        // Flush returns after every delivery handler ran, so every failure is known here.
        if (Interlocked.Exchange(ref _firstFailure, null) is { } failure) throw failure;
    }

    public ValueTask DisposeAsync() => _producer.DisposeAsync();

    private void Track(DeliveryReport<byte[], byte[]> report)
    {
        if (report.Error.IsError)
            Interlocked.CompareExchange(ref _firstFailure, new ProduceException<byte[], byte[]>(report.Error, report), null);
        Interlocked.Decrement(ref _inFlight);
    }
}
