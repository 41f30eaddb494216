using AkkaLog.Cli.Commands.Perf;

namespace AkkaLog.Cli.Tests.Unit;

public sealed class PerfWindowTests
{
    [Fact]
    public void Each_window_reports_only_what_was_added_since_the_last_while_totals_keep_growing()
    {
        var w = new PerfWindow();
        w.Add(100, 2_000);
        w.Add(300, 6_000);
        var first = w.TakeWindow();
        Assert.Equal(2, first.Records);
        Assert.Equal(400, first.Bytes);
        Assert.Equal(4.0, first.AvgLatencyMs, 6);
        Assert.Equal(6.0, first.MaxLatencyMs, 6);

        w.Add(50, 1_000);
        var second = w.TakeWindow();
        Assert.Equal(1, second.Records);
        Assert.Equal(50, second.Bytes);
        Assert.Equal(1.0, second.MaxLatencyMs, 6);
        Assert.Equal(3, w.Records);
        Assert.Equal(450, w.Bytes);

        var empty = w.TakeWindow();
        Assert.Equal(0, empty.Records);
        Assert.Equal(0, empty.AvgLatencyMs);
    }
}
