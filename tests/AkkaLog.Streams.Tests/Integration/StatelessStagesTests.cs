using System.Collections.Concurrent;
using AkkaLog.Streams.Tests.Infrastructure;

namespace AkkaLog.Streams.Tests.Integration;

/// <summary>Stateless stages end to end, back-pressure from a slow async sink, and running with cancellation.</summary>
[Collection(StreamsCollection.Name)]
public sealed class StatelessStagesTests(StreamsFixture fixture, ITestOutputHelper output)
{
    [Fact]
    public async Task Select_where_branch_merge_peek_and_sinks_route_every_record()
    {
        string a = await fixture.CreateTopicAsync("st-a", 2);
        string b = await fixture.CreateTopicAsync("st-b", 1);
        string evens = await fixture.CreateTopicAsync("st-even", 1);
        string odds = await fixture.CreateTopicAsync("st-odd", 1);
        await fixture.ProduceAsync(a, Enumerable.Range(0, 100).Select(i => ((string?)$"k{i}", (string?)i.ToString(), 1000L + i)));
        await fixture.ProduceAsync(b, Enumerable.Range(100, 50).Select(i => ((string?)$"k{i}", (string?)i.ToString(), 1000L + i)));

        var peeked = new ConcurrentBag<int>();
        var big = new ConcurrentBag<int>();
        var builder = new StreamsBuilder();
        var numbers = builder.Stream<string, string>(a).Merge(builder.Stream<string, string>(b))
            .SelectValues(int.Parse)
            .Where((_, n) => n % 10 != 9)
            .Peek((_, n) => peeked.Add(n));
        var branches = numbers.Branch((_, n) => n >= 140, (_, n) => n % 2 == 0, (_, _) => true);
        branches[0].ForEach((_, n) => big.Add(n));
        branches[1].Select((k, n) => KeyValuePair.Create(k.ToUpperInvariant(), n * 10L)).To(evens, Serdes.String, Serdes.Long);
        branches[2].SelectMany((k, n) => new[] { KeyValuePair.Create(k, n), KeyValuePair.Create(k + "-copy", n) }).To(odds, Serdes.String, Serdes.Int);

        await using var app = new StreamsApp(builder.Build(), fixture.Config(StreamsFixture.Unique("st"), output: output));
        await app.StartAsync();
        var kept = Enumerable.Range(0, 150).Where(n => n % 10 != 9).ToList();
        var evenOut = fixture.ReadUntil(evens, Serdes.String, Serdes.Long, r => r.Count >= kept.Count(n => n < 140 && n % 2 == 0), settle: TimeSpan.FromMilliseconds(300));
        var oddOut = fixture.ReadUntil(odds, Serdes.String, Serdes.Int, r => r.Count >= 2 * kept.Count(n => n < 140 && n % 2 == 1), settle: TimeSpan.FromMilliseconds(300));
        await StreamsFixture.WaitUntilAsync(() => peeked.Count == kept.Count, () => $"{peeked.Count} peeked");

        Assert.Equal(kept, peeked.Order());
        Assert.Equal(kept.Where(n => n >= 140), big.Order());
        Assert.Equal(kept.Where(n => n < 140 && n % 2 == 0).Select(n => ($"K{n}", n * 10L)), evenOut.Select(r => (r.Key, r.Value)).OrderBy(r => r.Item2));
        Assert.Equal(kept.Where(n => n < 140 && n % 2 == 1).SelectMany(n => new[] { ($"k{n}", n), ($"k{n}-copy", n) }).OrderBy(x => x.Item1, StringComparer.Ordinal),
            oddOut.Select(r => (r.Key, r.Value)).OrderBy(x => x.Item1, StringComparer.Ordinal));
        // Timestamps are carried through.
        Assert.All(evenOut, r => Assert.Equal(1000L + r.Value / 10, r.Timestamp));
    }

    [Fact]
    public async Task A_slow_async_sink_pauses_consumption_with_bounded_buffers_then_everything_arrives_in_order()
    {
        string input = await fixture.CreateTopicAsync("bp-in", 1);
        await fixture.ProduceAsync(input, Enumerable.Range(0, 3000).Select(i => ((string?)"k", (string?)i.ToString(), 1000L + i)));
        var gate = new TaskCompletionSource();
        var seen = new ConcurrentQueue<int>();
        var builder = new StreamsBuilder();
        builder.Stream<string, string>(input).ForEachAsync(async (_, v, ct) =>
        {
            await gate.Task.WaitAsync(ct);
            seen.Enqueue(int.Parse(v));
        });
        var config = fixture.Config(StreamsFixture.Unique("bp"), output: output);
        config.BufferedRecordsPerPartition = 100;
        await using var app = new StreamsApp(builder.Build(), config);
        using var cts = new CancellationTokenSource();
        var run = app.RunAsync(cts.Token);

        await StreamsFixture.WaitUntilAsync(() => app.Metrics.ProcessedRecords == 1, () => $"{app.Metrics.ProcessedRecords} processed");
        int buffered = app.BufferedRecords;
        await Task.Delay(1000);
        // The sink holds the first record: nothing else was processed, and the buffer stays at or under its bound.
        Assert.Equal(1, app.Metrics.ProcessedRecords);
        Assert.InRange(app.BufferedRecords, 1, 100);
        Assert.Equal(buffered, app.BufferedRecords);

        output.WriteLine($"{DateTime.UtcNow:HH:mm:ss.fff} opening the gate");
        gate.SetResult();
        await StreamsFixture.WaitUntilAsync(() => seen.Count == 3000, () => $"{seen.Count} of 3000");
        output.WriteLine($"{DateTime.UtcNow:HH:mm:ss.fff} all seen");
        Assert.Equal(Enumerable.Range(0, 3000), seen);

        cts.Cancel();
        await run;
        Assert.Equal(StreamsState.NotRunning, app.State);
    }
}
