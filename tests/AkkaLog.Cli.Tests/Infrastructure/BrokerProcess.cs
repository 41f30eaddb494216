using AkkaLog.Client.Tests.Infrastructure;
using System.Diagnostics;
using AkkaLog.Client;

namespace AkkaLog.Cli.Tests.Infrastructure;

/// <summary>
/// One akkalog-server process on a free loopback port with a temporary data directory. Builds the
/// server (Release) first if its dll is missing. Disposal kills it and deletes the data; its log
/// stays next to the test binaries for post-mortems.
/// </summary>
public sealed class BrokerProcess : IAsyncDisposable
{
    private readonly IReadOnlyDictionary<string, string> _settings;
    private readonly StreamWriter _log;
    private readonly object _logLock = new();
    private Process? _process;

    public BrokerProcess(string name, IReadOnlyDictionary<string, string>? settings = null)
    {
        _settings = settings ?? new Dictionary<string, string>();
        Port = TestPaths.FreePort();
        Root = Path.Combine(Path.GetTempPath(), "akkalog-cli-tests", $"{name}-{Guid.NewGuid():N}");
        DataDir = Path.Combine(Root, "data");
        Directory.CreateDirectory(DataDir);
        var logDir = Path.Combine(AppContext.BaseDirectory, "broker-logs");
        Directory.CreateDirectory(logDir);
        LogFile = Path.Combine(logDir, $"{name}-{DateTime.UtcNow:HHmmss}-{Port}.log");
        _log = new StreamWriter(LogFile, append: true) { AutoFlush = true };
    }

    public int Port { get; }

    public string Root { get; }

    public string DataDir { get; }

    public string LogFile { get; }

    /// <summary><c>127.0.0.1:port</c>.</summary>
    public string Bootstrap => $"127.0.0.1:{Port}";

    /// <summary>Starts the process and waits until it answers DescribeCluster.</summary>
    public async Task StartAsync()
    {
        await EnsureServerBuiltAsync();
        var psi = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = Root,
        };
        psi.ArgumentList.Add(TestPaths.ServerDll);
        psi.ArgumentList.Add($"--log.dirs={DataDir}");
        psi.ArgumentList.Add($"--listeners=PLAINTEXT://127.0.0.1:{Port}");
        psi.ArgumentList.Add($"--advertised.listeners=PLAINTEXT://127.0.0.1:{Port}");
        psi.ArgumentList.Add("--group.initial.rebalance.delay.ms=0");
        foreach (var (k, v) in _settings) psi.ArgumentList.Add($"--{k}={v}");
        // The server takes AKKALOG_* variables as settings and refuses unknown ones.
        foreach (var key in psi.Environment.Keys.Where(k => k.StartsWith("AKKALOG_", StringComparison.Ordinal)).ToList())
            psi.Environment.Remove(key);
        Log($"=== test: dotnet {string.Join(' ', psi.ArgumentList)}");
        var process = new Process { StartInfo = psi };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) Log(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) Log("[stderr] " + e.Data); };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;

        var deadline = DateTime.UtcNow.AddSeconds(60);
        await using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = Bootstrap, DefaultApiTimeoutMs = 60_000 }).Build();
        while (true)
        {
            if (process.HasExited) throw new InvalidOperationException($"broker exited with {process.ExitCode} during start-up; see {LogFile}");
            try
            {
                await admin.DescribeClusterAsync(new Client.Admin.AdminOptions { Timeout = TimeSpan.FromSeconds(2) });
                return;
            }
            catch (KafkaException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(100);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is not null)
        {
            try { _process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
            await _process.WaitForExitAsync();
            _process.Dispose();
            _process = null;
        }
        for (int i = 0; i < 5 && Directory.Exists(Root); i++)
        {
            try { Directory.Delete(Root, recursive: true); }
            catch (IOException) { await Task.Delay(200); }
        }
        lock (_logLock) _log.Dispose();
    }

    private static async Task EnsureServerBuiltAsync()
    {
        if (File.Exists(TestPaths.ServerDll)) return;
        var result = await ProcessRunner.RunAsync("dotnet", ["build", "src/AkkaLog.Server", "-c", "Release", "-v", "q"],
            TimeSpan.FromMinutes(8), workingDirectory: TestPaths.Root);
        if (result.ExitCode != 0 || !File.Exists(TestPaths.ServerDll))
            throw new InvalidOperationException(result.Describe("dotnet build src/AkkaLog.Server -c Release"));
    }

    private void Log(string line)
    {
        lock (_logLock)
        {
            try { _log.WriteLine(line); } catch (ObjectDisposedException) { }
        }
    }
}
