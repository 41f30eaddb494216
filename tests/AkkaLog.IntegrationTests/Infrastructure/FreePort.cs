using System.Net;
using System.Net.Sockets;

namespace AkkaLog.IntegrationTests.Infrastructure;

/// <summary>Finds a free loopback port by binding port 0 and releasing it.</summary>
public static class FreePort
{
    /// <summary>A port that was free a moment ago (another process may still take it; rare enough for tests).</summary>
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
