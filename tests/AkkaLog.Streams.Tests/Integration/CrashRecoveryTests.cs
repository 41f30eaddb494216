using AkkaLog.Streams.Tests.Infrastructure;

namespace AkkaLog.Streams.Tests.Integration;

/// <summary>
/// kill -9 of a separate streams process in the middle of a word count, then a restart: at-least-once means
/// no word's count may end below the true count, and the restarted process must have restored its store
/// (from the changelog, or its local file plus the changelog's tail) instead of starting from scratch.
/// </summary>
[Collection(StreamsCollection.Name)]
public sealed class CrashRecoveryTests(StreamsFixture fixture, ITestOutputHelper output)
{
    [Theory]
    [InlineData("in-memory")]
    [InlineData("persistent")]
    public async Task Killed_mid_run_and_restarted_loses_no_contribution_and_restores_state(string storeType)
    {
        string input = await fixture.CreateTopicAsync("crash-in", partitions: 2);
        string outputTopic = await fixture.CreateTopicAsync("crash-out", partitions: 2);
        var words = WordLines.Generate(seed: 11, lineCount: 6000, vocabulary: 30);
        var expected = words.Counts;
        long total = words.TotalProcessed;
        await fixture.ProduceAsync(input, words.Records());

        string app = StreamsFixture.Unique("crash");
        string stateDir = fixture.NewStateDir();
        // Counted words pass a 25 ms pause every 100, so the counting takes seconds: the kill lands mid-way.
        string[] args = ["wordcount", fixture.Bootstrap, app, input, outputTopic, stateDir, storeType, "25"];
        using (var first = new AppProcess(output, args))
        {
            await StreamsFixture.WaitUntilAsync(() => first.Processed >= total / 2 || first.HasExited, () => $"first run processed {first.Processed}");
            Assert.False(first.HasExited, "the first run exited by itself");
            first.Kill();
            Assert.True(first.Processed < total, $"the kill came too late: {first.Processed} of {total} processed");
        }

        using var second = new AppProcess(output, args);
        await StreamsFixture.WaitUntilAsync(() => second.Running is not null || second.HasExited, () => "second run not running");
        var (restored, loaded) = second.Running!.Value;
        output.WriteLine($"second run: restored {restored} changelog records, loaded {loaded} from the local file");
        if (storeType == "in-memory") Assert.True(restored > 0, "the in-memory store was not restored from its changelog");
        else Assert.True(restored + loaded > 0, "the persistent store came back empty");

        var read = fixture.ReadUntil(outputTopic, Serdes.String, Serdes.Long,
            r => expected.All(e => StreamsFixture.Latest(r).GetValueOrDefault(e.Key) >= e.Value), TimeSpan.FromSeconds(90));
        var final = StreamsFixture.Latest(read);
        Assert.All(expected, e => Assert.True(final[e.Key] >= e.Value, $"{e.Key}: {final[e.Key]} < {e.Value}"));

        // "Restored rather than from scratch": once the second run has nothing left to do it must have processed
        // fewer records than the whole input, i.e. it went on from the first run's committed offsets, so the counts
        // above the first run's share can only have come from the restored store. (A run that ignored its committed
        // offsets would process everything again and still pass the checks above, with counts near double.)
        await WaitUntilIdleAsync(second);
        output.WriteLine($"second run processed {second.Processed} of {total}; counted {final.Values.Sum()} words, {expected.Values.Sum()} in the input");
        Assert.True(second.Processed < total, $"the second run processed {second.Processed} of {total} records: it started from scratch");
        await second.StopAsync();
        Assert.Contains("stopped", second.Lines);
    }

    /// <summary>Waits until the app's processed count has not moved for 2 s (its input is drained).</summary>
    private static async Task WaitUntilIdleAsync(AppProcess app)
    {
        long last = -1;
        var stableSince = DateTime.UtcNow;
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(90);
        while (DateTime.UtcNow - stableSince < TimeSpan.FromSeconds(2))
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"the app kept processing: {app.Processed}");
            long now = app.Processed;
            if (now != last) { last = now; stableSince = DateTime.UtcNow; }
            await Task.Delay(200);
        }
    }
}
