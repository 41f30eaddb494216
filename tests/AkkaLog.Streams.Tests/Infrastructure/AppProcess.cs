using System.Collections.Concurrent;
using System.Diagnostics;
using AkkaLog.TestSupport;

namespace AkkaLog.Streams.Tests.Infrastructure;

/// <summary>The streams test app (tests/AkkaLog.Streams.TestApp) as a separate process: its stdout lines, kill -9, SIGTERM.</summary>
public sealed class AppProcess : IDisposable
{
    private readonly Process _process;

    public AppProcess(ITestOutputHelper output, params string[] args)
    {
        string dll = Path.Combine(TestPaths.Root, "tests", "AkkaLog.Streams.TestApp", "bin", TestPaths.Configuration, "net10.0", "AkkaLog.Streams.TestApp.dll");
        if (!File.Exists(dll)) throw new FileNotFoundException("build tests/AkkaLog.Streams.TestApp first", dll);
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(dll);
        foreach (var a in args) psi.ArgumentList.Add(a);
        _process = new Process { StartInfo = psi };
        _process.OutputDataReceived += (_, e) => { if (e.Data is not null) { Lines.Enqueue(e.Data); Log(output, e.Data); } };
        _process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { Lines.Enqueue("stderr " + e.Data); Log(output, "stderr " + e.Data); } };
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public ConcurrentQueue<string> Lines { get; } = new();

    public bool HasExited => _process.HasExited;

    /// <summary>The last "processed=N" the app printed (0 before any).</summary>
    public long Processed => Lines.Where(l => l.StartsWith("processed=", StringComparison.Ordinal)).Select(l => long.Parse(l["processed=".Length..])).LastOrDefault();

    /// <summary>The "running restored=N loaded=M" line's numbers, once printed.</summary>
    public (long Restored, long Loaded)? Running
    {
        get
        {
            var line = Lines.FirstOrDefault(l => l.StartsWith("running ", StringComparison.Ordinal));
            if (line is null) return null;
            var parts = line.Split(' ').Skip(1).Select(p => p.Split('=')).ToDictionary(p => p[0], p => long.Parse(p[1]));
            return (parts["restored"], parts["loaded"]);
        }
    }

    /// <summary>kill -9.</summary>
    public void Kill()
    {
        try { _process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
        _process.WaitForExit();
    }

    /// <summary>SIGTERM, then wait for a clean exit.</summary>
    public async Task StopAsync()
    {
        using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString()])) await kill.WaitForExitAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await _process.WaitForExitAsync(cts.Token);
    }

    public void Dispose()
    {
        if (!_process.HasExited) Kill();
        _process.Dispose();
    }

    private static void Log(ITestOutputHelper output, string line)
    {
        try { output.WriteLine($"{DateTime.UtcNow:HH:mm:ss.fff} app: {line}"); } catch (InvalidOperationException) { }
    }
}
