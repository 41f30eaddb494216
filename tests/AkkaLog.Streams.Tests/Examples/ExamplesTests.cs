using AkkaLog.Streams.Tests.Infrastructure;
using AkkaLog.TestSupport;

namespace AkkaLog.Streams.Tests.Examples;

/// <summary>
/// The examples in <c>examples/</c> run as users would run them (a separate process, against a broker,
/// for a few seconds) and print the results their comments promise.
/// </summary>
[Collection(StreamsCollection.Name)]
public sealed class ExamplesTests(StreamsFixture fixture, ITestOutputHelper output)
{
    public static TheoryData<string, string[]> Examples => new()
    {
        // "the" is in all three sample lines; the interactive query sees the same count.
        { "WordCount", ["the: 3", "dog: 2", "fox: 1", "interactive query: 'the' was counted 3 times (if this instance hosts it)"] },
        // The first minute has alice, bob and dave (out of order, within grace); "late" is past the grace period.
        { "PageViewCounts", ["/home {0:HH:mm}: 3 views", "/cart {0:HH:mm}: 1 views", "/home {1:HH:mm}: 1 views", "late views dropped: 1"] },
        // c1 and c2 are known customers; c9 is not (left join).
        { "OrderEnrichment", ["Alice (gold) ordered 30.5", "Bob (basic) ordered 12", "unknown customer c9 for an order of 5"] },
    };

    [Theory]
    [MemberData(nameof(Examples))]
    public async Task An_example_prints_the_results_it_promises(string example, string[] expectedLines)
    {
        string dll = Path.Combine(TestPaths.Root, "examples", example, "bin", TestPaths.Configuration, "net10.0", example + ".dll");
        Assert.True(File.Exists(dll), $"build examples/{example} first: {dll}");
        // PageViewCounts puts its views ten minutes back from the current minute.
        long minute = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 60_000 * 60_000 - 10 * 60_000;
        var expected = expectedLines.Select(l => string.Format(l, DateTimeOffset.FromUnixTimeMilliseconds(minute), DateTimeOffset.FromUnixTimeMilliseconds(minute + 60_000))).ToList();

        var result = await ProcessRunner.RunAsync("dotnet", [dll, fixture.Bootstrap, "12"], TimeSpan.FromSeconds(60));
        output.WriteLine(result.Describe(example));
        Assert.False(result.TimedOut, result.Describe(example));
        Assert.True(result.ExitCode == 0, result.Describe(example));
        foreach (var line in expected) Assert.Contains(line, result.Lines);
    }
}
