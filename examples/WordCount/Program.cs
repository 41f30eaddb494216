using AkkaLog.Examples;
using AkkaLog.Streams;

// Word count: lines in "text-lines" -> counts per word in the store "word-counts" and the topic "word-counts".
// dotnet run --project examples/WordCount -- localhost:9092 [seconds]
string bootstrap = args.Length > 0 ? args[0] : "localhost:9092";
await ExampleTopics.EnsureAsync(bootstrap, ("text-lines", 2, false), ("word-counts", 2, false));
await ExampleTopics.ProduceAsync(bootstrap, "text-lines", [
    ("1", "the quick brown fox", 0), ("2", "jumps over the lazy dog", 0), ("3", "the dog sleeps", 0)]);

var builder = new StreamsBuilder();
builder.Stream<string, string>("text-lines")
    .SelectManyValues(line => line.ToLowerInvariant().Split(' ', StringSplitOptions.RemoveEmptyEntries))
    .GroupBy((_, word) => word)                          // re-keys: repartitions through an internal topic
    .Count(Materialized<string, long>.As("word-counts"))
    .ToStream()
    .Peek((word, count) => Console.WriteLine($"{word}: {count}"))
    .To("word-counts", Serdes.String, Serdes.Long);

using var stop = ExampleTopics.StopSignal(args);
await using var app = new StreamsApp(builder.Build(), new StreamsConfig { ApplicationId = "example-word-count", BootstrapServers = bootstrap });
var run = app.RunAsync(stop.Token);
await app.WaitUntilRunningAsync(TimeSpan.FromSeconds(60));
await Task.Delay(3000);
Console.WriteLine($"interactive query: 'the' was counted {app.Store<string, long>("word-counts").Get("the")} times (if this instance hosts it)");
await run;
