using System.Diagnostics;

namespace AkkaLog.Cli.Commands.Perf;

/// <summary>
/// Running totals of a perf run plus the figures since the last progress report (records, bytes,
/// latency sum and max), so each progress line shows the current rate rather than the average so
/// far, as Kafka's perf tools print. <see cref="Add"/> is called from one thread at a time (the
/// consume loop, or the producer's delivery handlers, which never overlap), so it only publishes
/// running totals, with no atomic read-modify-write per record; <see cref="TakeWindow"/> (the
/// progress display, on another thread) subtracts the totals it saw last time.
/// </summary>
internal sealed class PerfWindow
{
    private readonly long _start = Stopwatch.GetTimestamp();
    private long _records;
    private long _bytes;
    private long _latencyMicros;
    private long _latencySamples;
    private long _windowMaxMicros;
    private long _windowStart;
    private (long Records, long Bytes, long LatencyMicros, long LatencySamples) _taken;

    public PerfWindow() => _windowStart = _start;

    /// <summary>Records counted.</summary>
    public long Records => Volatile.Read(ref _records);

    /// <summary>Bytes counted.</summary>
    public long Bytes => Volatile.Read(ref _bytes);

    /// <summary>Time since the run started.</summary>
    public TimeSpan Elapsed => Stopwatch.GetElapsedTime(_start);

    /// <summary>
    /// Counts one record of <paramref name="bytes"/>, with its latency when it was measured
    /// (<paramref name="latencyMicros"/> negative: not measured; averages and maxima are over measured records).
    /// </summary>
    public void Add(long bytes, long latencyMicros = -1)
    {
        if (latencyMicros >= 0)
        {
            Volatile.Write(ref _latencyMicros, _latencyMicros + latencyMicros);
            Volatile.Write(ref _latencySamples, _latencySamples + 1);
        }
        Volatile.Write(ref _bytes, _bytes + bytes);
        // Last, so a reader that sees this record's count also sees its bytes and latency.
        Volatile.Write(ref _records, _records + 1);
        // Only a new maximum needs the compare-and-swap (the reader resets it each window).
        long max;
        while (latencyMicros > (max = Volatile.Read(ref _windowMaxMicros))
               && Interlocked.CompareExchange(ref _windowMaxMicros, latencyMicros, max) != max) { }
    }

    /// <summary>The figures since the last call, and starts a new window. Call from one thread.</summary>
    public Snapshot TakeWindow()
    {
        long now = Stopwatch.GetTimestamp();
        double seconds = Stopwatch.GetElapsedTime(_windowStart, now).TotalSeconds;
        _windowStart = now;
        long records = Volatile.Read(ref _records);
        var totals = (records, Volatile.Read(ref _bytes), Volatile.Read(ref _latencyMicros), Volatile.Read(ref _latencySamples));
        long maxLatency = Interlocked.Exchange(ref _windowMaxMicros, 0);
        long windowRecords = totals.Item1 - _taken.Records, windowBytes = totals.Item2 - _taken.Bytes;
        long windowLatency = totals.Item3 - _taken.LatencyMicros, windowSamples = totals.Item4 - _taken.LatencySamples;
        _taken = totals;
        return new Snapshot(windowRecords, windowBytes, seconds, windowSamples == 0 ? 0 : windowLatency / 1000.0 / windowSamples, maxLatency / 1000.0);
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
