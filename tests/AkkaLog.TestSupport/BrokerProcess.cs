using System.Diagnostics;

namespace AkkaLog.TestSupport;

/// <summary>
/// One akkalog-server process on a free loopback port with its own temporary data directory.
/// Output goes to a log file under <see cref="TestPaths.LogDir"/>, which survives the run; the data
/// directory is deleted on disposal whatever happened. <see cref="Kill"/> is kill -9,
/// <see cref="StopAsync"/> is SIGTERM, <see cref="RestartAsync"/> reuses port and data.
/// The server dll is built (same configuration as the tests) if it is missing.
/// </summary>
public sealed class BrokerProcess : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private static readonly SemaphoreSlim s_buildLock = new(1, 1);
    private readonly IReadOnlyDictionary<string, string> _settings;
    private readonly object _logLock = new();
    private readonly StreamWriter _log;
    private Process? _process;

    /// <summary>
    /// Prepares (does not start) a broker with Kafka-named <paramref name="settings"/> (e.g.
    /// <c>message.max.bytes</c>) besides log.dirs and listeners, which it sets itself.
    /// </summary>
    public BrokerProcess(string name, IReadOnlyDictionary<string, string>? settings = null, int? port = null)
    {
        _settings = settings ?? new Dictionary<string, string>();
        Port = port ?? TestPaths.FreePort();
        Root = Path.Combine(Path.GetTempPath(), "akkalog-tests", $"{name}-{Guid.NewGuid().ToString("N")[..8]}");
        DataDir = Path.Combine(Root, "data");
        Directory.CreateDirectory(DataDir);
        LogFile = Path.Combine(TestPaths.LogDir, $"{name}-{DateTime.UtcNow:HHmmss}-{Port}.log");
        _log = new StreamWriter(LogFile, append: true) { AutoFlush = true };
    }

    /// <summary>Loopback port the broker listens on (and advertises).</summary>
    public int Port { get; }

    /// <summary><c>127.0.0.1:port</c>, for clients.</summary>
    public string Bootstrap => $"127.0.0.1:{Port}";

    /// <summary>Temporary directory owned by this broker (deleted on disposal).</summary>
    public string Root { get; }

    /// <summary>The broker's log.dirs.</summary>
    public string DataDir { get; }

    /// <summary>The broker's captured stdout and stderr.</summary>
    public string LogFile { get; }

    /// <summary>OS process id of the running broker, or -1.</summary>
    public int Pid => _process?.Id ?? -1;

    /// <summary>True while the process runs.</summary>
    public bool IsRunning => _process is { HasExited: false };

    /// <summary>Prepares and starts a broker; disposes it again if start-up fails.</summary>
    public static async Task<BrokerProcess> StartNewAsync(string name, IReadOnlyDictionary<string, string>? settings = null)
    {
        var broker = new BrokerProcess(name, settings);
        try
        {
            await broker.StartAsync();
            return broker;
        }
        catch
        {
            await broker.DisposeAsync();
            throw;
        }
    }

    /// <summary>Starts the process and waits until it answers ApiVersions.</summary>
    public async Task StartAsync()
    {
        if (IsRunning) throw new InvalidOperationException("broker already running");
        await EnsureServerBuiltAsync();
        var psi = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = Root,
        };
        // The broker reads AKKALOG_* variables as settings and refuses unknown ones: the tests' own must not leak in.
        foreach (var key in psi.Environment.Keys.Where(k => k.StartsWith("AKKALOG_", StringComparison.Ordinal)).ToList())
            psi.Environment.Remove(key);
        psi.ArgumentList.Add(TestPaths.ServerDll);
        psi.ArgumentList.Add($"--log.dirs={DataDir}");
        psi.ArgumentList.Add($"--listeners=PLAINTEXT://127.0.0.1:{Port}");
        psi.ArgumentList.Add($"--advertised.listeners=PLAINTEXT://127.0.0.1:{Port}");
        foreach (var (key, value) in _settings) psi.ArgumentList.Add($"--{key}={value}");
        WriteLog($"=== test harness: dotnet {string.Join(' ', psi.ArgumentList)} ===");

        var process = new Process { StartInfo = psi };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) WriteLog(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) WriteLog("[stderr] " + e.Data); };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;
        await WaitUntilReadyAsync(process);
    }

    /// <summary>SIGKILL: no chance to flush or close anything.</summary>
    public void Kill()
    {
        if (_process is null) return;
        WriteLog("=== test harness: kill -9 ===");
        try { _process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
        _process.WaitForExit();
        _process.Dispose();
        _process = null;
    }

    /// <summary>SIGTERM and wait for a clean exit; throws (after killing) if it takes over 30 s.</summary>
    public async Task<int> StopAsync()
    {
        if (_process is null) return 0;
        WriteLog("=== test harness: kill -TERM ===");
        if (!await Signals.TerminateAsync(_process, TimeSpan.FromSeconds(30)))
        {
            Kill();
            throw new TimeoutException($"broker did not exit within 30 s of SIGTERM\n{LogTail()}");
        }
        int code = _process.ExitCode;
        _process.Dispose();
        _process = null;
        return code;
    }

    /// <summary>Stops the broker if it still runs (SIGTERM), then starts it again on the same port and data.</summary>
    public async Task RestartAsync()
    {
        if (_process is not null) await StopAsync();
        await StartAsync();
    }

    /// <summary>The last <paramref name="lines"/> lines of the broker log, for failure messages.</summary>
    public string LogTail(int lines = 60)
    {
        string[] all;
        lock (_logLock)
        {
            using var fs = new FileStream(LogFile, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            using var reader = new StreamReader(fs);
            all = reader.ReadToEnd().Split('\n');
        }
        return $"--- broker log {LogFile} (last {lines} lines) ---\n" + string.Join('\n', all.TakeLast(lines));
    }

    /// <summary>Kills the broker (if running) and deletes its data directory; the log file stays.</summary>
    public async ValueTask DisposeAsync()
    {
        Kill();
        for (int attempt = 0; attempt < 5 && Directory.Exists(Root); attempt++)
        {
            try { Directory.Delete(Root, recursive: true); }
            catch (IOException) { await Task.Delay(200); }
            catch (UnauthorizedAccessException) { await Task.Delay(200); }
        }
        lock (_logLock) _log.Dispose();
    }

    private async Task WaitUntilReadyAsync(Process process)
    {
        var deadline = DateTime.UtcNow + StartTimeout;
        Exception? last = null;
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited)
                throw new InvalidOperationException($"broker exited with code {process.ExitCode} during startup\n{LogTail()}");
            try
            {
                short error = await ApiVersionsProbe.AskAsync(Port, TimeSpan.FromSeconds(5));
                if (error == 0) return;
                last = new InvalidOperationException($"ApiVersions answered error {error}");
            }
            catch (Exception e) when (e is System.Net.Sockets.SocketException or IOException or TimeoutException or OperationCanceledException)
            {
                last = e;
            }
            await Task.Delay(100);
        }
        throw new TimeoutException($"broker not ready after {StartTimeout.TotalSeconds} s: {last?.Message}\n{LogTail()}");
    }

    private static async Task EnsureServerBuiltAsync()
    {
        await s_buildLock.WaitAsync();
        try
        {
            if (File.Exists(TestPaths.ServerDll)) return;
            string[] args = ["build", "src/AkkaLog.Server", "-c", TestPaths.Configuration, "-v", "q"];
            var result = await ProcessRunner.RunAsync("dotnet", args, TimeSpan.FromMinutes(8), workingDirectory: TestPaths.Root);
            if (result.ExitCode != 0 || !File.Exists(TestPaths.ServerDll))
                throw new InvalidOperationException(result.Describe("dotnet " + string.Join(' ', args)));
        }
        finally
        {
            s_buildLock.Release();
        }
    }

    private void WriteLog(string line)
    {
        lock (_logLock)
        {
            try { _log.WriteLine(line); } catch (ObjectDisposedException) { }
        }
    }
}
