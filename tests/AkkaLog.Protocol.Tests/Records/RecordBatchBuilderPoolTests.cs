using System.Buffers;
using AkkaLog.Protocol.Records;

namespace AkkaLog.Protocol.Tests.Records;

/// <summary>The builder takes its record buffers from the pool it is given and gives every one back.</summary>
public sealed class RecordBatchBuilderPoolTests
{
    /// <summary>An <see cref="ArrayPool{T}"/> that hands out new arrays and remembers which are out.</summary>
    private sealed class CountingPool : ArrayPool<byte>
    {
        public readonly HashSet<byte[]> Out = new(ReferenceEqualityComparer.Instance);
        public readonly List<int> Rented = new();

        public override byte[] Rent(int minimumLength)
        {
            var array = new byte[minimumLength];
            Out.Add(array);
            Rented.Add(minimumLength);
            return array;
        }

        public override void Return(byte[] array, bool clearArray = false) => Assert.True(Out.Remove(array), "returned an array it did not rent");
    }

    [Fact]
    public void Record_buffers_come_from_the_given_pool_and_all_go_back_on_dispose()
    {
        var pool = new CountingPool();
        var builder = new RecordBatchBuilder(CompressionCodec.None, initialCapacity: 512, pool);
        // 20 records of 100 bytes outgrow 512 bytes: the builder rents bigger buffers from the same pool.
        for (int i = 0; i < 20; i++) builder.Append(i, [(byte)i], new byte[100]);
        var batch = builder.BuildInPlace();
        Assert.Equal(20, RecordBatchHeader.Read(batch.Span).RecordsCount);
        Assert.Equal(RecordBatchBuilder.FirstBufferLength(512), pool.Rented[0]);
        Assert.True(pool.Rented.Count > 1, "the buffer never grew");
        Assert.Single(pool.Out);

        builder.Dispose();
        Assert.Empty(pool.Out);
    }

    [Fact]
    public void The_first_buffer_leaves_room_for_the_header_within_a_small_capacity()
    {
        Assert.Equal(1 << 18, RecordBatchBuilder.FirstBufferLength(1 << 18));
        Assert.True(RecordBatchBuilder.FirstBufferLength(1) > RecordBatchHeader.Size);
    }
}
