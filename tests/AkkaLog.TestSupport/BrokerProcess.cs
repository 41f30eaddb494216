using System.Diagnostics;

namespace AkkaLog.TestSupport;

/// <summary>
/// One akkalog-server process on a free loopback port with its own temporary data directory.
/// <see cref="ManagedProcess.Kill"/> is kill -9, <see cref="ManagedProcess.StopAsync"/> is SIGTERM,
/// <see cref="RestartAsync"/> reuses port and data. The server dll is built (same configuration as
/// the tests) if it is missing.
/// </summary>
public sealed class BrokerProcess : ManagedProcess
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private static readonly SemaphoreSlim s_buildLock = new(1, 1);
    private readonly IReadOnlyDictionary<string, string> _settings;

    /// <summary>
    /// Prepares (does not start) a broker with Kafka-named <paramref name="settings"/> (e.g.
    /// <c>message.max.bytes</c>) besides log.dirs and listeners, which it sets itself.
    /// </summary>
    public BrokerProcess(string name, IReadOnlyDictionary<string, string>? settings = null, int? port = null)
        : this(name, settings, port ?? TestPaths.FreePort())
    {
    }

    private BrokerProcess(string name, IReadOnlyDictionary<string, string>? settings, int port) : base(name, port)
    {
        _settings = settings ?? new Dictionary<string, string>();
        Port = port;
        DataDir = Path.Combine(Root, "data");
        Directory.CreateDirectory(DataDir);
    }

    /// <summary>Loopback port the broker listens on (and advertises).</summary>
    public int Port { get; }

    /// <summary><c>127.0.0.1:port</c>, for clients.</summary>
    public string Bootstrap => $"127.0.0.1:{Port}";

    /// <summary>The broker's log.dirs.</summary>
    public string DataDir { get; }

    /// <summary>Prepares and starts a broker; disposes it again if start-up fails.</summary>
    public static Task<BrokerProcess> StartNewAsync(string name, IReadOnlyDictionary<string, string>? settings = null) =>
        StartOrDisposeAsync(new BrokerProcess(name, settings), b => b.StartAsync());

    /// <summary>Starts the process and waits until it answers ApiVersions.</summary>
    public async Task StartAsync()
    {
        await EnsureServerBuiltAsync();
        var psi = new ProcessStartInfo("dotnet");
        // The broker reads AKKALOG_* variables as settings and refuses unknown ones: the tests' own must not leak in.
        foreach (var key in psi.Environment.Keys.Where(k => k.StartsWith("AKKALOG_", StringComparison.Ordinal)).ToList())
            psi.Environment.Remove(key);
        psi.ArgumentList.Add(TestPaths.ServerDll);
        psi.ArgumentList.Add($"--log.dirs={DataDir}");
        psi.ArgumentList.Add($"--listeners=PLAINTEXT://127.0.0.1:{Port}");
        psi.ArgumentList.Add($"--advertised.listeners=PLAINTEXT://127.0.0.1:{Port}");
        foreach (var (key, value) in _settings) psi.ArgumentList.Add($"--{key}={value}");
        await LaunchAsync(psi);
    }

    /// <summary>Stops the broker if it still runs (SIGTERM), then starts it again on the same port and data.</summary>
    public async Task RestartAsync()
    {
        await StopAsync();
        await StartAsync();
    }

    /// <inheritdoc />
    protected override async Task WaitUntilReadyAsync(Process process)
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
}
