using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace AkkaLog.TestSupport;

/// <summary>
/// Asks a broker for ApiVersions v0 over a fresh connection, encoded by hand so the helpers do not
/// depend on the code under test: the answer's error code tells whether the broker serves requests.
/// </summary>
public static class ApiVersionsProbe
{
    /// <summary>Sends ApiVersions v0 to 127.0.0.1:<paramref name="port"/>; returns the response's error code.</summary>
    public static async Task<short> AskAsync(int port, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), cts.Token);
        // size, api_key 18, api_version 0, correlation_id 1, client_id "probe"; v0 has an empty body.
        var request = new byte[4 + 2 + 2 + 4 + 2 + 5];
        BinaryPrimitives.WriteInt32BigEndian(request, request.Length - 4);
        BinaryPrimitives.WriteInt16BigEndian(request.AsSpan(4), 18);
        BinaryPrimitives.WriteInt16BigEndian(request.AsSpan(6), 0);
        BinaryPrimitives.WriteInt32BigEndian(request.AsSpan(8), 1);
        BinaryPrimitives.WriteInt16BigEndian(request.AsSpan(12), 5);
        "probe"u8.CopyTo(request.AsSpan(14));
        await socket.SendAsync(request, SocketFlags.None, cts.Token);

        var head = new byte[10]; // size, correlation id, error code
        int read = 0;
        while (read < head.Length)
        {
            int n = await socket.ReceiveAsync(head.AsMemory(read), SocketFlags.None, cts.Token);
            if (n == 0) throw new IOException("connection closed before the ApiVersions response");
            read += n;
        }
        if (BinaryPrimitives.ReadInt32BigEndian(head.AsSpan(4)) != 1) throw new IOException("ApiVersions answer has the wrong correlation id");
        return BinaryPrimitives.ReadInt16BigEndian(head.AsSpan(8));
    }
}
