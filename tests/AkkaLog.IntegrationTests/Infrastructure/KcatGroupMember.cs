using System.Collections.Concurrent;
using System.Diagnostics;

namespace AkkaLog.IntegrationTests.Infrastructure;

/// <summary>
/// One balanced kcat consumer (<c>kcat -G group topic</c>) running in the background: unbuffered
/// output (<c>-u</c>) of one line per record, auto-commit every 200 ms, session timeout 6 s unless
/// given, heartbeats every 500 ms, starting at the earliest offset when the group has no commit. Records
/// and stderr lines are collected as they arrive. <see cref="StopAsync"/> sends SIGTERM (kcat closes
/// the consumer: final commit, LeaveGroup); <see cref="Kill"/> is SIGKILL (no goodbye at all).
/// </summary>
public sealed class KcatGroupMember : IAsyncDisposable
{
    /// <summary>Default session.timeout.ms a member asks for (the broker's default minimum).</summary>
    public const int DefaultSessionTimeoutMs = 6000;

    private readonly Process _process;
    private readonly ConcurrentQueue<string> _lines = new();
    private readonly ConcurrentQueue<string> _stderr = new();

    private KcatGroupMember(string name, Process process)
    {
        Name = name;
        _process = process;
    }

    /// <summary>A label for messages.</summary>
    public string Name { get; }

    /// <summary>Records printed so far, in the order kcat printed them.</summary>
    public IReadOnlyList<KcatRecord> Records => _lines.Select(KcatRecord.Parse).ToList();

    /// <summary>kcat's stderr so far (rebalance notices, errors).</summary>
    public string Stderr => string.Join('\n', _stderr);

    /// <summary>True once the process has ended.</summary>
    public bool HasExited => _process.HasExited;

    /// <summary>Starts <c>kcat -b bootstrap -G group topic</c>.</summary>
    public static KcatGroupMember Start(string name, string bootstrap, string group, string topic, int sessionTimeoutMs = DefaultSessionTimeoutMs)
    {
        var psi = new ProcessStartInfo(TestPaths.Kcat)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in new[]
                 {
                     "-b", bootstrap, "-u", "-f", "%t %p %o %k %s\\n",
                     "-X", "client.id=" + name,
                     "-X", "auto.offset.reset=earliest",
                     "-X", "auto.commit.interval.ms=200",
                     "-X", $"session.timeout.ms={sessionTimeoutMs}",
                     "-X", "heartbeat.interval.ms=500",
                     "-G", group, topic,
                 })
            psi.ArgumentList.Add(a);
        var process = new Process { StartInfo = psi };
        var member = new KcatGroupMember(name, process);
        process.OutputDataReceived += (_, e) => { if (e.Data is { Length: > 0 } line) member._lines.Enqueue(line); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) member._stderr.Enqueue(e.Data); };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return member;
    }

    /// <summary>SIGTERM, then waits for kcat to close its consumer and exit (kills it after 30 s).</summary>
    public async Task StopAsync()
    {
        if (!await Signals.TerminateAsync(_process, TimeSpan.FromSeconds(30)))
        {
            Kill();
            throw new TimeoutException($"kcat {Name} did not exit within 30 s of SIGTERM\n{Stderr}");
        }
        _process.WaitForExit(); // drains the output readers
    }

    /// <summary>SIGKILL: the member vanishes without leaving the group.</summary>
    public void Kill()
    {
        try { _process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
        _process.WaitForExit();
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        if (!_process.HasExited) Kill();
        _process.Dispose();
        return ValueTask.CompletedTask;
    }
}

/// <summary>One record as a kcat member printed it (<c>%t %p %o %k %s</c>).</summary>
public readonly record struct KcatRecord(string Topic, int Partition, long Offset, string Key, string Value)
{
    /// <summary>Parses "topic partition offset key value".</summary>
    public static KcatRecord Parse(string line)
    {
        var f = line.Split(' ', 5);
        if (f.Length != 5) throw new FormatException($"unexpected kcat line '{line}'");
        return new KcatRecord(f[0], int.Parse(f[1]), long.Parse(f[2]), f[3], f[4]);
    }
}
