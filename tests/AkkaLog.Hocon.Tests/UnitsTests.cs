namespace AkkaLog.Hocon.Tests;

public sealed class UnitsTests
{
    [Theory]
    [InlineData("10ms", 10)]
    [InlineData("5 s", 5_000)]
    [InlineData("2 minutes", 120_000)]
    [InlineData("7d", 604_800_000)]
    [InlineData("1h", 3_600_000)]
    [InlineData("1.5h", 5_400_000)]
    [InlineData("250", 250)]
    [InlineData(" 3 seconds ", 3_000)]
    [InlineData("1 w", 604_800_000)]
    [InlineData("2000us", 2)]
    [InlineData("5m", 300_000)]
    public void ParsesDurations(string text, long milliseconds)
    {
        Assert.Equal(milliseconds, HoconUnits.ParseDurationMilliseconds(text));
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), HoconUnits.ParseDuration(text));
    }

    [Fact]
    public void SubTickDurationsTruncate()
    {
        Assert.Equal(TimeSpan.FromTicks(15), HoconUnits.ParseDuration("1500ns"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("ms")]
    [InlineData("5 parsecs")]
    [InlineData("1.2.3s")]
    public void RejectsBadDurations(string text)
    {
        Assert.False(HoconUnits.TryParseDuration(text, out _));
        var ex = Assert.Throws<FormatException>(() => HoconUnits.ParseDuration(text));
        Assert.Contains($"'{text}'", ex.Message);
    }

    [Theory]
    [InlineData("1024", 1024)]
    [InlineData("1KiB", 1024)]
    [InlineData("512k", 524_288)]
    [InlineData("512K", 524_288)]
    [InlineData("10MB", 10_000_000)]
    [InlineData("10 MiB", 10_485_760)]
    [InlineData("1g", 1_073_741_824)]
    [InlineData("1G", 1_073_741_824)]
    [InlineData("1Gi", 1_073_741_824)]
    [InlineData("2kB", 2_000)]
    [InlineData("1 TB", 1_000_000_000_000)]
    [InlineData("100 bytes", 100)]
    [InlineData("3 kilobytes", 3_000)]
    [InlineData("3 kibibytes", 3_072)]
    [InlineData("1.5k", 1_536)]
    [InlineData("64B", 64)]
    public void ParsesSizes(string text, long bytes)
    {
        Assert.Equal(bytes, HoconUnits.ParseSize(text));
    }

    [Theory]
    [InlineData("-1k")]
    [InlineData("10 XB")]
    [InlineData("k")]
    [InlineData("99999999P")]
    public void RejectsBadSizes(string text)
    {
        Assert.False(HoconUnits.TryParseSize(text, out _));
        Assert.Throws<FormatException>(() => HoconUnits.ParseSize(text));
    }
}
