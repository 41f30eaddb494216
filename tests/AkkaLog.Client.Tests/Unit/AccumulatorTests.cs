using AkkaLog.Client.Internal.Metadata;
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
    public void A_drain_that_leaves_batches_queued_asks_to_be_run_again_at_once()
    {
        // One batch per partition per request: the rest must go in further requests right away (while the
        // connection has room in flight), not wait for a response to wake the sender.
        const int batchSize = 1000;
        var accumulator = new RecordAccumulator(CompressionCodec.None, batchSize, lingerMs: 3_600_000, deliveryTimeoutMs: 7_200_000);
        for (int i = 0; i < 40; i++) Append(accumulator, 1, new Recorder());
        var metadata = TestMetadata.Cluster("t", 2);
        long now = Environment.TickCount64;

        Assert.Single(Assert.Single(accumulator.Drain(metadata, _ => true, 1 << 20, now, out long next, out _)).Value);
        Assert.Equal(now, next);

        // Once only the last, lingering batch is left, the next look is when its linger ends.
        while (accumulator.Drain(metadata, _ => true, 1 << 20, now, out next, out _).Count > 0) Assert.Equal(now, next);
        Assert.True(next > now + 3_000_000, $"next look at {next - now} ms from now");
    }

    [Fact]
    public void A_retry_skips_the_rest_of_its_backoff_once_the_partition_has_a_new_leader()
    {
        var accumulator = new RecordAccumulator(CompressionCodec.None, 16384, 0, 7_200_000);
        Append(accumulator, 0, new Recorder());
        var batch = Assert.Single(Assert.Single(accumulator.Drain(TestMetadata.Cluster("t", 1), _ => true, 1 << 20, Environment.TickCount64, out _, out _)).Value);
        Assert.Equal(1, batch.LastLeader);

        // Failed at broker 1, backing off for an hour: not while broker 1 still leads...
        batch.Attempts = 1;
        accumulator.Requeue(batch, retryAtTicks: Environment.TickCount64 + 3_600_000);
        Assert.Empty(accumulator.Drain(TestMetadata.Cluster("t", 1), _ => true, 1 << 20, Environment.TickCount64, out _, out _));
        // ...but at once when broker 2 has taken over.
        var ready = Assert.Single(accumulator.Drain(TestMetadata.Cluster("t", 1, leader: 2), _ => true, 1 << 20, Environment.TickCount64, out _, out _));
        Assert.Equal(2, ready.Key);
        Assert.Same(batch, Assert.Single(ready.Value));
    }

    [Fact]
    public void A_retry_after_stale_metadata_waits_for_metadata_fetched_after_the_error()
    {
        var accumulator = new RecordAccumulator(CompressionCodec.None, 16384, 0, 7_200_000);
        Append(accumulator, 0, new Recorder());
        var before = TestMetadata.Cluster("t", 1);
        var batch = Assert.Single(Assert.Single(accumulator.Drain(before, _ => true, 1 << 20, Environment.TickCount64, out _, out _)).Value);

        // The broker said NOT_LEADER: the retry is due now, but only metadata newer than the error may send it.
        batch.Attempts = 1;
        batch.AwaitsMetadataAfterTicks = before.FetchedAtTicks;
        accumulator.Requeue(batch, retryAtTicks: 0);
        Assert.Empty(accumulator.Drain(before, _ => true, 1 << 20, Environment.TickCount64, out _, out bool needsMetadata));
        Assert.True(needsMetadata);

        ClusterMetadata after;
        do after = TestMetadata.Cluster("t", 1); while (after.FetchedAtTicks <= before.FetchedAtTicks);
        Assert.Same(batch, Assert.Single(Assert.Single(accumulator.Drain(after, _ => true, 1 << 20, Environment.TickCount64, out _, out needsMetadata)).Value));
        Assert.False(needsMetadata);
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

    [Theory]
    [InlineData(CompressionCodec.None)]
    [InlineData(CompressionCodec.Gzip)]
    [InlineData(CompressionCodec.Lz4)]
    public void A_refused_batch_splits_into_halves_that_keep_records_completions_and_memory(CompressionCodec codec)
    {
        var accumulator = new RecordAccumulator(codec, 16384, 0, 7_200_000);
        var recorders = Enumerable.Range(0, 5).Select(_ => new Recorder()).ToList();
        for (int i = 0; i < recorders.Count; i++)
        {
            RecordHeader[] headers = [new("h"u8.ToArray(), [(byte)i])];
            accumulator.Append("t", 0, 1_700_000_000_000 + i, [(byte)i], false, [(byte)('a' + i)], false, headers, 40, recorders[i]);
        }
        var batch = accumulator.TakeAll().Single();
        batch.Seal();

        var (first, second) = batch.TrySplit() ?? throw new Xunit.Sdk.XunitException("a five-record batch did not split");
        Assert.Null(batch.TrySplit());
        Assert.Equal((2, 3), (first.Count, second.Count));
        Assert.Equal((80, 120), (first.ReservedBytes, second.ReservedBytes));
        first.Seal();
        second.Seal();
        var records = Decode(first).Concat(Decode(second)).ToList();
        Assert.Equal(Enumerable.Range(0, 5).Select(i => (i, (byte)('a' + i), 1_700_000_000_000 + i, (byte)i)), records);

        first.Complete(10, -1, PersistenceStatus.Persisted);
        second.Fail(new Error(ErrorCode.MessageTooLarge));
        Assert.Equal([10L, 11L, -1L, -1L, -1L], recorders.Select(r => r.Offset));
        Assert.Equal([null, null, ErrorCode.MessageTooLarge, ErrorCode.MessageTooLarge, ErrorCode.MessageTooLarge], recorders.Select(r => r.Error?.Code));
    }

    private static IEnumerable<(int Key, byte Value, long Timestamp, byte Header)> Decode(ProducerBatch batch)
    {
        var bytes = batch.Encoded.ToArray();
        var header = RecordBatchHeader.Read(bytes);
        var output = new KafkaWriter();
        var section = bytes.AsSpan(RecordBatchHeader.Size);
        if (header.Compression != CompressionCodec.None) AkkaLog.Protocol.Compression.CompressionCodecs.Decompress(header.Compression, section, output);
        else output.WriteRaw(section);
        var result = new List<(int, byte, long, byte)>();
        var reader = new RecordReader(output.WrittenSpan);
        while (reader.TryReadNext(out var r))
        {
            var headers = new RecordHeaderReader(r.Headers);
            Assert.True(headers.TryReadNext(out _, out var h, out _));
            result.Add((r.Key[0], r.Value[0], header.BaseTimestamp + r.TimestampDelta, h[0]));
        }
        return result;
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
