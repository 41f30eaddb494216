using AkkaLog.Client.Internal.Producer;
using AkkaLog.Protocol.Records;

namespace AkkaLog.Client.Tests.Unit;

/// <summary>The producer's batch buffers: a whole buffer.memory of them is kept for the next batches.</summary>
public sealed class BatchBufferPoolTests
{
    [Fact]
    public void A_full_buffer_memory_of_batch_buffers_is_reused()
    {
        const int batchSize = 256 * 1024;
        const long bufferMemory = 32L << 20;
        var pool = BatchBufferPool.Create(batchSize, bufferMemory);
        int length = RecordBatchBuilder.FirstBufferLength(BatchBufferPool.FirstCapacity(batchSize));
        int count = (int)(bufferMemory / batchSize);

        var first = Enumerable.Range(0, count).Select(_ => pool.Rent(length)).ToArray();
        foreach (var buffer in first) pool.Return(buffer);
        var second = Enumerable.Range(0, count).Select(_ => pool.Rent(length)).ToArray();

        // The shared pool keeps about 32 per size and core; this one must hand all 128 back.
        Assert.Equal(count, second.Intersect(first, ReferenceEqualityComparer.Instance).Count());
    }

    [Theory]
    [InlineData(1)]
    [InlineData(16384)]
    [InlineData(int.MaxValue)]
    public void Any_batch_size_gets_a_pool_whose_first_buffer_it_keeps(int batchSize)
    {
        var pool = BatchBufferPool.Create(batchSize, 32L << 20);
        int length = RecordBatchBuilder.FirstBufferLength(BatchBufferPool.FirstCapacity(batchSize));
        var buffer = pool.Rent(length);
        Assert.True(buffer.Length >= length);
        pool.Return(buffer);
        Assert.Same(buffer, pool.Rent(length));
    }
}
