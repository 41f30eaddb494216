using System.Numerics;

namespace AkkaLog.Cli.Commands.Perf;

/// <summary>
/// Delivery latencies in microseconds, log-linear buckets (128 per power of two, so any percentile is
/// within 1% of the true value) in a fixed array: memory stays constant however many records a perf
/// run sends, unlike keeping every sample. <see cref="Record"/> is called from one thread at a time
/// (the producer runs delivery handlers one after another), so it needs no atomic operations: they
/// were a measurable share of a perf run's CPU. Read the figures once recording has stopped.
/// </summary>
internal sealed class LatencyHistogram
{
    private const int SubBuckets = 128;          // 7 bits of precision
    private const int LinearLimit = 2 * SubBuckets; // values below this get their own bucket
    private const int MaxShift = 34;             // 2^41 µs ≈ 25 days: anything later lands in the last bucket

    private readonly long[] _counts = new long[LinearLimit + MaxShift * SubBuckets];
    private long _count;
    private long _sumMicros;
    private long _maxMicros;

    /// <summary>Records one latency.</summary>
    public void Record(long micros)
    {
        if (micros < 0) micros = 0;
        _counts[Index(micros)]++;
        _sumMicros += micros;
        if (micros > _maxMicros) _maxMicros = micros;
        Volatile.Write(ref _count, _count + 1);
    }

    /// <summary>Samples recorded.</summary>
    public long Count => Volatile.Read(ref _count);

    /// <summary>Mean in milliseconds (0 when empty).</summary>
    public double MeanMs => Count == 0 ? 0 : Volatile.Read(ref _sumMicros) / 1000.0 / Count;

    /// <summary>Largest in milliseconds.</summary>
    public double MaxMs => Volatile.Read(ref _maxMicros) / 1000.0;

    /// <summary>The latency (ms) at or below which <paramref name="percentile"/> percent of samples fall.</summary>
    public double PercentileMs(double percentile)
    {
        long total = Count;
        if (total == 0) return 0;
        long rank = Math.Max(1, (long)Math.Ceiling(percentile / 100.0 * total));
        long seen = 0;
        for (int i = 0; i < _counts.Length; i++)
        {
            seen += Volatile.Read(ref _counts[i]);
            if (seen >= rank) return Math.Min(UpperBound(i), Volatile.Read(ref _maxMicros)) / 1000.0;
        }
        return MaxMs;
    }

    private static int Index(long micros)
    {
        if (micros < LinearLimit) return (int)micros;
        int shift = 63 - BitOperations.LeadingZeroCount((ulong)micros) - 7; // micros >> shift is in [128, 255]
        if (shift > MaxShift) return LinearLimit + MaxShift * SubBuckets - 1;
        return LinearLimit + (shift - 1) * SubBuckets + (int)(micros >> shift) - SubBuckets;
    }

    /// <summary>The largest value that maps to bucket <paramref name="index"/>.</summary>
    private static long UpperBound(int index)
    {
        if (index < LinearLimit) return index;
        int shift = (index - LinearLimit) / SubBuckets + 1;
        long mantissa = (index - LinearLimit) % SubBuckets + SubBuckets;
        return ((mantissa + 1) << shift) - 1;
    }
}
