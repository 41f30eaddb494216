using System.CommandLine;
using System.Diagnostics;
using AkkaLog.Cli.Commands.Messages;
using AkkaLog.Cli.Infrastructure;
using AkkaLog.Client;

namespace AkkaLog.Cli.Commands.Perf;

/// <summary>
/// <c>akkalog perf consume</c>, like kafka-consumer-perf-test: reads <c>--messages</c> records from the
/// start of every partition and reports MB/s and records/s. Without <c>--group</c> it assigns the
/// partitions directly, so no rebalance time is measured; with one it subscribes (commits included).
/// Stops early, reporting what it read, when no record arrived for <c>--timeout</c> ms (Kafka's
/// default 10 s) or on Ctrl+C. Keys and values are counted, not decoded. <c>--warmup-records</c> are read first and left
/// out of the figures (as perf produce's are), and the tool then waits for the JIT to go quiet (<see cref="JitSettle"/>),
/// so connecting, the first fetches and compiling do not count: without them, 187-506 ms of JIT fell inside a 2 M-record
/// (1 KiB) measured read on a 2-core machine; with 1 M warm-up records, 8-17 ms.
/// </summary>
internal sealed class PerfConsumeCommand : CliCommand
{
    private readonly Option<string> _topic = new("--topic", "-t") { Description = "Topic to read (must exist)", Required = true };

    private readonly Option<long> _messages = new("--messages", "-n") { Description = "Records to read", Required = true };

    private readonly Option<int> _timeout = new("--timeout")
    {
        Description = "Stop when no record arrived for this long", DefaultValueFactory = _ => 10_000, HelpName = "ms",
    };

    private readonly Option<long> _warmupRecords = new("--warmup-records")
    {
        Description = "Records to read before measuring; not counted", DefaultValueFactory = _ => 0,
    };

    private readonly Option<string> _group = new("--group", "-g") { Description = "Consume as this group (subscribe and commit) instead of assigning partitions" };

    private readonly Option<List<KeyValuePair<string, string>>> _properties =
        KeyValueOption.Create("--consumer-prop", "Consumer config, e.g. fetch.max.bytes=1048576", "--consumer-property", "-X");

    public PerfConsumeCommand(CliServices services) : base("consume", "Measure consumer throughput", services)
    {
        Add(_topic);
        Add(_messages);
        Add(_timeout);
        Add(_warmupRecords);
        Add(_group);
        Add(_properties);
    }

    /// <summary>The final figures (also the JSON document).</summary>
    internal sealed record Result(string Topic, long Records, long Bytes, double ElapsedSeconds, double RecordsPerSec, double MbPerSec, bool TimedOut, RunCost Cost);

    protected override async Task<int> ExecuteAsync(CliContext context)
    {
        string topic = context.Get(_topic)!;
        long wanted = context.Get(_messages);
        int timeoutMs = context.Get(_timeout);
        if (wanted < 1) throw new UsageException("--messages must be at least 1");
        if (timeoutMs < 1) throw new UsageException("--timeout must be at least 1");
        long warmup = context.Get(_warmupRecords);
        if (warmup < 0) throw new UsageException("--warmup-records must not be negative");
        string? group = context.Get(_group);
        var settings = new Dictionary<string, string> { ["auto.offset.reset"] = "earliest" };
        if (group is not null) settings["group.id"] = group;
        var config = ConsumerFactory.Config(context, settings, context.Get(_properties), "--consumer-prop");
        var partitions = await TopicCheck.PartitionsAsync(context, topic);

        var window = new PerfWindow();
        var read = default(ReadResult);
        bool warmupTimedOut = false;
        var before = default(RunCost);
        await PerfProgress.RunAsync(context, "perf consume", () => (double)window.Records / wanted, window.TakeWindow, () => Task.Run(async () =>
        {
            using var consumer = ConsumerFactory.Build<byte[]?, byte[]?>(config);
            if (group is null) consumer.Assign(partitions.Select(p => new TopicPartitionOffset(topic, p, Offset.Beginning)));
            else consumer.Subscribe(topic);
            if (warmup > 0)
            {
                warmupTimedOut = Read(consumer, warmup, timeoutMs, null, context.Cancellation).TimedOut;
                if (!warmupTimedOut) await JitSettle.WaitAsync(TimeSpan.FromSeconds(3), context.Cancellation);
            }
            // The measured part (figures and cost) starts here, after any warm-up and the JIT's catching up.
            before = RunCost.Now();
            if (!warmupTimedOut) read = Read(consumer, wanted, timeoutMs, window, context.Cancellation);
            consumer.Close();
        }));

        var cost = RunCost.Now().Since(before);
        bool timedOut = warmupTimedOut || read.TimedOut;
        double elapsed = Math.Max(1e-6, read.Elapsed.TotalSeconds);
        var result = new Result(topic, window.Records, window.Bytes, elapsed, window.Records / elapsed,
            window.Bytes / (1024.0 * 1024.0) / elapsed, timedOut, cost);
        if (context.Json) context.WriteJson(result);
        else
        {
            context.Out.WriteLine(FormattableString.Invariant(
                $"{result.Records} records consumed, {result.RecordsPerSec:0.0} records/sec ({result.MbPerSec:0.00} MB/sec), {result.Bytes / (1024.0 * 1024.0):0.00} MB in {result.ElapsedSeconds:0.000} s."));
            context.Out.WriteLine(cost.Describe(result.Records, result.Bytes));
            if (warmupTimedOut) await context.Err.WriteLineAsync($"akkalog: stopped after {timeoutMs} ms without a record during the warm-up ({warmup} warm-up records wanted)");
            else if (timedOut) await context.Err.WriteLineAsync($"akkalog: stopped after {timeoutMs} ms without a record ({result.Records} of {wanted} read)");
        }
        return ExitCodes.Ok;
    }

    /// <summary>
    /// How a read ended: whether it stopped for want of records, and how long it took: to the last record when it timed
    /// out (Kafka's tool counts the time until the last record, not the final idle wait), else the whole read.
    /// </summary>
    private readonly record struct ReadResult(long Records, bool TimedOut, TimeSpan Elapsed);

    /// <summary>
    /// Reads <paramref name="wanted"/> records, counting them in <paramref name="window"/> (null: the warm-up, not counted);
    /// stops early when none arrived for <paramref name="timeoutMs"/> or on cancellation.
    /// </summary>
    private static ReadResult Read(IConsumer<byte[]?, byte[]?> consumer, long wanted, int timeoutMs, PerfWindow? window, CancellationToken cancellation)
    {
        // The clock is read only while nothing arrives: a read per record was a visible share of the
        // CPU. An empty Consume waited its whole wait, so the idle time began at least that long ago.
        int waitMs = Math.Min(200, timeoutMs);
        long idleSinceMs = -1;
        long records = 0;
        var clock = Stopwatch.StartNew();
        while (records < wanted && !cancellation.IsCancellationRequested)
        {
            var r = consumer.Consume(TimeSpan.FromMilliseconds(waitMs));
            if (r is null || r.IsPartitionEOF)
            {
                long now = clock.ElapsedMilliseconds;
                if (idleSinceMs < 0) idleSinceMs = Math.Max(0, now - (r is null ? waitMs : 0));
                if (now - idleSinceMs >= timeoutMs) return new ReadResult(records, true, TimeSpan.FromMilliseconds(idleSinceMs));
                continue;
            }
            idleSinceMs = -1;
            records++;
            window?.Add((r.Message.Key?.Length ?? 0) + (r.Message.Value?.Length ?? 0));
        }
        return new ReadResult(records, false, clock.Elapsed);
    }
}
