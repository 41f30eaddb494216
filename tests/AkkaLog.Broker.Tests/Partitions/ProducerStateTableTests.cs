using AkkaLog.Broker.Partitions;
using AkkaLog.Protocol;
using AkkaLog.Protocol.Records;

namespace AkkaLog.Broker.Tests.Partitions;

/// <summary>Sequence rules of idempotent producers: duplicates, gaps, epochs, the last five batches and wrap-around.</summary>
public sealed class ProducerStateTableTests
{
    private static RecordBatchHeader Batch(long pid, short epoch, int sequence, int records) =>
        new() { ProducerId = pid, ProducerEpoch = epoch, BaseSequence = sequence, LastOffsetDelta = records - 1, RecordsCount = records };

    [Fact]
    public void Unknown_producers_are_accepted_and_then_held_to_their_sequence()
    {
        var table = new ProducerStateTable();
        Assert.Equal(ErrorCode.None, table.Check(Batch(7, 0, 40, 2), out var dup));
        Assert.Null(dup);
        table.Record(Batch(7, 0, 40, 2), 100);
        Assert.Equal(ErrorCode.None, table.Check(Batch(7, 0, 42, 1), out _));
        Assert.Equal(ErrorCode.OutOfOrderSequenceNumber, table.Check(Batch(7, 0, 43, 1), out _));
        Assert.Equal(ErrorCode.None, table.Check(Batch(7, 0, 40, 2), out dup));
        Assert.Equal((100L, 101L), dup);
    }

    [Fact]
    public void Only_the_last_five_batches_are_recognised_as_duplicates()
    {
        var table = new ProducerStateTable();
        for (int i = 0; i < 6; i++) table.Record(Batch(1, 0, i, 1), 10 + i);
        Assert.Equal(ErrorCode.None, table.Check(Batch(1, 0, 1, 1), out var recent));
        Assert.Equal((11L, 11L), recent);
        Assert.Equal(ErrorCode.OutOfOrderSequenceNumber, table.Check(Batch(1, 0, 0, 1), out var old));
        Assert.Null(old);
    }

    [Fact]
    public void A_new_epoch_starts_at_zero_and_fences_the_old_one()
    {
        var table = new ProducerStateTable();
        table.Record(Batch(3, 0, 0, 5), 0);
        Assert.Equal(ErrorCode.OutOfOrderSequenceNumber, table.Check(Batch(3, 1, 5, 1), out _));
        Assert.Equal(ErrorCode.None, table.Check(Batch(3, 1, 0, 1), out _));
        table.Record(Batch(3, 1, 0, 1), 5);
        Assert.Equal(ErrorCode.InvalidProducerEpoch, table.Check(Batch(3, 0, 5, 1), out _));
    }

    [Fact]
    public void Sequences_wrap_from_int_max_to_zero()
    {
        var table = new ProducerStateTable();
        table.Record(Batch(9, 0, int.MaxValue - 1, 3), 0); // sequences MAX-1, MAX, 0
        Assert.Equal(ErrorCode.None, table.Check(Batch(9, 0, 1, 1), out var dup));
        Assert.Null(dup);
        Assert.Equal(ErrorCode.OutOfOrderSequenceNumber, table.Check(Batch(9, 0, 0, 1), out _));
    }
}
