using System.Diagnostics;

namespace AkkaLog.IntegrationTests.Infrastructure;

/// <summary>Waits for a condition that becomes true asynchronously (a rebalance, a commit), failing after a deadline.</summary>
public static class Poll
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// Calls <paramref name="probe"/> until it returns non-null and returns that value; fails with
    /// <paramref name="what"/> (and the last probe's description from <paramref name="describe"/>) after <paramref name="timeout"/>.
    /// </summary>
    public static async Task<T> UntilAsync<T>(Func<Task<T?>> probe, TimeSpan timeout, string what, Func<string>? describe = null)
        where T : class
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var value = await probe();
            if (value is not null) return value;
            if (clock.Elapsed > timeout)
                throw new Xunit.Sdk.XunitException($"timed out after {timeout.TotalSeconds} s waiting for {what}{(describe is null ? "" : ": " + describe())}");
            await Task.Delay(Interval);
        }
    }

    /// <summary>Waits until <paramref name="condition"/> holds.</summary>
    public static Task UntilAsync(Func<Task<bool>> condition, TimeSpan timeout, string what, Func<string>? describe = null) =>
        UntilAsync(async () => await condition() ? new object() : null, timeout, what, describe);

    /// <summary>Waits until the synchronous <paramref name="condition"/> holds.</summary>
    public static Task UntilAsync(Func<bool> condition, TimeSpan timeout, string what, Func<string>? describe = null) =>
        UntilAsync(() => Task.FromResult(condition()), timeout, what, describe);
}
