using System.Buffers;
using System.Diagnostics;
using AkkaLog.Protocol;
using AkkaLog.Protocol.Messages;
using AkkaLog.Protocol.Records;

namespace AkkaLog.Benchmarks;

/// <summary>
/// Drives a broker over loopback with pre-encoded produce requests (several in flight on one
/// connection, acks=1), then fetches everything back, and measures the machine's own ceiling for
/// the same volume (sequential write of a new file, then reading it back). Prints MB/s, records/s
/// and p50/p99 request latency, and each figure as a ratio to the ceiling.
/// </summary>
internal static class LoadGenerator
{
    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Length == 0 || !args[0].Contains(':'))
        {
            Console.Error.WriteLine("usage: AkkaLog.Benchmarks loadgen HOST:PORT [--mb N] [--lead-in-mb N] [--warmup-mb N] [--in-flight N] [--scenarios N]"
                + " [--produce-only] [--no-ceiling] [--commit-seconds N] [--scratch DIR]");
            return 2;
        }
        var (host, port) = ParseAddress(args[0]);
        long megabytes = Option(args, "--mb", 1024);
        // Written to the scenario's topic before the timed part, untimed: so a comparison with a client that warms up
        // into the topic it then measures (akkalog perf produce --warmup-records) has the broker do the same work in the same order.
        long leadInMegabytes = Option(args, "--lead-in-mb", 0);
        int inFlight = (int)Option(args, "--in-flight", 8);
        long warmupMegabytes = Option(args, "--warmup-mb", 64);
        string scratch = args.SkipWhile(a => a != "--scratch").Skip(1).FirstOrDefault() ?? Path.GetTempPath();

        var scenarios = new[]
        {
            new Scenario("1KiB records, 256KiB batches", 1024, 256 * 1024),
            new Scenario("1KiB records, 1MiB batches", 1024, 1024 * 1024),
            new Scenario("100B records, 16KiB batches", 100, 16 * 1024),
            new Scenario("100B records, 256KiB batches", 100, 256 * 1024),
        };
        bool produceOnly = args.Contains("--produce-only"); // for measuring the broker's CPU per GB produced
        // --scenarios N runs only the first N (profiling one scenario); --commit-seconds 0 skips the group benchmark.
        scenarios = scenarios[..(int)Math.Clamp(Option(args, "--scenarios", scenarios.Length), 1, scenarios.Length)];
        Console.WriteLine($"volume per scenario: {megabytes} MiB, {inFlight} produce requests in flight, acks=1, one partition");
        // --no-ceiling skips writing and deleting a file of the scenario's volume first: a comparison with a client run does
        // not need it, and it would leave the machine's memory in another state than the client's run finds it in.
        double writeCeiling = double.NaN, readCeiling = double.NaN;
        if (!args.Contains("--no-ceiling"))
        {
            (writeCeiling, readCeiling) = MeasureCeiling(scratch, megabytes << 20);
            Console.WriteLine($"machine ceiling: sequential write {writeCeiling:F0} MB/s, read back {readCeiling:F0} MB/s (same volume, page cache)");
        }
        // An unreported pass first, so the broker's JIT reaches its optimized tier and its pools
        // fill: the figures are for a broker that has been running, not one that just started.
        if (warmupMegabytes > 0)
        {
            foreach (var s in scenarios) await RunScenarioAsync(host, port, $"warmup-{Environment.ProcessId}", s, 0, warmupMegabytes << 20, inFlight, produceOnly);
            Console.WriteLine($"warm-up: {warmupMegabytes} MiB per scenario, not reported");
        }
        Console.WriteLine();
        Console.WriteLine($"{"scenario",-32} {"produce MB/s",12} {"records/s",12} {"p50 ms",8} {"p99 ms",8} {"vs write",9} {"fetch MB/s",11} {"vs read",8} {"CPU s/GB",9}");
        int n = 0;
        foreach (var s in scenarios)
        {
            var (produced, fetched) = await RunScenarioAsync(host, port, $"bench-{Environment.ProcessId}-{n++}", s, leadInMegabytes << 20, megabytes << 20,
                inFlight, produceOnly);
            Console.WriteLine($"{s.Name,-32} {produced.MBps,12:F0} {produced.RecordsPerSecond,12:N0} {produced.P50,8:F2} {produced.P99,8:F2} {Ratio(produced.MBps, writeCeiling),9} {fetched,11:F0} {Ratio(fetched, readCeiling),8} {produced.CpuSecondsPerGB,9:F2}");
        }
        long commitSeconds = Option(args, "--commit-seconds", 5);
        if (commitSeconds > 0) await GroupBenchmark.RunAsync(host, port, TimeSpan.FromSeconds(commitSeconds));
        return 0;
    }

    /// <summary>
    /// Creates a one-partition topic, produces the lead-in (untimed) and then the volume, fetches the timed part back,
    /// deletes the topic.
    /// </summary>
    private static async Task<(ProduceResult Produced, double FetchMBps)> RunScenarioAsync(string host, int port, string topic, Scenario s, long leadIn,
        long volume, int inFlight, bool produceOnly = false)
    {
        await using var admin = await WireConnection.ConnectAsync(host, port);
        await admin.CallAsync<CreateTopicsResponse>(new CreateTopicsRequest { Topics = [new() { Name = topic, NumPartitions = 1, ReplicationFactor = 1 }] }, 4);
        var produced = await ProduceAsync(host, port, topic, s, leadIn, volume, inFlight);
        // Everything in the topic is fetched back (the lead-in too) and timed as a whole.
        var fetched = produceOnly ? 0 : await FetchAllAsync(host, port, topic, produced.LeadInBytes + produced.Bytes);
        await admin.CallAsync<DeleteTopicsResponse>(new DeleteTopicsRequest { TopicNames = [topic] }, 1);
        return (produced, fetched);
    }

    private sealed record Scenario(string Name, int RecordSize, int BatchSize);

    /// <summary>A produce run's figures; <see cref="CpuSecondsPerGB"/> is this process's CPU time in the timed part per GB sent.</summary>
    private sealed record ProduceResult(long LeadInBytes, long Bytes, double MBps, double RecordsPerSecond, double P50, double P99, double CpuSecondsPerGB);

    private static async Task<ProduceResult> ProduceAsync(string host, int port, string topic, Scenario s, long leadIn, long volume, int inFlight)
    {
        await using var conn = await WireConnection.ConnectAsync(host, port);
        int perBatch = Math.Max(1, s.BatchSize / (s.RecordSize + 10));
        using var builder = new RecordBatchBuilder(CompressionCodec.None, s.BatchSize + 4096);
        var value = new byte[s.RecordSize];
        Random.Shared.NextBytes(value);
        long now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        for (int i = 0; i < perBatch; i++) builder.Append(now, default, true, value, false);
        var batch = new ArrayBufferWriter<byte>();
        builder.Build(batch);
        var request = new ProduceRequest
        {
            Acks = 1,
            TimeoutMs = 30_000,
            TopicData = [new() { Name = topic, PartitionData = [new() { Index = 0, Records = batch.WrittenMemory }] }],
        };
        byte[] frame = conn.Encode(request, 7); // the same bytes every time: the broker patches its own copy
        long leadInRequests = leadIn / batch.WrittenCount;
        if (leadInRequests > 0) await SendRequestsAsync(conn, frame, leadInRequests, inFlight);
        long requests = Math.Max(1, volume / batch.WrittenCount);
        var cpuBefore = Environment.CpuUsage.TotalTime;
        var sw = Stopwatch.StartNew();
        var latencies = await SendRequestsAsync(conn, frame, requests, inFlight);
        sw.Stop();
        // The driver's own cost, to set beside the client's (akkalog perf reports its CPU per GB the same way).
        double cpuSeconds = (Environment.CpuUsage.TotalTime - cpuBefore).TotalSeconds;
        long bytes = requests * batch.WrittenCount;
        Array.Sort(latencies);
        return new ProduceResult(leadInRequests * batch.WrittenCount, bytes, bytes / 1e6 / sw.Elapsed.TotalSeconds, requests * perBatch / sw.Elapsed.TotalSeconds,
            latencies[(int)(requests * 0.5)], latencies[Math.Min(requests - 1, (long)(requests * 0.99))], cpuSeconds / (bytes / 1e9));
    }

    /// <summary>Sends <paramref name="frame"/> <paramref name="requests"/> times, <paramref name="inFlight"/> unanswered at most; returns each one's latency in ms.</summary>
    private static async Task<double[]> SendRequestsAsync(WireConnection conn, byte[] frame, long requests, int inFlight)
    {
        var latencies = new double[requests];
        var sent = new long[requests];
        var window = new SemaphoreSlim(inFlight);
        var receiver = Task.Run(async () =>
        {
            var buffer = new byte[1 << 16];
            for (long i = 0; i < requests; i++)
            {
                await conn.ReceiveIntoAsync(buffer);
                latencies[i] = (Stopwatch.GetTimestamp() - Volatile.Read(ref sent[i])) * 1000.0 / Stopwatch.Frequency;
                window.Release();
            }
        });
        for (long i = 0; i < requests; i++)
        {
            await window.WaitAsync();
            Volatile.Write(ref sent[i], Stopwatch.GetTimestamp());
            await conn.SendAsync(frame);
        }
        await receiver;
        return latencies;
    }

    private static async Task<double> FetchAllAsync(string host, int port, string topic, long expectedBytes)
    {
        await using var conn = await WireConnection.ConnectAsync(host, port);
        long offset = 0, bytes = 0;
        var buffer = new byte[40 << 20]; // reused: the client must not be what we measure
        var sw = Stopwatch.StartNew();
        while (bytes < expectedBytes)
        {
            var request = new FetchRequest
            {
                ReplicaId = -1,
                MaxWaitMs = 100,
                MinBytes = 1,
                MaxBytes = 32 << 20,
                Topics = [new() { Topic = topic, Partitions = [new() { Partition = 0, FetchOffset = offset, PartitionMaxBytes = 32 << 20 }] }],
            };
            await conn.SendAsync(conn.Encode(request, 11));
            int length = await conn.ReceiveIntoAsync(buffer);
            var reader = new KafkaReader(buffer.AsMemory(0, length));
            new ResponseHeader().Read(ref reader, 0);
            var response = new FetchResponse();
            response.Read(ref reader, 11);
            var data = response.Responses[0].Partitions[0];
            if (data.ErrorCode != 0) throw new InvalidOperationException($"fetch error {data.ErrorCode}");
            var records = data.Records ?? ReadOnlyMemory<byte>.Empty;
            if (records.IsEmpty) break;
            bytes += records.Length;
            offset = NextOffset(records.Span);
        }
        sw.Stop();
        return bytes / 1e6 / sw.Elapsed.TotalSeconds;
    }

    private static long NextOffset(ReadOnlySpan<byte> records)
    {
        long next = 0;
        while (records.Length >= RecordBatchHeader.Size)
        {
            var header = RecordBatchHeader.Read(records);
            if (header.TotalSize > records.Length) break;
            next = header.NextOffset;
            records = records[header.TotalSize..];
        }
        return next;
    }

    private static (double WriteMBps, double ReadMBps) MeasureCeiling(string directory, long volume)
    {
        string path = Path.Combine(directory, $"akkalog-ceiling-{Environment.ProcessId}.bin");
        var block = new byte[1 << 20];
        Random.Shared.NextBytes(block);
        try
        {
            var sw = Stopwatch.StartNew();
            using (var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.None))
                for (long written = 0; written < volume; written += block.Length) file.Write(block);
            double write = volume / 1e6 / sw.Elapsed.TotalSeconds;
            sw.Restart();
            using (var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.None))
                while (file.Read(block) > 0) { }
            double read = volume / 1e6 / sw.Elapsed.TotalSeconds;
            return (write, read);
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>A figure as a share of the machine's ceiling, or "-" when the ceiling was not measured.</summary>
    private static string Ratio(double figure, double ceiling) => double.IsNaN(ceiling) ? "-" : (figure / ceiling).ToString("P0");

    private static long Option(string[] args, string name, long fallback)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? long.Parse(args[i + 1]) : fallback;
    }

    private static (string Host, int Port) ParseAddress(string address)
    {
        int colon = address.LastIndexOf(':');
        return (address[..colon], int.Parse(address[(colon + 1)..]));
    }
}
