using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;

namespace AkkaLog.Server.Tests;

public sealed class SocketTuningTests
{
    [Fact]
    public void The_transport_reads_without_peeking_into_large_blocks()
    {
        var options = new SocketTransportOptions();
        Assert.False(SocketTuning.UsesLargeBlocks(options));

        SocketTuning.Apply(options);

        Assert.False(options.WaitForDataBeforeAllocatingBuffer);
        // Fails if a new ASP.NET Core drops the (internal) pool setting: the broker would silently fall back to 4 KiB reads.
        Assert.True(SocketTuning.UsesLargeBlocks(options));
    }

    [Fact]
    public void Blocks_are_64_KiB_reused_after_release_and_larger_requests_are_refused()
    {
        using var pool = new LargeBlockMemoryPoolFactory().Create();
        var first = pool.Rent(2048);
        Assert.Equal(LargeBlockMemoryPoolFactory.BlockSize, first.Memory.Length);
        var array = first.Memory;
        first.Dispose();
        Assert.Throws<ObjectDisposedException>(() => first.Memory);
        using var second = pool.Rent();
        Assert.True(second.Memory.Span == array.Span, "a released block is handed out again");
        Assert.Throws<ArgumentOutOfRangeException>(() => pool.Rent(LargeBlockMemoryPoolFactory.BlockSize + 1));
    }
}
