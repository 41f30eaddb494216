namespace AkkaLog.Storage.Cleaner;

/// <summary>
/// Kafka's cleaner <c>Throttler</c>: callers report the bytes they read or wrote; once per check interval
/// the observed rate is compared with the desired one and, if it is faster, the caller sleeps just long
/// enough to bring the interval's average down to it. Time comes from a <see cref="TimeProvider"/> and the
/// sleep is a delegate, so tests drive both without real waiting. One thread at a time.
/// </summary>
internal sealed class Throttler
{
    private readonly double _bytesPerSecond;
    private readonly TimeProvider _time;
    private readonly Action<TimeSpan, CancellationToken> _sleep;
    private readonly long _checkIntervalMs;
    private long _periodStartMs;
    private long _observed;

    /// <summary>
    /// A throttler holding I/O to <paramref name="bytesPerSecond"/> (<see cref="double.MaxValue"/> or
    /// infinity: never sleeps). <paramref name="sleep"/> defaults to a wait that cancellation interrupts.
    /// </summary>
    public Throttler(double bytesPerSecond, TimeProvider time, Action<TimeSpan, CancellationToken>? sleep = null,
        long checkIntervalMs = 300)
    {
        if (!(bytesPerSecond > 0)) throw new ArgumentOutOfRangeException(nameof(bytesPerSecond), bytesPerSecond, "must be positive");
        _bytesPerSecond = bytesPerSecond;
        _time = time;
        _sleep = sleep ?? SleepInterruptibly;
        _checkIntervalMs = checkIntervalMs;
        _periodStartMs = NowMs;
    }

    /// <summary>False when the rate is unlimited.</summary>
    public bool IsThrottling => _bytesPerSecond < double.MaxValue;

    /// <summary>Total time this throttler has slept.</summary>
    public TimeSpan TotalSlept { get; private set; }

    /// <summary>Reports <paramref name="bytes"/> of I/O and sleeps if the rate over the current interval is too high.</summary>
    public void MaybeThrottle(long bytes, CancellationToken cancellationToken)
    {
        if (!IsThrottling) return;
        _observed += bytes;
        long now = NowMs;
        long elapsedMs = now - _periodStartMs;
        if (elapsedMs < _checkIntervalMs || _observed <= 0) return;
        double rate = _observed * 1000.0 / Math.Max(elapsedMs, 1);
        if (rate > _bytesPerSecond)
        {
            double targetMs = _observed * 1000.0 / _bytesPerSecond;
            long sleepMs = (long)Math.Round(targetMs - elapsedMs);
            if (sleepMs > 0)
            {
                var duration = TimeSpan.FromMilliseconds(sleepMs);
                _sleep(duration, cancellationToken);
                TotalSlept += duration;
                cancellationToken.ThrowIfCancellationRequested();
            }
        }
        _periodStartMs = NowMs;
        _observed = 0;
    }

    private long NowMs => _time.GetUtcNow().ToUnixTimeMilliseconds();

    private static void SleepInterruptibly(TimeSpan duration, CancellationToken cancellationToken) =>
        cancellationToken.WaitHandle.WaitOne(duration);
}
