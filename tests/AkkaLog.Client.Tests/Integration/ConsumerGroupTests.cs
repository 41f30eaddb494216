using System.Collections.Concurrent;
using AkkaLog.Client.Tests.Infrastructure;

namespace AkkaLog.Client.Tests.Integration;

/// <summary>Our consumers as one group: sharing partitions, moving them when a member leaves, resuming from commits.</summary>
[Collection(BrokerCollection.Name)]
public sealed class ConsumerGroupTests(BrokerFixture fixture, ITestOutputHelper output)
{
    private static string Describe(IEnumerable<GroupMember> members) =>
        string.Join("; ", members.Select(m => $"{m.Name}: {string.Join(",", m.Assignment.Select(tp => tp.Partition.Value).Order())}"));

    private static async Task ProduceAsync(string bootstrap, string topic, int from, int count)
    {
        await using var producer = new ProducerBuilder<string, string>(new ProducerConfig { BootstrapServers = bootstrap }).Build();
        await Task.WhenAll(Enumerable.Range(from, count).Select(i => producer.ProduceAsync(topic, new Message<string, string> { Key = $"key-{i}", Value = $"{i}" })));
    }

    [Theory]
    [InlineData("range")]
    [InlineData("roundrobin")]
    [InlineData("cooperative-sticky")]
    public async Task Members_share_partitions_hand_them_over_and_resume_from_commits(string strategy)
    {
        string topic = await fixture.CreateTopicAsync("grp-" + strategy, partitions: 6);
        string group = $"g-{strategy}-{Guid.NewGuid():N}"[..30];
        var config = ConsumerKit.Config(fixture.Bootstrap, group);
        config.PartitionAssignmentStrategy = strategy;
        // Only the commits on revocation and close count here: a periodic one could hide a missing one.
        config.AutoCommitIntervalMs = 600_000;
        var consumed = new ConcurrentBag<(string Member, int Partition, long Offset, string Value)>();
        var members = new List<GroupMember>();
        try
        {
            foreach (var name in new[] { "a", "b", "c" }) members.Add(new GroupMember(name, config, topic, consumed));
            await ConsumerKit.WaitUntilAsync(() => members.All(m => m.Assignment.Count == 2)
                && members.SelectMany(m => m.Assignment).Distinct().Count() == 6, () => Describe(members));
            var firstOwners = members.SelectMany(m => m.Assignment.Select(tp => (tp.Partition.Value, m.Name))).ToDictionary();

            await ProduceAsync(fixture.Bootstrap, topic, 0, 600);
            await ConsumerKit.WaitUntilAsync(() => consumed.Count >= 600, () => $"{consumed.Count} of 600 consumed");
            // Each record was read by the member that owned its partition.
            Assert.All(consumed, c => Assert.Equal(firstOwners[c.Partition], c.Member));

            // One leaves: its partitions move to the other two (3 each); the next records are read there, once.
            await members[0].StopAsync();
            var rest = members.Skip(1).ToList();
            await ConsumerKit.WaitUntilAsync(() => rest.All(m => m.Assignment.Count == 3)
                && rest.SelectMany(m => m.Assignment).Distinct().Count() == 6, () => Describe(rest));
            await ProduceAsync(fixture.Bootstrap, topic, 600, 300);
            await ConsumerKit.WaitUntilAsync(() => consumed.Count >= 900, () => $"{consumed.Count} of 900 consumed");

            // A new member joins and must resume from the group's commits: nothing is read twice.
            members.Add(new GroupMember("d", config, topic, consumed));
            var now = members.Skip(1).ToList();
            await ConsumerKit.WaitUntilAsync(() => now.All(m => m.Assignment.Count == 2)
                && now.SelectMany(m => m.Assignment).Distinct().Count() == 6, () => Describe(now));
            await ProduceAsync(fixture.Bootstrap, topic, 900, 300);
            await ConsumerKit.WaitUntilAsync(() => consumed.Count >= 1200, () => $"{consumed.Count} of 1200 consumed");
            Assert.Contains(consumed, c => c.Member == "d");
            foreach (var m in now) await m.StopAsync();
        }
        finally
        {
            foreach (var m in members) await m.DisposeAsync();
        }

        var duplicates = consumed.GroupBy(c => (c.Partition, c.Offset)).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        Assert.True(duplicates.Count == 0, $"{duplicates.Count} records consumed twice, e.g. {string.Join(", ", duplicates.Take(5))}");
        Assert.Equal(Enumerable.Range(0, 1200).Select(i => i.ToString()).Order(), consumed.Select(c => c.Value).Order());

        // Closing committed every consumed position: the group's offsets are the partitions' ends.
        await using var admin = fixture.Admin();
        var committed = (await admin.ListConsumerGroupOffsetsAsync(group)).ToDictionary(o => o.TopicPartition.Partition.Value, o => o.Offset.Value);
        var ends = consumed.GroupBy(c => c.Partition).ToDictionary(g => g.Key, g => g.Max(c => c.Offset) + 1);
        Assert.Equal(ends.OrderBy(kv => kv.Key), committed.OrderBy(kv => kv.Key));
        output.WriteLine($"{strategy}: {consumed.Count} consumed by {string.Join(", ", consumed.GroupBy(c => c.Member).Select(g => $"{g.Key}={g.Count()}"))}");
    }

    [Fact]
    public async Task A_static_member_restarting_within_the_session_gets_its_partitions_back_and_resumes()
    {
        string topic = await fixture.CreateTopicAsync("static", partitions: 2);
        string group = "static-" + Guid.NewGuid().ToString("N")[..12];
        var config = ConsumerKit.Config(fixture.Bootstrap, group);
        config.GroupInstanceId = "instance-1";
        await ProduceAsync(fixture.Bootstrap, topic, 0, 100);
        var consumed = new ConcurrentBag<(string Member, int Partition, long Offset, string Value)>();

        var first = new GroupMember("first", config, topic, consumed);
        await ConsumerKit.WaitUntilAsync(() => consumed.Count >= 100, () => $"{consumed.Count} of 100");
        await first.StopAsync();
        await using var admin = fixture.Admin();
        // A static member sends no LeaveGroup: the group keeps it until session.timeout.ms.
        Assert.Equal("instance-1", Assert.Single(Assert.Single(await admin.DescribeGroupsAsync([group])).Members).GroupInstanceId);

        await ProduceAsync(fixture.Bootstrap, topic, 100, 50);
        await using var second = new GroupMember("second", config, topic, consumed);
        await ConsumerKit.WaitUntilAsync(() => consumed.Count >= 150, () => $"{consumed.Count} of 150");
        Assert.Equal(2, second.Assignment.Count);
        await second.StopAsync();
        Assert.Equal(Enumerable.Range(0, 150).Select(i => $"{i}").Order(), consumed.Select(c => c.Value).Order());
        Assert.All(consumed.Where(c => c.Member == "second"), c => Assert.True(int.Parse(c.Value) >= 100));
    }
}
