using AkkaLog.Streams;

// Runs a word count from arguments until SIGTERM/Ctrl+C (or kill -9), printing its metrics:
//   wordcount <bootstrap> <application.id> <input> <output> <state.dir> <in-memory|persistent> [pause-ms-per-100-counted-words]
// Lines printed: "running restored=N loaded=M" once its tasks are restored, then "processed=N" every 100 ms.
if (args.Length < 7 || args[0] != "wordcount")
{
    Console.Error.WriteLine("usage: wordcount <bootstrap> <application.id> <input> <output> <state.dir> <in-memory|persistent> [pause-ms-per-100-counted-words]");
    return 2;
}
var storeType = args[6] switch
{
    "in-memory" => StoreType.InMemory,
    "persistent" => StoreType.Persistent,
    _ => throw new ArgumentException($"store type must be in-memory or persistent, got '{args[6]}'"),
};
int pauseMs = args.Length > 7 ? int.Parse(args[7]) : 0;
long seen = 0;

var builder = new StreamsBuilder();
builder.Stream<string, string>(args[3])
    .SelectManyValues(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
    .GroupBy((_, word) => word, Grouped<string, string>.As("words"))
    .Count(Materialized<string, long>.As("counts", storeType))
    .ToStream()
    .Peek((_, _) => { if (pauseMs > 0 && ++seen % 100 == 0) Thread.Sleep(pauseMs); })
    .To(args[4], Serdes.String, Serdes.Long);

var config = new StreamsConfig
{
    BootstrapServers = args[1], ApplicationId = args[2], StateDir = args[5], CommitIntervalMs = 200,
    Log = line => Console.WriteLine("log " + line),
};
// A killed instance stays in the group until its session times out: keep that short so the restart gets its tasks soon.
config.Consumer["session.timeout.ms"] = "6000";
config.Consumer["heartbeat.interval.ms"] = "1000";
using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; stop.Cancel(); };
// SIGTERM: stop cleanly (commit, checkpoint, leave the group) before the process ends.
using var sigterm = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGTERM,
    context => { context.Cancel = true; stop.Cancel(); });

await using var app = new StreamsApp(builder.Build(), config);
var run = app.RunAsync(stop.Token);
await app.WaitUntilRunningAsync(TimeSpan.FromSeconds(60));
Console.WriteLine($"running restored={app.Metrics.RestoredRecords} loaded={app.Metrics.LoadedFromLocalRecords}");
while (!run.IsCompleted)
{
    Console.WriteLine($"processed={app.Metrics.ProcessedRecords}");
    await Task.WhenAny(run, Task.Delay(100));
}
await run;
Console.WriteLine("stopped");
return 0;
