using System.Reflection;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;

namespace AkkaLog.Server;

/// <summary>
/// Kestrel's socket transport, tuned for Kafka traffic (large requests on few long-lived connections
/// rather than many small HTTP requests): receive without a one-byte peek first, into 64 KiB blocks
/// (<see cref="LargeBlockMemoryPoolFactory"/>) instead of 4 KiB ones. Both cut the receive system
/// calls per 256 KiB produce request from about 128 to 4.
/// </summary>
public static class SocketTuning
{
    /// <summary>Applies the tuning to <paramref name="options"/>.</summary>
    public static void Apply(SocketTransportOptions options)
    {
        options.WaitForDataBeforeAllocatingBuffer = false;
        PoolFactory?.SetValue(options, new LargeBlockMemoryPoolFactory());
    }

    /// <summary>True when the large receive blocks are in use (for tests).</summary>
    public static bool UsesLargeBlocks(SocketTransportOptions options) => PoolFactory?.GetValue(options) is LargeBlockMemoryPoolFactory;

    // The transport's memory pool is only settable internally (ASP.NET Core 10); where that property is
    // missing the transport keeps its 4 KiB blocks, which costs speed, not correctness.
    private static readonly PropertyInfo? PoolFactory =
        typeof(SocketTransportOptions).GetProperty("MemoryPoolFactory", BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.Public);
}
