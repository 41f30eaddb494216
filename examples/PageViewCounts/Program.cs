using AkkaLog.Examples;
using AkkaLog.Streams;

// Windowed page-view counts: views (key = page) -> views per page per minute, final results only (suppressed),
// late views (over 10 s after their minute's end) dropped and counted.
// dotnet run --project examples/PageViewCounts -- localhost:9092 [seconds]
string bootstrap = args.Length > 0 ? args[0] : "localhost:9092";
// One partition: event time (stream time) advances per task, i.e. per partition, so a window closes only when
// later records arrive in its own partition. With more partitions every partition needs traffic to move on.
await ExampleTopics.EnsureAsync(bootstrap, ("page-views", 1, false), ("page-views-per-minute", 1, false));
long minute = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 60_000 * 60_000 - 10 * 60_000;
await ExampleTopics.ProduceAsync(bootstrap, "page-views", [
    ("/home", "alice", minute + 1_000), ("/home", "bob", minute + 30_000), ("/cart", "alice", minute + 50_000),
    ("/home", "carol", minute + 65_000),
    ("/home", "dave", minute + 59_000),    // out of order, within the grace period: counted in the first minute
    ("/cart", "erin", minute + 200_000),   // moves event time on: closes the first minutes
    ("/home", "late", minute + 5_000),     // past the grace period: dropped
]);

var builder = new StreamsBuilder();
builder.Stream<string, string>("page-views")
    .GroupByKey()
    .WindowedBy(TimeWindows.OfSizeAndGrace(TimeSpan.FromMinutes(1), TimeSpan.FromSeconds(10)))
    .Count(Materialized<Windowed<string>, long>.As("page-views-per-minute"))
    .SuppressUntilWindowCloses()
    .ToStream()
    .Peek((w, count) => Console.WriteLine($"{w.Key} {DateTimeOffset.FromUnixTimeMilliseconds(w.Start):HH:mm}: {count} views"))
    .To("page-views-per-minute", Serdes.Windowed(Serdes.String), Serdes.Long);

using var stop = ExampleTopics.StopSignal(args);
await using var app = new StreamsApp(builder.Build(), new StreamsConfig { ApplicationId = "example-page-views", BootstrapServers = bootstrap });
var run = app.RunAsync(stop.Token);
await app.WaitUntilRunningAsync(TimeSpan.FromSeconds(60));
await Task.Delay(3000);
Console.WriteLine($"late views dropped: {app.Metrics.DroppedLateRecords}");
await run;
