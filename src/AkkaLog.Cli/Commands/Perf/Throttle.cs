using System.Diagnostics;

namespace AkkaLog.Cli.Commands.Perf;

/// <summary>
/// Keeps a sender at or below a target rate (<c>--throughput</c>), as Kafka's ThroughputThrottler: after
/// each send, if more has been sent than the rate allows by now, wait until it no longer is. Waits
/// at least 1 ms at a time, since shorter sleeps are not honoured; the rate is still met on average.
/// The rate counts from <see cref="Start"/>, which the run calls when its own clock starts: counting
/// from construction let a pause in between (a GC took 15 ms once) be spent as a burst above the rate.
/// </summary>
internal sealed class Throttle(double perSecond)
{
    private long _start = Stopwatch.GetTimestamp();

    /// <summary>The sends counted from here on are held to the rate.</summary>
    public void Start() => _start = Stopwatch.GetTimestamp();

    /// <summary>True when no cap applies (<c>--throughput -1</c>).</summary>
    public bool Unlimited => perSecond <= 0;

    /// <summary>Waits if <paramref name="sent"/> records are ahead of the target rate.</summary>
    public ValueTask WaitAsync(long sent, CancellationToken cancellationToken)
    {
        if (Unlimited) return ValueTask.CompletedTask;
        double due = sent / perSecond;
        double elapsed = Stopwatch.GetElapsedTime(_start).TotalSeconds;
        double ahead = due - elapsed;
        return ahead < 0.001 ? ValueTask.CompletedTask : new ValueTask(Task.Delay(TimeSpan.FromSeconds(ahead), cancellationToken));
    }
}
