using System.Collections.Concurrent;
using System.Diagnostics;
using AkkaLog.Client.Internal.Consumer.Group;
using AkkaLog.Client.Tests.Infrastructure;

namespace AkkaLog.Client.Tests.Integration;

/// <summary>
/// Our consumers and a <c>kcat -G</c> member (librdkafka, assignors "range,roundrobin") in one group:
/// librdkafka leads first and assigns over our subscriptions; after it leaves, ours lead and take its
/// partitions from its commits. Every record is read exactly once across both clients.
/// </summary>
[Collection(BrokerCollection.Name)]
public sealed class MixedGroupTests(BrokerFixture fixture, ITestOutputHelper output)
{
    [Fact]
    public async Task Our_consumers_and_kcat_share_a_topic_in_one_group()
    {
        string topic = await fixture.CreateTopicAsync("mixed", partitions: 6);
        string group = "mixed-" + Guid.NewGuid().ToString("N")[..12];
        var consumed = new ConcurrentBag<(string Member, int Partition, long Offset, string Value)>();
        await using var admin = fixture.Admin();

        // Who holds what, as the coordinator knows it (decoding each member's assignment).
        async Task<Dictionary<string, List<int>>> AssignmentsAsync()
        {
            var g = (await admin.DescribeGroupsAsync([group]))[0];
            if (g.State != "Stable") return new();
            return g.Members.ToDictionary(m => m.ClientId,
                m => ConsumerProtocolCodec.DecodeAssignment(m.Assignment).Select(tp => tp.Partition.Value).Order().ToList());
        }
        async Task WaitForAsync(Func<Dictionary<string, List<int>>, bool> condition)
        {
            var last = new Dictionary<string, List<int>>();
            var deadline = DateTime.UtcNow.AddSeconds(40);
            while (!condition(last = await AssignmentsAsync()))
            {
                if (DateTime.UtcNow > deadline)
                    throw new Xunit.Sdk.XunitException("group never got there: " + string.Join("; ", last.Select(kv => $"{kv.Key}={string.Join(",", kv.Value)}")));
                await Task.Delay(100);
            }
        }

        await using var kcat = new KcatGroupMember(fixture.Bootstrap, group, topic);
        await WaitForAsync(a => a.Count == 1 && a["kcat-1"].Count == 6);

        var members = new List<GroupMember>();
        try
        {
            foreach (var name in new[] { "ours-1", "ours-2" })
            {
                var config = ConsumerKit.Config(fixture.Bootstrap, group);
                config.ClientId = name;
                members.Add(new GroupMember(name, config, topic, consumed));
            }
            await WaitForAsync(a => a.Count == 3 && a.Values.All(p => p.Count == 2) && a.Values.SelectMany(p => p).Distinct().Count() == 6);
            await ConsumerKit.WaitUntilAsync(() => members.All(m => m.Assignment.Count == 2), () => "our members did not see their partitions");

            await using (var producer = new ProducerBuilder<string, string>(new ProducerConfig { BootstrapServers = fixture.Bootstrap }).Build())
                await Task.WhenAll(Enumerable.Range(0, 600).Select(i => producer.ProduceAsync(topic, new Message<string, string> { Key = $"k{i}", Value = $"{i}" })));
            await ConsumerKit.WaitUntilAsync(() => consumed.Count + kcat.Count >= 600, () => $"ours {consumed.Count}, kcat {kcat.Count} of 600");
            Assert.True(kcat.Count > 0 && consumed.Count > 0, $"ours {consumed.Count}, kcat {kcat.Count}");

            // kcat leaves (committing as it closes); our two split its partitions, now assigned by one of ours.
            await kcat.StopAsync();
            await WaitForAsync(a => a.Count == 2 && a.Values.All(p => p.Count == 3));
            await using (var producer = new ProducerBuilder<string, string>(new ProducerConfig { BootstrapServers = fixture.Bootstrap }).Build())
                await Task.WhenAll(Enumerable.Range(600, 300).Select(i => producer.ProduceAsync(topic, new Message<string, string> { Key = $"k{i}", Value = $"{i}" })));
            await ConsumerKit.WaitUntilAsync(() => consumed.Count + kcat.Count >= 900, () => $"ours {consumed.Count}, kcat {kcat.Count} of 900");
            foreach (var m in members) await m.StopAsync();
        }
        finally
        {
            foreach (var m in members) await m.DisposeAsync();
        }

        var all = consumed.Select(c => (c.Partition, c.Offset, c.Value)).Concat(kcat.Records).ToList();
        output.WriteLine($"ours {consumed.Count}, kcat {kcat.Count}");
        var duplicates = all.GroupBy(r => (r.Partition, r.Offset)).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        Assert.True(duplicates.Count == 0, $"{duplicates.Count} records read twice, e.g. {string.Join(", ", duplicates.Take(5))}");
        Assert.Equal(Enumerable.Range(0, 900).Select(i => $"{i}").Order(), all.Select(r => r.Value).Order());
    }

    /// <summary>A <c>kcat -G</c> process with fast group timings, printing "partition offset value" per record.</summary>
    private sealed class KcatGroupMember : IAsyncDisposable
    {
        private readonly Process _process;
        private readonly ConcurrentQueue<(int Partition, long Offset, string Value)> _records = new();

        public KcatGroupMember(string bootstrap, string group, string topic)
        {
            var psi = new ProcessStartInfo(TestPaths.Kcat) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var a in new[]
            {
                "-b", bootstrap, "-G", group, "-q", "-u", "-f", "%p %o %s\\n", "-X", "client.id=kcat-1", "-X", "auto.offset.reset=earliest",
                "-X", "session.timeout.ms=6000", "-X", "heartbeat.interval.ms=300", "-X", "auto.commit.interval.ms=200", topic,
            }) psi.ArgumentList.Add(a);
            _process = Process.Start(psi)!;
            _process.OutputDataReceived += (_, e) =>
            {
                if (e.Data is not { Length: > 0 } line) return;
                var parts = line.Split(' ', 3);
                _records.Enqueue((int.Parse(parts[0]), long.Parse(parts[1]), parts[2]));
            };
            _process.ErrorDataReceived += (_, _) => { };
            _process.BeginOutputReadLine();
            _process.BeginErrorReadLine();
        }

        public int Count => _records.Count;

        public IEnumerable<(int Partition, long Offset, string Value)> Records => _records;

        /// <summary>SIGTERM: kcat commits, leaves the group and exits.</summary>
        public async Task StopAsync()
        {
            if (_process.HasExited) return;
            using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString()])) await kill.WaitForExitAsync();
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            await _process.WaitForExitAsync(cts.Token);
        }

        public async ValueTask DisposeAsync()
        {
            if (!_process.HasExited)
            {
                try { _process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
                await _process.WaitForExitAsync();
            }
            _process.Dispose();
        }
    }
}
