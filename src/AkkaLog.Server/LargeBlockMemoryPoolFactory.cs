using System.Buffers;
using System.Collections.Concurrent;
using Microsoft.AspNetCore.Connections;

namespace AkkaLog.Server;

/// <summary>
/// Gives Kestrel's socket transport 64 KiB receive blocks instead of its 4 KiB ones. Kafka requests
/// are large (a produce request is typically a few hundred KiB), and each block is one receive
/// system call: with 4 KiB blocks a 256 KiB request took 64 of them, a visible share of the broker's
/// CPU. Blocks are pinned (pinned object heap) because sockets read into them asynchronously, and
/// reused. An idle connection holds one block (the transport no longer waits for data before it
/// allocates, see <see cref="SocketTuning"/>), so 1,000 idle clients cost 64 MiB.
/// </summary>
public sealed class LargeBlockMemoryPoolFactory : IMemoryPoolFactory<byte>
{
    /// <summary>Size of every block handed out.</summary>
    public const int BlockSize = 64 * 1024;

    private readonly Pool _pool = new();

    /// <inheritdoc />
    public MemoryPool<byte> Create(MemoryPoolOptions? options = null) => _pool;

    /// <summary>One pool shared by every listener; never disposed (it lives as long as the process).</summary>
    private sealed class Pool : MemoryPool<byte>
    {
        // Enough for many connections' worth of idle blocks; beyond it blocks are left to the GC.
        private const int MaxRetained = 256;
        private readonly ConcurrentQueue<byte[]> _free = new();

        public override int MaxBufferSize => BlockSize;

        public override IMemoryOwner<byte> Rent(int minBufferSize = -1)
        {
            if (minBufferSize > BlockSize)
                throw new ArgumentOutOfRangeException(nameof(minBufferSize), $"blocks are {BlockSize} bytes");
            return new Block(this, _free.TryDequeue(out var array) ? array : GC.AllocateUninitializedArray<byte>(BlockSize, pinned: true));
        }

        public void Return(byte[] array)
        {
            if (_free.Count < MaxRetained) _free.Enqueue(array);
        }

        protected override void Dispose(bool disposing)
        {
        }
    }

    private sealed class Block(Pool pool, byte[] array) : IMemoryOwner<byte>
    {
        private byte[]? _array = array;

        public Memory<byte> Memory => _array ?? throw new ObjectDisposedException(nameof(Block));

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _array, null) is { } a) pool.Return(a);
        }
    }
}
