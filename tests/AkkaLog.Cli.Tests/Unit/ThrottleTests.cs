using AkkaLog.Cli.Commands.Perf;

namespace AkkaLog.Cli.Tests.Unit;

public sealed class ThrottleTests
{
    [Fact]
    public async Task The_rate_counts_from_start_not_from_construction()
    {
        var throttle = new Throttle(1000);
        // A pause between building the run and starting it must not be spent as a burst.
        await Task.Delay(200);
        throttle.Start();
        // 50 records at 1000/s are due 50 ms after the start: the 51st send has to wait.
        var wait = throttle.WaitAsync(50, CancellationToken.None);
        Assert.False(wait.IsCompleted);
        await wait;
    }

    [Fact]
    public void Sends_within_the_rate_and_unlimited_runs_never_wait()
    {
        var throttle = new Throttle(1000);
        throttle.Start();
        Assert.True(throttle.WaitAsync(0, CancellationToken.None).IsCompleted);
        var unlimited = new Throttle(-1);
        unlimited.Start();
        Assert.True(unlimited.Unlimited);
        Assert.True(unlimited.WaitAsync(1_000_000, CancellationToken.None).IsCompleted);
    }
}
