using System.Diagnostics;
using System.Text;
using AkkaLog.Client;
using AkkaLog.Client.Admin;
using AkkaLog.Streams;

// Streams benchmark: produces N input records, then runs a topology over them from a cold start and
// reports input records/s end to end (start to the last record processed and committed) and the
// process's peak working set and managed heap while processing.
//   dotnet AkkaLog.Streams.Benchmarks.dll <bootstrap> [--records N] [--partitions P] [--scenario wordcount|windowed|all]
if (args.Length == 0) { Console.Error.WriteLine("usage: <bootstrap> [--records N] [--partitions P] [--scenario wordcount|windowed|all]"); return 2; }
string bootstrap = args[0];
long records = 10_000_000;
int partitions = 4;
string scenario = "all";
for (int i = 1; i + 1 < args.Length; i += 2)
{
    switch (args[i])
    {
        case "--records": records = long.Parse(args[i + 1]); break;
        case "--partitions": partitions = int.Parse(args[i + 1]); break;
        case "--scenario": scenario = args[i + 1]; break;
        default: Console.Error.WriteLine($"unknown option {args[i]}"); return 2;
    }
}

if (scenario is "wordcount" or "all") await RunAsync("wordcount", WordCount, WordCountInput, wordsPerLine: 3);
if (scenario is "windowed" or "all") await RunAsync("windowed", Windowed, WindowedInput, wordsPerLine: 0);
return 0;

static Topology WordCount(string input, string output)
{
    var builder = new StreamsBuilder();
    builder.Stream<byte[], string>(input, Serdes.ByteArray, Serdes.String)
        .SelectManyValues(line => line.Split(' '))
        .GroupBy((_, word) => word, Grouped<string, string>.As("words"))
        .Count(Materialized<string, long>.As("counts"))
        .ToStream().To(output, Serdes.String, Serdes.Long);
    return builder.Build();
}

static Topology Windowed(string input, string output)
{
    var builder = new StreamsBuilder();
    builder.Stream<string, string>(input)
        .GroupByKey()
        .WindowedBy(TimeWindows.OfSizeAndGrace(TimeSpan.FromMinutes(1), TimeSpan.FromSeconds(10)))
        .Count(Materialized<Windowed<string>, long>.As("per-minute"))
        .ToStream().To(output, Serdes.Windowed(Serdes.String), Serdes.Long);
    return builder.Build();
}

// Lines of three words from a 1,000-word vocabulary, no key.
static Message<byte[], byte[]> WordCountInput(long i) => new()
{
    Key = null!, Value = Encoding.UTF8.GetBytes($"w{i * 7 % 1000} w{i * 13 % 1000} w{i * 31 % 1000}"),
};

// Page views: 1,000 pages, one record per millisecond of event time.
static Message<byte[], byte[]> WindowedInput(long i) => new()
{
    Key = Encoding.UTF8.GetBytes($"page-{i % 1000}"), Value = "v"u8.ToArray(),
    Timestamp = new Timestamp(1_700_000_000_000 + i, TimestampType.CreateTime),
};

async Task RunAsync(string name, Func<string, string, Topology> topology, Func<long, Message<byte[], byte[]>> make, int wordsPerLine)
{
    string id = $"bench-{name}-{Guid.NewGuid():N}"[..24];
    string input = id + "-in", output = id + "-out";
    await using (var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = bootstrap }).Build())
        await admin.CreateTopicsAsync([
            new TopicSpecification { Name = input, NumPartitions = partitions, ReplicationFactor = 1 },
            new TopicSpecification { Name = output, NumPartitions = partitions, ReplicationFactor = 1 }]);

    var produceClock = Stopwatch.StartNew();
    var producerConfig = new ProducerConfig { BootstrapServers = bootstrap, LingerMs = 5, BatchSize = 256 * 1024 };
    producerConfig.Set("acks", "1");
    await using (var producer = new ProducerBuilder<byte[], byte[]>(producerConfig).Build())
    {
        var inFlight = new List<Task>(100_000);
        for (long i = 0; i < records; i++)
        {
            inFlight.Add(producer.ProduceAsync(input, make(i)));
            if (inFlight.Count == 100_000) { await Task.WhenAll(inFlight); inFlight.Clear(); }
        }
        await Task.WhenAll(inFlight);
    }
    Console.WriteLine($"{name}: produced {records:N0} input records in {produceClock.Elapsed.TotalSeconds:F1} s");

    GC.Collect();
    GC.WaitForPendingFinalizers();
    string stateDir = Path.Combine(Path.GetTempPath(), id);
    var config = new StreamsConfig { ApplicationId = id, BootstrapServers = bootstrap, StateDir = stateDir };
    long expected = records * (1 + wordsPerLine); // input records, plus each word again after the repartition
    long peakWorkingSet = 0, peakHeap = 0;
    var clock = Stopwatch.StartNew();
    await using (var app = new StreamsApp(topology(input, output), config))
    {
        await app.StartAsync();
        long lastReport = 0;
        while (app.Metrics.ProcessedRecords < expected)
        {
            if (app.State == StreamsState.Error) throw new InvalidOperationException("the application failed", app.Failure);
            await Task.Delay(100);
            peakWorkingSet = Math.Max(peakWorkingSet, Environment.WorkingSet);
            peakHeap = Math.Max(peakHeap, GC.GetTotalMemory(false));
            if (clock.ElapsedMilliseconds - lastReport >= 10_000)
            {
                lastReport = clock.ElapsedMilliseconds;
                Console.WriteLine($"  {clock.Elapsed.TotalSeconds:F0} s: {app.Metrics.ProcessedRecords:N0} of {expected:N0} processed");
            }
        }
        if (name == "wordcount")
        {
            long counted = app.Store<string, long>("counts").All().Sum(kv => kv.Value);
            if (counted != records * wordsPerLine) throw new InvalidOperationException($"counted {counted:N0} words, expected {records * wordsPerLine:N0}");
        }
        await app.StopAsync(); // the final commit: outputs and changelogs acknowledged
    }
    clock.Stop();
    try { Directory.Delete(stateDir, recursive: true); } catch (IOException) { }
    double seconds = clock.Elapsed.TotalSeconds;
    Console.WriteLine($"{name}: {records:N0} records end to end in {seconds:F1} s = {records / seconds:N0} records/s " +
                      $"({expected / seconds:N0} processor records/s incl. repartitioned), " +
                      $"peak working set {peakWorkingSet / (1 << 20):N0} MiB, peak managed heap {peakHeap / (1 << 20):N0} MiB");
}
