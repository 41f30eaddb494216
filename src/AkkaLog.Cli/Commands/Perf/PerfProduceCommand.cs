using System.CommandLine;
using System.Diagnostics;
using AkkaLog.Cli.Commands.Messages;
using AkkaLog.Cli.Infrastructure;
using AkkaLog.Client;

namespace AkkaLog.Cli.Commands.Perf;

/// <summary>
/// <c>akkalog perf produce</c>, like kafka-producer-perf-test: sends <c>--num-records</c> records (or for
/// <c>--duration</c> seconds) of <c>--record-size</c> random letters with null keys, at most
/// <c>--throughput</c> records/s, and reports MB/s, records/s and the delivery latency (Produce to
/// acknowledgement) at p50/p95/p99/p99.9. <c>--warmup-records</c> (as in Kafka's tool, KIP-1052) are sent
/// and flushed first and left out of the figures, and the tool then waits for the JIT to go quiet (<see cref="JitSettle"/>),
/// so JIT and connection set-up do not count. Client defaults apply unless <c>--producer-property</c> says
/// otherwise, so the figures are the client's, not the CLI's. Every record is counted through its own
/// delivery handler; its latency is timed for every <c>--latency-sample-every</c>-th record (default 16;
/// 1 times them all): timing each one costs the tool a closure and two clock reads per record, about a
/// tenth of the client's CPU, which would otherwise be charged to the client.
/// </summary>
internal sealed class PerfProduceCommand : CliCommand
{
    private readonly Option<string> _topic = new("--topic", "-t") { Description = "Topic to write to (must exist)", Required = true };

    private readonly Option<long?> _numRecords = new("--num-records", "-n") { Description = "Records to send" };

    private readonly Option<double?> _duration = new("--duration", "-d") { Description = "Send for this many seconds instead of a count", HelpName = "seconds" };

    private readonly Option<long> _warmupRecords = new("--warmup-records")
    {
        Description = "Records to send (and flush) before measuring; not counted", DefaultValueFactory = _ => 0,
    };

    private readonly Option<int> _latencyEvery = new("--latency-sample-every")
    {
        Description = "Time the delivery latency of every Nth record (1: all)", DefaultValueFactory = _ => 16, HelpName = "N",
    };

    private readonly Option<int> _recordSize = new("--record-size", "-s") { Description = "Value size in bytes", DefaultValueFactory = _ => 100 };

    private readonly Option<double> _throughput = new("--throughput")
    {
        Description = "Cap in records/s; -1 for none", DefaultValueFactory = _ => -1, HelpName = "records/s",
    };

    private readonly Option<List<KeyValuePair<string, string>>> _properties =
        KeyValueOption.Create("--producer-prop", "Producer config, e.g. acks=1 or linger.ms=10", "--producer-property", "-X");

    public PerfProduceCommand(CliServices services) : base("produce", "Measure producer throughput and delivery latency", services)
    {
        Add(_topic);
        Add(_numRecords);
        Add(_duration);
        Add(_warmupRecords);
        Add(_latencyEvery);
        Add(_recordSize);
        Add(_throughput);
        Add(_properties);
    }

    /// <summary>The final figures (also the JSON document).</summary>
    internal sealed record Result(string Topic, long Records, long Failed, long Bytes, double ElapsedSeconds, double RecordsPerSec,
        double MbPerSec, double AvgLatencyMs, double MaxLatencyMs, double P50Ms, double P95Ms, double P99Ms, double P999Ms,
        long LatencySamples, RunCost Cost);

    protected override async Task<int> ExecuteAsync(CliContext context)
    {
        string topic = context.Get(_topic)!;
        long? count = context.Get(_numRecords);
        double? seconds = context.Get(_duration);
        int size = context.Get(_recordSize);
        if ((count is null) == (seconds is null)) throw new UsageException("give exactly one of --num-records and --duration");
        if (count is < 1) throw new UsageException("--num-records must be at least 1");
        if (seconds is <= 0) throw new UsageException("--duration must be positive");
        if (size < 0) throw new UsageException("--record-size must not be negative");
        long warmup = context.Get(_warmupRecords);
        if (warmup < 0) throw new UsageException("--warmup-records must not be negative");
        int latencyEvery = context.Get(_latencyEvery);
        if (latencyEvery < 1) throw new UsageException("--latency-sample-every must be at least 1");

        // Only the timeouts that bound reaching the cluster; the rest stays at the client's defaults.
        var config = context.ProducerConfig(context.Get(_properties) ?? []);
        await TopicCheck.PartitionsAsync(context, topic);
        await using var producer = CliContext.Build(() => new ProducerBuilder<Null, byte[]>(config).Build());

        var payload = Payload(size);
        if (warmup > 0)
        {
            // The warm-up runs the measured run's own loop and delivery handlers, so those paths are compiled and
            // tiered up before the clock starts. Warmed with bare Produce calls (no handler), the handler paths were
            // first compiled inside the measured window, where the JIT thread then took CPU from client and broker.
            var warm = new Run(producer, topic, payload, warmup, null, new Throttle(-1), latencyEvery);
            await OnOwnThread(() => warm.SendAllAsync(context.Cancellation));
            // Ctrl+C during the warm-up ends the command there, as cancelled: there is nothing to report yet.
            context.Cancellation.ThrowIfCancellationRequested();
            warm.ThrowIfAnyFailed("warm-up records");
            await JitSettle.WaitAsync(TimeSpan.FromSeconds(3), context.Cancellation);
        }
        var run = new Run(producer, topic, payload, count, seconds is { } s ? TimeSpan.FromSeconds(s) : null,
            new Throttle(context.Get(_throughput)), latencyEvery);
        var before = RunCost.Now();
        await PerfProgress.RunAsync(context, "perf produce", run.Fraction, run.Window.TakeWindow,
            () => OnOwnThread(() => run.SendAllAsync(context.Cancellation)));
        var cost = RunCost.Now().Since(before);

        var h = run.Latency;
        double elapsed = run.Elapsed.TotalSeconds;
        var result = new Result(topic, run.Window.Records, run.Failed, run.Window.Bytes, elapsed, run.Window.Records / elapsed,
            run.Window.Bytes / (1024.0 * 1024.0) / elapsed, h.MeanMs, h.MaxMs,
            h.PercentileMs(50), h.PercentileMs(95), h.PercentileMs(99), h.PercentileMs(99.9), h.Count, cost);
        if (context.Json) context.WriteJson(result);
        else
        {
            context.Out.WriteLine(FormattableString.Invariant(
                $"{result.Records} records sent, {result.RecordsPerSec:0.0} records/sec ({result.MbPerSec:0.00} MB/sec), {result.AvgLatencyMs:0.00} ms avg latency, {result.MaxLatencyMs:0.00} ms max latency, {result.P50Ms:0.##} ms 50th, {result.P95Ms:0.##} ms 95th, {result.P99Ms:0.##} ms 99th, {result.P999Ms:0.##} ms 99.9th."));
            context.Out.WriteLine(cost.Describe(result.Records, result.Bytes));
        }

        run.ThrowIfAnyFailed("records");
        return ExitCodes.Ok;
    }

    /// <summary>
    /// Runs a send loop on a thread of its own: it blocks whenever buffer.memory is full (as the Java tool's send()
    /// does), and a pool thread blocked there is one the client's network and delivery work cannot have.
    /// </summary>
    private static Task OnOwnThread(Func<Task> loop) =>
        Task.Factory.StartNew(loop, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap();

    /// <summary>Random upper-case letters, as Kafka's perf test sends (compressible like text).</summary>
    private static byte[] Payload(int size)
    {
        var payload = new byte[size];
        for (int i = 0; i < size; i++) payload[i] = (byte)('A' + Random.Shared.Next(26));
        return payload;
    }

    /// <summary>
    /// One perf run's state. Records go through the producer's blocking <c>Produce</c>, which holds the
    /// loop back when buffer.memory is full, like the Java producer's send() in Kafka's perf tool; the
    /// delivery handlers run one at a time on the producer's dispatcher, so the counters need no locks
    /// beyond what the progress display reads.
    /// </summary>
    private sealed class Run(IProducer<Null, byte[]> producer, string topic, byte[] payload, long? count, TimeSpan? duration, Throttle throttle,
        int latencyEvery)
    {
        private readonly Stopwatch _clock = new();
        private long _failed;
        private Action<DeliveryReport<Null, byte[]>>? _untimed;
        private KafkaException? _firstError;

        public PerfWindow Window { get; } = new();

        public LatencyHistogram Latency { get; } = new();

        public long Sent { get; private set; }

        public long Failed => Volatile.Read(ref _failed);

        public KafkaException? FirstError => Volatile.Read(ref _firstError);

        /// <summary>Throws the first failure, saying how many of the <paramref name="what"/> failed, if any did.</summary>
        public void ThrowIfAnyFailed(string what)
        {
            if (FirstError is { } error)
                throw new KafkaException(error.Error with { Reason = $"{Failed} of {Sent} {what} failed; first: {error.Error.Reason}" }, error);
        }

        public TimeSpan Elapsed => _clock.Elapsed;

        public double Fraction() => count is { } n ? (double)Window.Records / n : _clock.Elapsed / duration!.Value;

        public async Task SendAllAsync(CancellationToken cancellationToken)
        {
            _clock.Start();
            throttle.Start();
            var message = new Message<Null, byte[]> { Value = payload };
            try
            {
                while (count is { } n ? Sent < n : _clock.Elapsed < duration!.Value)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    if (Sent % latencyEvery == 0)
                    {
                        long start = Stopwatch.GetTimestamp();
                        producer.Produce(topic, message, report => Delivered(report, start));
                    }
                    else producer.Produce(topic, message, _untimed ??= report => Delivered(report, -1));
                    Sent++;
                    await throttle.WaitAsync(Sent, cancellationToken);
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                // Ctrl+C ends the run early; what was sent is still flushed and reported.
            }
            catch (ProduceException<Null, byte[]> e)
            {
                // A record that cannot even be queued (no metadata or memory within max.block.ms) ends the run.
                Interlocked.Increment(ref _failed);
                Interlocked.CompareExchange(ref _firstError, e, null);
            }
            // Flush returns once every record's handler has run.
            await producer.FlushAsync(CancellationToken.None);
            _clock.Stop();
        }

        /// <summary>Counts a delivered record; <paramref name="start"/> is when it was sent, or -1 when it is not timed.</summary>
        private void Delivered(DeliveryReport<Null, byte[]> report, long start)
        {
            if (!report.Error.IsError)
            {
                if (start < 0)
                {
                    Window.Add(payload.Length);
                    return;
                }
                long micros = (long)Stopwatch.GetElapsedTime(start).TotalMicroseconds;
                Latency.Record(micros);
                Window.Add(payload.Length, micros);
                return;
            }
            Interlocked.Increment(ref _failed);
            Interlocked.CompareExchange(ref _firstError, new KafkaException(report.Error), null);
        }
    }
}
