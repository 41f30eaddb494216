using System.Net;
using System.Net.Sockets;

namespace AkkaLog.Broker.Tests.Cluster;

/// <summary>
/// A loopback TCP proxy in front of a real endpoint that a test can stall: while stalled it still
/// accepts connections and reads requests but forwards nothing either way, as an etcd member that hangs
/// (a stuck disk, a long GC pause, a half-open network path) looks to its clients.
/// </summary>
internal sealed class StallingProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly Uri _target;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<TcpClient> _connections = [];
    private readonly Task _accepting;
    private volatile TaskCompletionSource _open = Opened();

    public StallingProxy(Uri target)
    {
        _target = target;
        _listener.Start();
        _accepting = Task.Run(AcceptAsync);
    }

    /// <summary>The proxy's own endpoint.</summary>
    public string Endpoint => $"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}";

    /// <summary>From now on nothing is forwarded (bytes already in flight are held back too).</summary>
    public void Stall() => _open = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Forwards again, including what was held back.</summary>
    public void Resume() => _open.TrySetResult();

    private static TaskCompletionSource Opened()
    {
        var open = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        open.SetResult();
        return open;
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try { client = await _listener.AcceptTcpClientAsync(_stop.Token); }
            catch (Exception) { return; }
            var upstream = new TcpClient();
            lock (_connections) _connections.AddRange([client, upstream]);
            _ = Task.Run(async () =>
            {
                try
                {
                    await upstream.ConnectAsync(_target.Host, _target.Port, _stop.Token);
                    await Task.WhenAny(PumpAsync(client.GetStream(), upstream.GetStream()), PumpAsync(upstream.GetStream(), client.GetStream()));
                }
                catch (Exception) { }
                finally
                {
                    client.Dispose();
                    upstream.Dispose();
                }
            });
        }
    }

    private async Task PumpAsync(NetworkStream from, NetworkStream to)
    {
        var buffer = new byte[16 * 1024];
        try
        {
            while (true)
            {
                int read = await from.ReadAsync(buffer, _stop.Token);
                if (read == 0) return;
                await _open.Task.WaitAsync(_stop.Token);
                await to.WriteAsync(buffer.AsMemory(0, read), _stop.Token);
            }
        }
        catch (Exception) { }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        lock (_connections) foreach (var c in _connections) c.Dispose();
        await _accepting;
        _stop.Dispose();
    }
}
