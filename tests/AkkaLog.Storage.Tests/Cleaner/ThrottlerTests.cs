using AkkaLog.Storage.Cleaner;
using static AkkaLog.Storage.Tests.Cleaner.Compacted;

namespace AkkaLog.Storage.Tests.Cleaner;

public sealed class ThrottlerTests
{
    private readonly ManualTimeProvider _time = new();
    private readonly List<TimeSpan> _sleeps = [];

    private Throttler Make(double bytesPerSecond) =>
        new(bytesPerSecond, _time, (duration, _) => { _sleeps.Add(duration); _time.Advance(duration); }, checkIntervalMs: 300);

    [Fact]
    public void Sleeps_just_long_enough_to_bring_the_interval_down_to_the_rate()
    {
        var throttler = Make(bytesPerSecond: 1000);
        _time.Advance(TimeSpan.FromMilliseconds(300));
        throttler.MaybeThrottle(3000, CancellationToken.None); // 3000 bytes in 0.3 s at 1000 B/s needs 3 s

        Assert.Equal([TimeSpan.FromMilliseconds(2700)], _sleeps);
        Assert.Equal(TimeSpan.FromMilliseconds(2700), throttler.TotalSlept);
    }

    [Fact]
    public void Does_not_sleep_below_the_rate_nor_before_the_check_interval()
    {
        var throttler = Make(bytesPerSecond: 1000);
        _time.Advance(TimeSpan.FromMilliseconds(100));
        throttler.MaybeThrottle(50_000, CancellationToken.None); // fast, but the interval has not passed
        Assert.Empty(_sleeps);
        _time.Advance(TimeSpan.FromSeconds(100));
        throttler.MaybeThrottle(10, CancellationToken.None); // 50 010 bytes over 100.1 s: slow enough
        Assert.Empty(_sleeps);
        _time.Advance(TimeSpan.FromMilliseconds(500));
        throttler.MaybeThrottle(1000, CancellationToken.None); // a new interval: 1000 bytes in 0.5 s
        Assert.Equal([TimeSpan.FromMilliseconds(500)], _sleeps);
    }

    [Fact]
    public void Unlimited_never_sleeps_and_cancellation_ends_a_sleep()
    {
        var unlimited = Make(double.MaxValue);
        _time.Advance(TimeSpan.FromSeconds(1));
        unlimited.MaybeThrottle(long.MaxValue / 2, CancellationToken.None);
        Assert.False(unlimited.IsThrottling);
        Assert.Empty(_sleeps);

        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        var throttler = Make(10);
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Throws<OperationCanceledException>(() => throttler.MaybeThrottle(1_000_000, cancelled.Token));
        Assert.Throws<ArgumentOutOfRangeException>(() => Make(0));
    }

    [Fact]
    public void The_cleaner_reports_its_io_to_the_throttle()
    {
        var time = new TickingTimeProvider(TimeSpan.FromMilliseconds(20));
        var dir = new TempDir();
        try
        {
            var log = Batches.Open(dir.Sub(Batches.Tp.DirectoryName), Compacted.Config, time);
            AppendUpdates(log, keys: 20, rounds: 10, time.GetUtcNow().ToUnixTimeMilliseconds());
            log.Roll();
            long bytes = log.Size;
            var slept = TimeSpan.Zero;
            using var throttled = NewCleaner(time, sleep: (d, _) => { slept += d; time.Advance(d); }, maxIoBytesPerSecond: 10_000);
            var started = time.GetUtcNow();

            Assert.Equal(CleanerPassOutcome.Cleaned, throttled.CleanOnce([log])!.Outcome);

            // Reading alone is `bytes`: at 10 kB/s the pass must have taken (on the test's clock) close to that.
            Assert.True(slept > TimeSpan.Zero);
            Assert.Equal(slept, throttled.TotalThrottled);
            Assert.True((time.GetUtcNow() - started).TotalSeconds >= bytes / 10_000.0 * 0.8, $"{time.GetUtcNow() - started} for {bytes} bytes");
            log.Close();
        }
        finally
        {
            dir.Dispose();
        }
    }

    /// <summary>A clock that moves on by a step every time it is read.</summary>
    private sealed class TickingTimeProvider(TimeSpan step) : TimeProvider
    {
        private DateTimeOffset _now = DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_000);

        public override DateTimeOffset GetUtcNow() => _now += step;

        public void Advance(TimeSpan by) => _now += by;
    }
}
