using AkkaLog.Cli.Infrastructure;
using Spectre.Console;

namespace AkkaLog.Cli.Commands.Perf;

/// <summary>
/// Shows how a perf run is going while <c>work</c> runs: on a terminal a live Spectre progress bar
/// whose label carries the current rate (refreshed twice a second); piped in text mode a plain line
/// every <see cref="PipedInterval"/>, as Kafka's perf tools print; with <c>--output json</c> nothing,
/// so stdout stays one JSON document.
/// </summary>
internal static class PerfProgress
{
    /// <summary>Kafka's perf tools report every 5 s.</summary>
    private static readonly TimeSpan PipedInterval = TimeSpan.FromSeconds(5);

    private static readonly TimeSpan LiveInterval = TimeSpan.FromMilliseconds(500);

    /// <param name="context">The command's context.</param>
    /// <param name="title">What is running, e.g. "produce".</param>
    /// <param name="fraction">How far along the run is, 0..1.</param>
    /// <param name="window">The figures since the last report (resets them).</param>
    /// <param name="work">The run.</param>
    public static async Task RunAsync(CliContext context, string title, Func<double> fraction, Func<PerfWindow.Snapshot> window, Func<Task> work)
    {
        if (context.Json)
        {
            await work();
            return;
        }
        if (!context.Io.IsTerminal)
        {
            var running = work();
            while (await Task.WhenAny(running, Task.Delay(PipedInterval, context.Cancellation)) != running && !context.Cancellation.IsCancellationRequested)
            {
                context.Out.WriteLine(Describe(window()));
                await context.Out.FlushAsync(CancellationToken.None);
            }
            await running;
            return;
        }
        await context.Console.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .StartAsync(async progress =>
            {
                var task = progress.AddTask(Markup.Escape(title), maxValue: 100);
                var running = work();
                while (await Task.WhenAny(running, Task.Delay(LiveInterval, CancellationToken.None)) != running)
                {
                    task.Value = Math.Clamp(fraction(), 0, 1) * 100;
                    task.Description = Markup.Escape($"{title}: {Describe(window())}");
                }
                task.Value = 100;
                task.StopTask();
                await running;
            });
    }

    /// <summary>A window as Kafka's perf tools word it.</summary>
    public static string Describe(PerfWindow.Snapshot w) => FormattableString.Invariant(
        $"{w.Records} records, {w.RecordsPerSecond:0.0} records/sec ({w.MegabytesPerSecond:0.00} MB/sec), {w.AvgLatencyMs:0.0} ms avg latency, {w.MaxLatencyMs:0.0} ms max latency.");
}
