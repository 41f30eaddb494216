using System.Diagnostics;

namespace AkkaLog.TestSupport;

/// <summary>
/// A server process a test owns (a broker, etcd): its temporary directory (deleted on disposal),
/// its captured output in a log file under <see cref="TestPaths.LogDir"/> (kept after the run), and
/// the ways to stop it. Only this process's own PID is ever signalled. Subclasses say how to start
/// it and when it is ready.
/// </summary>
public abstract class ManagedProcess : IAsyncDisposable
{
    private readonly object _logLock = new();
    private readonly StreamWriter _log;
    private Process? _process;

    /// <summary>Creates the directory and log file; <paramref name="logTag"/> tells runs apart (a port, say).</summary>
    protected ManagedProcess(string name, int logTag)
    {
        Name = name;
        Root = Path.Combine(Path.GetTempPath(), "akkalog-tests", $"{name}-{Guid.NewGuid().ToString("N")[..8]}");
        Directory.CreateDirectory(Root);
        LogFile = Path.Combine(TestPaths.LogDir, $"{name}-{DateTime.UtcNow:HHmmss}-{logTag}.log");
        _log = new StreamWriter(LogFile, append: true) { AutoFlush = true };
    }

    /// <summary>The name given at creation.</summary>
    public string Name { get; }

    /// <summary>Temporary directory owned by this process (deleted on disposal).</summary>
    public string Root { get; }

    /// <summary>The process's captured stdout and stderr.</summary>
    public string LogFile { get; }

    /// <summary>OS process id while it runs, or -1.</summary>
    public int Pid => _process?.Id ?? -1;

    /// <summary>True while the process runs.</summary>
    public bool IsRunning => _process is { HasExited: false };

    /// <summary>Starts the process described by <paramref name="start"/> with output captured, then waits until it is ready.</summary>
    protected async Task LaunchAsync(ProcessStartInfo start)
    {
        if (IsRunning) throw new InvalidOperationException($"{Name} already running");
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.UseShellExecute = false;
        start.WorkingDirectory = Root;
        WriteLog($"=== test harness: {start.FileName} {string.Join(' ', start.ArgumentList)} ===");
        var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) WriteLog(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) WriteLog("[stderr] " + e.Data); };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;
        await WaitUntilReadyAsync(process);
    }

    /// <summary>Returns once the process serves requests; throws (with <see cref="LogTail"/>) if it exits or takes too long.</summary>
    protected abstract Task WaitUntilReadyAsync(Process process);

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

    /// <summary>SIGTERM and wait for a clean exit; returns the exit code, or throws (after killing) if it takes over 30 s.</summary>
    public async Task<int> StopAsync()
    {
        if (_process is null) return 0;
        WriteLog("=== test harness: kill -TERM ===");
        if (!await Signals.TerminateAsync(_process, TimeSpan.FromSeconds(30)))
        {
            Kill();
            throw new TimeoutException($"{Name} did not exit within 30 s of SIGTERM\n{LogTail()}");
        }
        int code = _process.ExitCode;
        _process.Dispose();
        _process = null;
        return code;
    }

    /// <summary>The last <paramref name="lines"/> lines of the log, for failure messages.</summary>
    public string LogTail(int lines = 60)
    {
        string[] all;
        lock (_logLock)
        {
            using var fs = new FileStream(LogFile, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            using var reader = new StreamReader(fs);
            all = reader.ReadToEnd().Split('\n');
        }
        return $"--- {Name} log {LogFile} (last {lines} lines) ---\n" + string.Join('\n', all.TakeLast(lines));
    }

    /// <summary>Kills the process (if running) and deletes its directory; the log file stays.</summary>
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
        GC.SuppressFinalize(this);
    }

    /// <summary>Starts a prepared instance; disposes it again if start-up fails.</summary>
    protected static async Task<T> StartOrDisposeAsync<T>(T instance, Func<T, Task> start) where T : ManagedProcess
    {
        try
        {
            await start(instance);
            return instance;
        }
        catch
        {
            await instance.DisposeAsync();
            throw;
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
