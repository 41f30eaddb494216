using System.Diagnostics;
using System.Net.Http;

namespace AkkaLog.TestSupport;

/// <summary>
/// One etcd server (Debian package <c>etcd-server</c>) on free loopback client and peer ports with
/// its own temporary data directory. Output goes to a log file under <see cref="TestPaths.LogDir"/>.
/// <see cref="Kill"/> kills only this process (by its PID); <see cref="RestartAsync"/> keeps ports
/// and data, so leases and keys survive as they would in production.
/// </summary>
public sealed class EtcdProcess : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);
    private readonly object _logLock = new();
    private readonly StreamWriter _log;
    private Process? _process;

    /// <summary>Prepares (does not start) an etcd named <paramref name="name"/>.</summary>
    public EtcdProcess(string name = "etcd")
    {
        Name = name;
        ClientPort = TestPaths.FreePort();
        PeerPort = TestPaths.FreePort();
        while (PeerPort == ClientPort) PeerPort = TestPaths.FreePort();
        Root = Path.Combine(Path.GetTempPath(), "akkalog-tests", $"{name}-{Guid.NewGuid().ToString("N")[..8]}");
        Directory.CreateDirectory(Root);
        LogFile = Path.Combine(TestPaths.LogDir, $"{name}-{DateTime.UtcNow:HHmmss}-{ClientPort}.log");
        _log = new StreamWriter(LogFile, append: true) { AutoFlush = true };
    }

    /// <summary>The etcd member name.</summary>
    public string Name { get; }
    /// <summary>Client port (the JSON gateway is served there too).</summary>
    public int ClientPort { get; }
    /// <summary>Peer port.</summary>
    public int PeerPort { get; }
    /// <summary>Temporary directory holding the data dir (deleted on disposal).</summary>
    public string Root { get; }
    /// <summary>etcd's captured output.</summary>
    public string LogFile { get; }
    /// <summary><c>http://127.0.0.1:port</c>, as brokers take it in <c>etcd.endpoints</c>.</summary>
    public string Endpoint => $"http://127.0.0.1:{ClientPort}";
    /// <summary>OS process id, or -1.</summary>
    public int Pid => _process?.Id ?? -1;
    /// <summary>True while the process runs.</summary>
    public bool IsRunning => _process is { HasExited: false };

    /// <summary>The etcd binary (override with ETCD).</summary>
    public static string Binary => Environment.GetEnvironmentVariable("ETCD") is { Length: > 0 } p ? p : "/usr/bin/etcd";

    /// <summary>True when the etcd binary is installed (scripts/test.sh installs etcd-server when it is not).</summary>
    public static bool IsInstalled => File.Exists(Binary);

    /// <summary>Prepares and starts an etcd; disposes it again if start-up fails.</summary>
    public static async Task<EtcdProcess> StartNewAsync(string name = "etcd")
    {
        var etcd = new EtcdProcess(name);
        try
        {
            await etcd.StartAsync();
            return etcd;
        }
        catch
        {
            await etcd.DisposeAsync();
            throw;
        }
    }

    /// <summary>Starts etcd and waits until it answers a range request.</summary>
    public async Task StartAsync()
    {
        if (IsRunning) throw new InvalidOperationException("etcd already running");
        if (!IsInstalled) throw new InvalidOperationException($"{Binary} is missing: apt-get install etcd-server (scripts/test.sh does)");
        string client = $"http://127.0.0.1:{ClientPort}", peer = $"http://127.0.0.1:{PeerPort}";
        var psi = new ProcessStartInfo(Binary)
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = Root,
        };
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
        WriteLog($"=== test harness: {Binary} {string.Join(' ', args)} ===");
        var process = new Process { StartInfo = psi };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) WriteLog(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) WriteLog(e.Data); };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;
        await WaitUntilReadyAsync(process);
    }

    /// <summary>SIGKILL this etcd (only its own PID).</summary>
    public void Kill()
    {
        if (_process is null) return;
        WriteLog("=== test harness: kill -9 ===");
        try { _process.Kill(); } catch (InvalidOperationException) { }
        _process.WaitForExit();
        _process.Dispose();
        _process = null;
    }

    /// <summary>Kills it (if running) and starts it again on the same ports and data.</summary>
    public async Task RestartAsync()
    {
        Kill();
        await StartAsync();
    }

    /// <summary>Kills etcd and deletes its data; the log file stays.</summary>
    public async ValueTask DisposeAsync()
    {
        Kill();
        for (int attempt = 0; attempt < 5 && Directory.Exists(Root); attempt++)
        {
            try { Directory.Delete(Root, recursive: true); }
            catch (IOException) { await Task.Delay(200); }
        }
        lock (_logLock) _log.Dispose();
    }

    /// <summary>The last lines of etcd's log, for failure messages.</summary>
    public string LogTail(int lines = 40)
    {
        lock (_logLock)
        {
            using var fs = new FileStream(LogFile, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            using var reader = new StreamReader(fs);
            return $"--- etcd log {LogFile} ---\n" + string.Join('\n', reader.ReadToEnd().Split('\n').TakeLast(lines));
        }
    }

    private async Task WaitUntilReadyAsync(Process process)
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

    private void WriteLog(string line)
    {
        lock (_logLock)
        {
            try { _log.WriteLine(line); } catch (ObjectDisposedException) { }
        }
    }
}
