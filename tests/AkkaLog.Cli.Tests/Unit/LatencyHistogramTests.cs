using AkkaLog.Cli.Commands.Perf;

namespace AkkaLog.Cli.Tests.Unit;

public sealed class LatencyHistogramTests
{
    [Fact]
    public void Percentiles_are_within_one_percent()
    {
        var h = new LatencyHistogram();
        for (int i = 1; i <= 100_000; i++) h.Record(i); // 1 µs .. 100 ms, uniform
        Assert.Equal(100_000, h.Count);
        Assert.Equal(50.0, h.PercentileMs(50), 50 * 0.01);
        Assert.Equal(95.0, h.PercentileMs(95), 95 * 0.01);
        Assert.Equal(99.0, h.PercentileMs(99), 99 * 0.01);
        Assert.Equal(99.9, h.PercentileMs(99.9), 99.9 * 0.01);
        Assert.Equal(100.0, h.MaxMs, 3);
        Assert.Equal(50.0005, h.MeanMs, 3);
    }

    [Fact]
    public void Small_values_are_exact_and_the_top_is_capped_by_the_max()
    {
        var h = new LatencyHistogram();
        foreach (int v in new[] { 3, 3, 3, 200, 1_000_000 }) h.Record(v);
        Assert.Equal(0.003, h.PercentileMs(50), 6);
        Assert.Equal(0.2, h.PercentileMs(80), 6);
        Assert.Equal(1000.0, h.PercentileMs(100), 6);
    }

    [Fact]
    public void Empty_reports_zero()
    {
        var h = new LatencyHistogram();
        Assert.Equal(0, h.PercentileMs(99));
        Assert.Equal(0, h.MeanMs);
    }
}
