using System.Text;
using AkkaLog.IntegrationTests.Fixtures;
using AkkaLog.IntegrationTests.Infrastructure;

namespace AkkaLog.IntegrationTests.Tests;

/// <summary>
/// Log compaction end to end with kcat: 10,000 keys updated many times and 1,000 of them deleted;
/// once the cleaner has run, a consumer from the beginning sees exactly the latest value of each
/// live key, no deleted key once delete.retention.ms has passed, and the log is smaller on disk.
/// </summary>
[Collection(CrashCollection.Name)]
public sealed class CompactionTests(ITestOutputHelper output)
{
    private const int Keys = 10_000;
    private const int Rounds = 5;
    private const string Topic = "compacted";

    [Fact]
    public async Task Compacted_topic_keeps_the_latest_value_per_key_and_drops_expired_tombstones()
    {
        await using var broker = await BrokerProcess.StartNewAsync("compaction", new Dictionary<string, string>
        {
            ["log.cleaner.backoff.ms"] = "200",
            ["offsets.topic.num.partitions"] = "1",
        });
        await broker.WithLogOnFailure(output, async () =>
        {
            await using (var admin = await broker.ConnectAsync())
            {
                var created = await admin.CreateTopicAsync(Topic, 1, new Dictionary<string, string>
                {
                    ["cleanup.policy"] = "compact",
                    ["segment.bytes"] = "262144",
                    ["min.cleanable.dirty.ratio"] = "0.01",
                    ["delete.retention.ms"] = "2000",
                });
                Assert.Equal(0, created.ErrorCode);
            }

            // Updates: every key gets Rounds values; then every tenth key is deleted (kcat -Z: empty value = null).
            var expected = new Dictionary<string, string>();
            var input = new StringBuilder();
            for (int round = 0; round < Rounds; round++)
                for (int k = 0; k < Keys; k++)
                {
                    string key = $"key-{k:D5}", value = $"value-{k}-round-{round}-{new string('x', 20)}";
                    input.Append(key).Append('\t').Append(value).Append('\n');
                    expected[key] = value;
                }
            for (int k = 0; k < Keys; k += 10)
            {
                input.Append($"key-{k:D5}\t\n");
                expected.Remove($"key-{k:D5}");
            }
            await Produce(broker, input.ToString());
            long producedBytes = LogBytes(broker);
            // Filler in later segments moves the updates and tombstones out of the active segment.
            await ProduceFiller(broker, "a", expected);

            // First pass: superseded values go; tombstones stay for delete.retention.ms.
            // (Filler in the active segment is never cleaned, so only the updated keys are counted.)
            await WaitUntilAsync(async () => Updated(await Consume(broker)) is var updated
                && updated.Count == Keys && updated.Count(r => r.Value is null) == Keys / 10, "first cleaning");
            Assert.True(LogBytes(broker) < producedBytes / 2, $"log should shrink: {LogBytes(broker)} bytes on disk after cleaning vs {producedBytes} produced");

            // After delete.retention.ms a later pass removes the tombstones too.
            await Task.Delay(2500);
            await ProduceFiller(broker, "b", expected);
            await WaitUntilAsync(async () => Updated(await Consume(broker)).All(r => r.Value is not null), "tombstone removal");

            var records = await Consume(broker);
            var updatedKeys = Updated(records).ToDictionary(r => r.Key, r => r.Value); // throws on a duplicate key
            Assert.Equal(expected.Keys.Count(k => k.StartsWith("key-")), updatedKeys.Count);
            var latest = new Dictionary<string, string?>();
            foreach (var r in records) latest[r.Key] = r.Value; // filler in the active segment may repeat: the last wins
            Assert.Equal(expected.Count, latest.Count);
            foreach (var (key, value) in expected) Assert.Equal(value, latest[key]);
            var offsets = records.Select(r => r.Offset).ToList();
            Assert.Equal(offsets.Order(), offsets); // offsets kept, increasing (gaps are fine)
        });
    }

    private static async Task ProduceFiller(BrokerProcess broker, string tag, Dictionary<string, string> expected)
    {
        var filler = new StringBuilder();
        for (int i = 0; i < 3000; i++)
        {
            string key = $"filler-{tag}-{i % 100}", value = $"{tag}-{i}-{new string('f', 100)}";
            filler.Append(key).Append('\t').Append(value).Append('\n');
            expected[key] = value;
        }
        await Produce(broker, filler.ToString());
    }

    private static Task Produce(BrokerProcess broker, string lines) =>
        Kcat.RunCheckedAsync(broker.Bootstrap, ["-P", "-t", Topic, "-K", "\t", "-Z", "-z", "snappy"], lines);

    private sealed record Consumed(long Offset, string Key, string? Value);

    private static async Task<List<Consumed>> Consume(BrokerProcess broker)
    {
        var result = await Kcat.RunCheckedAsync(broker.Bootstrap, ["-C", "-t", Topic, "-o", "beginning", "-e", "-q", "-f", "%o\t%k\t%S\t%s\n"]);
        return result.Lines.Select(line =>
        {
            var parts = line.Split('\t');
            return new Consumed(long.Parse(parts[0]), parts[1], parts[2] == "-1" ? null : parts[3]);
        }).ToList();
    }

    private static List<Consumed> Updated(List<Consumed> records) => records.Where(r => r.Key.StartsWith("key-")).ToList();

    private static long LogBytes(BrokerProcess broker) =>
        new DirectoryInfo(Path.Combine(broker.DataDir, $"{Topic}-0")).GetFiles("*.log").Sum(f => f.Length);

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"{what} did not happen within 60 s");
            await Task.Delay(500);
        }
    }
}
