using AkkaLog.Client.Internal.Producer;
using AkkaLog.Protocol;
using AkkaLog.Protocol.Records;

namespace AkkaLog.Client.Tests.Unit;

/// <summary>Batching: records to one partition share a batch while it lingers; batch.size starts a new one.</summary>
public sealed class AccumulatorTests
{
    private static readonly byte[] Value = new byte[60];

    [Fact]
    public void Records_to_one_partition_within_linger_form_one_batch()
    {
        var accumulator = new RecordAccumulator(CompressionCodec.None, batchSize: 16384, lingerMs: 3_600_000, deliveryTimeoutMs: 7_200_000);
        var completions = Enumerable.Range(0, 25).Select(_ => new Recorder()).ToList();
        foreach (var c in completions) Append(accumulator, 0, c);
        var metadata = TestMetadata.Cluster("t", 2);

        // Still lingering: nothing is ready.
        Assert.Empty(accumulator.Drain(metadata, _ => true, 1 << 20, Environment.TickCount64, out long next, out _));
        Assert.NotEqual(long.MaxValue, next);

        accumulator.BeginFlush();
        var ready = accumulator.Drain(metadata, _ => true, 1 << 20, Environment.TickCount64, out _, out _);
        var batch = Assert.Single(Assert.Single(ready).Value);
        Assert.Equal(25, batch.Count);
        Assert.Equal(25, RecordsIn(batch));

        batch.Complete(100, -1, PersistenceStatus.Persisted);
        Assert.Equal(Enumerable.Range(100, 25).Select(i => (long)i), completions.Select(c => c.Offset));
    }

    [Fact]
    public void Batch_size_splits_a_partition_into_several_batches()
    {
        const int batchSize = 1000;
        var accumulator = new RecordAccumulator(CompressionCodec.None, batchSize, lingerMs: 3_600_000, deliveryTimeoutMs: 7_200_000);
        for (int i = 0; i < 40; i++) Append(accumulator, 1, new Recorder());
        var metadata = TestMetadata.Cluster("t", 2);

        var batches = new List<ProducerBatch>();
        // One batch per partition per drain; the full ones are ready without waiting for linger.
        while (accumulator.Drain(metadata, _ => true, 1 << 20, Environment.TickCount64, out _, out _).Values.SingleOrDefault() is [var b])
            batches.Add(b);
        accumulator.BeginFlush();
        batches.AddRange(accumulator.Drain(metadata, _ => true, 1 << 20, Environment.TickCount64, out _, out _).Values.SelectMany(x => x));

        Assert.True(batches.Count > 1);
        Assert.Equal(40, batches.Sum(b => b.Count));
        Assert.All(batches, b => Assert.True(b.Encoded.Length <= batchSize, $"batch of {b.Encoded.Length} bytes"));
        Assert.All(batches, b => Assert.Equal(b.Count, RecordsIn(b)));
    }

    [Fact]
    public void Batches_wait_for_a_leader_and_report_it_missing()
    {
        var accumulator = new RecordAccumulator(CompressionCodec.None, 16384, 0, 7_200_000);
        Append(accumulator, 0, new Recorder());
        var ready = accumulator.Drain(TestMetadata.Cluster("t", 1, leaderless: [0]), _ => true, 1 << 20, Environment.TickCount64, out _, out bool unknown);
        Assert.Empty(ready);
        Assert.True(unknown);
        Assert.Single(Assert.Single(accumulator.Drain(TestMetadata.Cluster("t", 1), _ => true, 1 << 20, Environment.TickCount64, out _, out _)).Value);
    }

    [Fact]
    public void Failed_batches_fail_every_record_with_the_error()
    {
        var accumulator = new RecordAccumulator(CompressionCodec.None, 16384, 0, 7_200_000);
        var recorders = Enumerable.Range(0, 3).Select(_ => new Recorder()).ToList();
        foreach (var r in recorders) Append(accumulator, 0, r);
        var batch = accumulator.TakeAll().Single();
        batch.Fail(new Error(ErrorCode.MessageTooLarge));
        Assert.All(recorders, r => Assert.Equal(ErrorCode.MessageTooLarge, r.Error?.Code));
    }

    private static void Append(RecordAccumulator accumulator, int partition, Recorder completion) =>
        accumulator.Append("t", partition, 1_700_000_000_000, "k"u8, false, Value, false, default, 24 + 1 + Value.Length, completion);

    private static int RecordsIn(ProducerBatch batch)
    {
        batch.Seal();
        var header = RecordBatchHeader.Read(batch.Encoded.Span);
        return header.RecordsCount;
    }

    private sealed class Recorder : IDeliveryCompletion
    {
        public long Offset { get; private set; } = -1;
        public Error? Error { get; private set; }

        public void Succeeded(string topic, int partition, long offset, Timestamp timestamp, PersistenceStatus status, object? message, object? handler) =>
            Offset = offset;

        public void Failed(string topic, int partition, Error error, object? message, object? handler) => Error = error;
    }
}
