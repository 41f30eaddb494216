using System.Diagnostics;

namespace AkkaLog.Cli.Commands.Perf;

/// <summary>
/// Running totals of a perf run plus the figures since the last progress report (records, bytes,
/// latency sum and max), so each progress line shows the current rate rather than the average so
/// far, as Kafka's perf tools print. <see cref="Add"/> may be called from any thread.
/// </summary>
internal sealed class PerfWindow
{
    private readonly long _start = Stopwatch.GetTimestamp();
    private long _records;
    private long _bytes;
    private long _windowStart;
    private long _windowRecords;
    private long _windowBytes;
    private long _windowLatencyMicros;
    private long _windowMaxMicros;

    public PerfWindow() => _windowStart = _start;

    /// <summary>Records counted.</summary>
    public long Records => Volatile.Read(ref _records);

    /// <summary>Bytes counted.</summary>
    public long Bytes => Volatile.Read(ref _bytes);

    /// <summary>Time since the run started.</summary>
    public TimeSpan Elapsed => Stopwatch.GetElapsedTime(_start);

    /// <summary>Counts one record of <paramref name="bytes"/> with <paramref name="latencyMicros"/> (0 when not measured).</summary>
    public void Add(long bytes, long latencyMicros = 0)
    {
        Interlocked.Increment(ref _records);
        Interlocked.Add(ref _bytes, bytes);
        Interlocked.Increment(ref _windowRecords);
        Interlocked.Add(ref _windowBytes, bytes);
        Interlocked.Add(ref _windowLatencyMicros, latencyMicros);
        long max;
        while (latencyMicros > (max = Volatile.Read(ref _windowMaxMicros))
               && Interlocked.CompareExchange(ref _windowMaxMicros, latencyMicros, max) != max) { }
    }

    /// <summary>The figures since the last call, and starts a new window.</summary>
    public Snapshot TakeWindow()
    {
        long now = Stopwatch.GetTimestamp();
        double seconds = Stopwatch.GetElapsedTime(Interlocked.Exchange(ref _windowStart, now), now).TotalSeconds;
        long records = Interlocked.Exchange(ref _windowRecords, 0);
        long bytes = Interlocked.Exchange(ref _windowBytes, 0);
        long latency = Interlocked.Exchange(ref _windowLatencyMicros, 0);
        long maxLatency = Interlocked.Exchange(ref _windowMaxMicros, 0);
        return new Snapshot(records, bytes, seconds, records == 0 ? 0 : latency / 1000.0 / records, maxLatency / 1000.0);
    }

    /// <summary>One window's figures.</summary>
    public readonly record struct Snapshot(long Records, long Bytes, double Seconds, double AvgLatencyMs, double MaxLatencyMs)
    {
        /// <summary>Records per second.</summary>
        public double RecordsPerSecond => Seconds <= 0 ? 0 : Records / Seconds;

        /// <summary>MiB per second (Kafka's "MB/sec" is 1024*1024 bytes).</summary>
        public double MegabytesPerSecond => Seconds <= 0 ? 0 : Bytes / (1024.0 * 1024.0) / Seconds;
    }
}
