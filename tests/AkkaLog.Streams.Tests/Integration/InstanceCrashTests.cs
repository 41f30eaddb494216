using AkkaLog.Streams.Tests.Infrastructure;

namespace AkkaLog.Streams.Tests.Integration;

/// <summary>
/// Two instances of one application (separate processes and state directories) share the partitions;
/// kill -9 of one in the middle of the run: once its session times out, the other takes over its tasks,
/// restores their stores from the changelogs and finishes, with no word's count below the true count.
/// </summary>
[Collection(StreamsCollection.Name)]
public sealed class InstanceCrashTests(StreamsFixture fixture, ITestOutputHelper output)
{
    [Fact]
    public async Task Killing_one_of_two_instances_moves_its_tasks_and_state_to_the_other()
    {
        string input = await fixture.CreateTopicAsync("icrash-in", partitions: 2);
        string outputTopic = await fixture.CreateTopicAsync("icrash-out", partitions: 2);
        var words = WordLines.Generate(seed: 5, lineCount: 6000, vocabulary: 40);
        var expected = words.Counts;
        long total = words.TotalProcessed;
        await fixture.ProduceAsync(input, words.Records());

        string app = StreamsFixture.Unique("icrash");
        string[] Args(string stateDir) => ["wordcount", fixture.Bootstrap, app, input, outputTopic, stateDir, "in-memory", "25"];
        using var survivor = new AppProcess(output, Args(fixture.NewStateDir()));
        using var victim = new AppProcess(output, Args(fixture.NewStateDir()));

        // Both must be doing work (each has tasks) before the kill, and the victim must have committed some.
        await StreamsFixture.WaitUntilAsync(() => (survivor.Processed > 200 && victim.Processed > 1000) || victim.HasExited || survivor.HasExited,
            () => $"survivor processed {survivor.Processed}, victim {victim.Processed}");
        Assert.False(victim.HasExited || survivor.HasExited, "an instance exited by itself");
        await Task.Delay(500); // a few commit intervals (200 ms) pass
        victim.Kill();
        long victimShare = victim.Processed;
        long survivorAtKill = survivor.Processed;
        int survivorLinesAtKill = survivor.Lines.Count;
        output.WriteLine($"killed the victim at {victimShare} processed; survivor at {survivorAtKill}; {total} in all");
        Assert.True(victimShare + survivorAtKill < total, "the kill came too late: everything was processed already");

        // The victim's words were counted in its stores only: final counts at or above the truth mean the survivor
        // restored those stores from their changelogs when it took the tasks over.
        var read = fixture.ReadUntil(outputTopic, Serdes.String, Serdes.Long,
            r => expected.All(e => StreamsFixture.Latest(r).GetValueOrDefault(e.Key) >= e.Value), TimeSpan.FromSeconds(120));
        var final = StreamsFixture.Latest(read);
        Assert.All(expected, e => Assert.True(final.GetValueOrDefault(e.Key) >= e.Value, $"{e.Key}: {final.GetValueOrDefault(e.Key)} < {e.Value}"));
        Assert.True(survivor.Processed > survivorAtKill, "the survivor processed nothing after the kill");
        Assert.Contains(survivor.Lines.Skip(survivorLinesAtKill), l => l.StartsWith("log ", StringComparison.Ordinal) && l.Contains("restored", StringComparison.Ordinal));
        await survivor.StopAsync();
        Assert.Contains("stopped", survivor.Lines);
    }
}
