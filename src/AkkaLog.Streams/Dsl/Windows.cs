namespace AkkaLog.Streams;

/// <summary>
/// Time windows for aggregations. Every factory makes you choose the grace period: how long after a
/// window's end (in event time, i.e. stream time) late records are still added. After that the window is
/// closed and its late records are dropped and counted (<see cref="StreamsMetrics.DroppedLateRecords"/>).
/// </summary>
public abstract class WindowsSpec
{
    private protected WindowsSpec(long sizeMs, long graceMs)
    {
        if (sizeMs <= 0) throw new ArgumentException($"a window must be longer than 0 ms, got {sizeMs}");
        if (graceMs < 0) throw new ArgumentException($"a grace period must not be negative, got {graceMs}");
        SizeMs = sizeMs;
        GraceMs = graceMs;
    }

    /// <summary>Window length (ms); for sliding windows the time difference.</summary>
    public long SizeMs { get; }

    /// <summary>Grace period (ms).</summary>
    public long GraceMs { get; }

    /// <summary>How long closed windows stay queryable in the store (default: size + grace, at least one day, as Kafka).</summary>
    public long RetentionMs { get; private protected set; }

    internal long DefaultRetention() => Math.Max(SizeMs + GraceMs, (long)TimeSpan.FromDays(1).TotalMilliseconds);

    private protected static long Ms(TimeSpan span) => (long)span.TotalMilliseconds;
}

/// <summary>Tumbling (fixed, non-overlapping) or hopping (fixed, overlapping) windows aligned to the epoch: [start, start + size).</summary>
public sealed class TimeWindows : WindowsSpec
{
    private TimeWindows(long sizeMs, long advanceMs, long graceMs, long? retentionMs) : base(sizeMs, graceMs)
    {
        if (advanceMs <= 0 || advanceMs > sizeMs) throw new ArgumentException($"the advance must be in (0, size={sizeMs}] ms, got {advanceMs}");
        AdvanceMs = advanceMs;
        RetentionMs = retentionMs ?? DefaultRetention();
        if (RetentionMs < sizeMs + graceMs) throw new ArgumentException($"retention {RetentionMs} ms must be at least size + grace ({sizeMs + graceMs} ms)");
    }

    /// <summary>How far each window starts after the previous one (= size for tumbling windows).</summary>
    public long AdvanceMs { get; }

    /// <summary>Tumbling windows of <paramref name="size"/>; records are late as soon as their window ended.</summary>
    public static TimeWindows OfSizeWithNoGrace(TimeSpan size) => new(Ms(size), Ms(size), 0, null);

    /// <summary>Tumbling windows of <paramref name="size"/> accepting records up to <paramref name="grace"/> after a window's end.</summary>
    public static TimeWindows OfSizeAndGrace(TimeSpan size, TimeSpan grace) => new(Ms(size), Ms(size), Ms(grace), null);

    /// <summary>Hopping windows: a new window every <paramref name="advance"/>.</summary>
    public TimeWindows AdvanceBy(TimeSpan advance) => new(SizeMs, Ms(advance), GraceMs, RetentionMs);

    /// <summary>Keeps closed windows queryable for <paramref name="retention"/>.</summary>
    public TimeWindows WithRetention(TimeSpan retention) => new(SizeMs, AdvanceMs, GraceMs, Ms(retention));

    /// <summary>Adds the windows holding <paramref name="timestamp"/> to <paramref name="into"/>.</summary>
    internal void WindowsFor(long timestamp, List<(long Start, long End)> into)
    {
        long start = Math.Max(0, timestamp - SizeMs + AdvanceMs) / AdvanceMs * AdvanceMs;
        for (; start <= timestamp; start += AdvanceMs)
            if (timestamp < start + SizeMs) into.Add((start, start + SizeMs));
    }
}

/// <summary>
/// Sliding windows: every record at time t defines the window [t - difference, t] (both ends inclusive)
/// aggregating the key's records in it; a record also updates the windows of later records within the
/// difference. (Kafka's sliding windows also emit windows starting right after each record; these do not.)
/// </summary>
public sealed class SlidingWindows : WindowsSpec
{
    private SlidingWindows(long differenceMs, long graceMs, long? retentionMs) : base(differenceMs, graceMs) =>
        RetentionMs = retentionMs ?? DefaultRetention();

    /// <summary>Windows of <paramref name="difference"/> without a grace period.</summary>
    public static SlidingWindows OfTimeDifferenceWithNoGrace(TimeSpan difference) => new(Ms(difference), 0, null);

    /// <summary>Windows of <paramref name="difference"/> with a grace period.</summary>
    public static SlidingWindows OfTimeDifferenceAndGrace(TimeSpan difference, TimeSpan grace) => new(Ms(difference), Ms(grace), null);
}

/// <summary>
/// Session windows: a key's records less than the inactivity gap apart form one session [first, last]
/// (inclusive); a record between two sessions merges them. A session closes when stream time passes
/// its end + gap + grace.
/// </summary>
public sealed class SessionWindows
{
    private SessionWindows(long gapMs, long graceMs)
    {
        if (gapMs <= 0) throw new ArgumentException($"an inactivity gap must be longer than 0 ms, got {gapMs}");
        if (graceMs < 0) throw new ArgumentException($"a grace period must not be negative, got {graceMs}");
        GapMs = gapMs;
        GraceMs = graceMs;
    }

    /// <summary>The inactivity gap (ms).</summary>
    public long GapMs { get; }

    /// <summary>The grace period (ms).</summary>
    public long GraceMs { get; }

    /// <summary>Sessions with <paramref name="gap"/> and no grace.</summary>
    public static SessionWindows OfInactivityGapWithNoGrace(TimeSpan gap) => new((long)gap.TotalMilliseconds, 0);

    /// <summary>Sessions with <paramref name="gap"/> accepting late records for <paramref name="grace"/>.</summary>
    public static SessionWindows OfInactivityGapAndGrace(TimeSpan gap, TimeSpan grace) => new((long)gap.TotalMilliseconds, (long)grace.TotalMilliseconds);
}

/// <summary>
/// The window of a stream-stream join: records of the two sides join when their timestamps differ by at most
/// the time difference (before/after may differ). Records stay joinable until stream time passes their
/// time + difference + grace.
/// </summary>
public sealed class JoinWindows
{
    private JoinWindows(long beforeMs, long afterMs, long graceMs)
    {
        if (beforeMs < 0 || afterMs < 0) throw new ArgumentException("join window bounds must not be negative");
        if (graceMs < 0) throw new ArgumentException($"a grace period must not be negative, got {graceMs}");
        BeforeMs = beforeMs;
        AfterMs = afterMs;
        GraceMs = graceMs;
    }

    /// <summary>How much earlier an other-side record may be (ms).</summary>
    public long BeforeMs { get; }

    /// <summary>How much later an other-side record may be (ms).</summary>
    public long AfterMs { get; }

    /// <summary>The grace period (ms).</summary>
    public long GraceMs { get; }

    /// <summary>Records within <paramref name="difference"/> of each other join; no grace.</summary>
    public static JoinWindows OfTimeDifferenceWithNoGrace(TimeSpan difference) => new(Ms(difference), Ms(difference), 0);

    /// <summary>Records within <paramref name="difference"/> of each other join; late records accepted for <paramref name="grace"/>.</summary>
    public static JoinWindows OfTimeDifferenceAndGrace(TimeSpan difference, TimeSpan grace) => new(Ms(difference), Ms(difference), Ms(grace));

    /// <summary>Sets how much earlier the other side may be.</summary>
    public JoinWindows Before(TimeSpan before) => new(Ms(before), AfterMs, GraceMs);

    /// <summary>Sets how much later the other side may be.</summary>
    public JoinWindows After(TimeSpan after) => new(BeforeMs, Ms(after), GraceMs);

    private static long Ms(TimeSpan span) => (long)span.TotalMilliseconds;
}
