using System.Diagnostics;
using System.Net.Http;

namespace AkkaLog.TestSupport;

/// <summary>
/// One etcd server (Debian package <c>etcd-server</c>) on free loopback client and peer ports with
/// its own temporary data directory. Output goes to a log file under <see cref="TestPaths.LogDir"/>.
/// <see cref="Kill"/> kills only this process (by its PID); <see cref="RestartAsync"/> keeps ports
/// and data, so leases and keys survive as they would in production.
/// </summary>
public sealed class EtcdProcess : ManagedProcess
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);

    /// <summary>Prepares (does not start) an etcd named <paramref name="name"/>.</summary>
    public EtcdProcess(string name = "etcd") : this(name, TestPaths.FreePort())
    {
    }

    private EtcdProcess(string name, int clientPort) : base(name, clientPort)
    {
        ClientPort = clientPort;
        PeerPort = TestPaths.FreePort();
        while (PeerPort == ClientPort) PeerPort = TestPaths.FreePort();
    }

    /// <summary>Client port (the JSON gateway is served there too).</summary>
    public int ClientPort { get; }
    /// <summary>Peer port.</summary>
    public int PeerPort { get; }
    /// <summary><c>http://127.0.0.1:port</c>, as brokers take it in <c>etcd.endpoints</c>.</summary>
    public string Endpoint => $"http://127.0.0.1:{ClientPort}";

    /// <summary>The etcd binary (override with ETCD).</summary>
    public static string Binary => Environment.GetEnvironmentVariable("ETCD") is { Length: > 0 } p ? p : "/usr/bin/etcd";

    /// <summary>True when the etcd binary is installed (scripts/test.sh installs etcd-server when it is not).</summary>
    public static bool IsInstalled => File.Exists(Binary);

    /// <summary>Prepares and starts an etcd; disposes it again if start-up fails.</summary>
    public static Task<EtcdProcess> StartNewAsync(string name = "etcd") => StartOrDisposeAsync(new EtcdProcess(name), e => e.StartAsync());

    /// <summary>Starts etcd and waits until it answers a range request.</summary>
    public Task StartAsync()
    {
        if (!IsInstalled) throw new InvalidOperationException($"{Binary} is missing: apt-get install etcd-server (scripts/test.sh does)");
        string client = $"http://127.0.0.1:{ClientPort}", peer = $"http://127.0.0.1:{PeerPort}";
        var psi = new ProcessStartInfo(Binary);
        foreach (var key in psi.Environment.Keys.Where(k => k.StartsWith("ETCD", StringComparison.Ordinal)).ToList())
            psi.Environment.Remove(key);
        string[] args =
        [
            "--name", Name, "--data-dir", Path.Combine(Root, "data"),
            "--listen-client-urls", client, "--advertise-client-urls", client,
            "--listen-peer-urls", peer, "--initial-advertise-peer-urls", peer,
            "--initial-cluster", $"{Name}={peer}", "--initial-cluster-state", "new",
            "--log-level", "warn",
        ];
        foreach (var a in args) psi.ArgumentList.Add(a);
        return LaunchAsync(psi);
    }

    /// <summary>Kills it (if running) and starts it again on the same ports and data.</summary>
    public async Task RestartAsync()
    {
        Kill();
        await StartAsync();
    }

    /// <inheritdoc />
    protected override async Task WaitUntilReadyAsync(Process process)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow + StartTimeout;
        string? last = null;
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited) throw new InvalidOperationException($"etcd exited with code {process.ExitCode}\n{LogTail()}");
            try
            {
                using var content = new StringContent("{\"key\":\"AA==\"}");
                using var response = await http.PostAsync($"{Endpoint}/v3/kv/range", content);
                if (response.IsSuccessStatusCode) return;
                last = $"HTTP {(int)response.StatusCode}";
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                last = e.Message;
            }
            await Task.Delay(100);
        }
        throw new TimeoutException($"etcd not ready after {StartTimeout.TotalSeconds} s: {last}\n{LogTail()}");
    }
}
