namespace AkkaLog.Streams.Tests.Unit;

/// <summary>Window assignment and the factories' checks.</summary>
public sealed class WindowsTests
{
    private static List<(long, long)> For(TimeWindows w, long ts)
    {
        var list = new List<(long Start, long End)>();
        w.WindowsFor(ts, list);
        return list;
    }

    [Fact]
    public void Tumbling_windows_hold_each_timestamp_once()
    {
        var w = TimeWindows.OfSizeWithNoGrace(TimeSpan.FromMinutes(1));
        Assert.Equal([(60_000L, 120_000L)], For(w, 60_000));
        Assert.Equal([(60_000L, 120_000L)], For(w, 119_999));
        Assert.Equal([(0L, 60_000L)], For(w, 0));
    }

    [Fact]
    public void Hopping_windows_hold_each_timestamp_size_over_advance_times()
    {
        var w = TimeWindows.OfSizeAndGrace(TimeSpan.FromSeconds(10), TimeSpan.Zero).AdvanceBy(TimeSpan.FromSeconds(5));
        Assert.Equal([(5_000L, 15_000L), (10_000L, 20_000L)], For(w, 12_000));
        Assert.Equal([(0L, 10_000L)], For(w, 3_000));
    }

    [Fact]
    public void Bad_window_settings_are_refused_with_a_reason()
    {
        Assert.Contains("longer than 0", Assert.Throws<ArgumentException>(() => TimeWindows.OfSizeWithNoGrace(TimeSpan.Zero)).Message);
        Assert.Contains("negative", Assert.Throws<ArgumentException>(() => TimeWindows.OfSizeAndGrace(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(-1))).Message);
        Assert.Contains("advance", Assert.Throws<ArgumentException>(() => TimeWindows.OfSizeWithNoGrace(TimeSpan.FromSeconds(1)).AdvanceBy(TimeSpan.FromSeconds(2))).Message);
        Assert.Contains("gap", Assert.Throws<ArgumentException>(() => SessionWindows.OfInactivityGapWithNoGrace(TimeSpan.Zero)).Message);
        Assert.Contains("retention", Assert.Throws<ArgumentException>(() => TimeWindows.OfSizeAndGrace(TimeSpan.FromHours(1), TimeSpan.FromHours(1)).WithRetention(TimeSpan.FromMinutes(1))).Message);
    }
}
