using System.Diagnostics;
using System.Text;
using AkkaLog.IntegrationTests.Fixtures;
using AkkaLog.IntegrationTests.Infrastructure;
using AkkaLog.Protocol.Records;

namespace AkkaLog.IntegrationTests.Tests;

/// <summary>
/// Three balanced kcat consumers (librdkafka's classic group protocol, range assignor, auto-commit
/// every 5 s and on revoke/close) over a 6-partition topic on a broker with the default group
/// settings (3 s initial rebalance delay). The group must settle with two partitions per member, and
/// records produced then go to the member holding their partition. Then one member goes: SIGTERM
/// (kcat commits and sends LeaveGroup, so the handover is immediate) or SIGKILL (only its session
/// timeout removes it). Its partitions move to the other two, which start exactly at its committed
/// offsets. Every record is consumed; the only duplicates Kafka allows are records the killed
/// member consumed after its last commit, re-read once by the new owner.
/// </summary>
[Collection(GroupCollection.Name)]
public sealed class GroupKcatTests(DefaultGroupBrokerFixture fixture, ITestOutputHelper output) : IClassFixture<DefaultGroupBrokerFixture>
{
    private const int Partitions = 6;
    private const int PerPartition = 40;
    private static readonly TimeSpan SettleTimeout = TimeSpan.FromSeconds(40);
    private BrokerProcess Broker => fixture.Broker;

    [Fact]
    public Task Stopped_member_leaves_and_its_partitions_move_to_the_others() => RunAsync(kill: false);

    [Fact]
    public Task Killed_member_expires_and_its_partitions_move_within_the_session_timeout() => RunAsync(kill: true);

    private async Task RunAsync(bool kill)
    {
        string topic = TopicNames.Unique(kill ? "grp-kcat-kill" : "grp-kcat-leave");
        string group = "g-" + topic;
        await using var admin = await Broker.ConnectAsync();
        await admin.CreateTopicOrFailAsync(topic, Partitions);
        var members = new List<KcatGroupMember>();
        try
        {
            await Broker.WithLogOnFailure(output, async () =>
            {
                // The leave test uses long sessions, so only its LeaveGroup can explain a quick handover.
                int session = kill ? KcatGroupMember.DefaultSessionTimeoutMs : 30_000;
                for (int i = 0; i < 3; i++) members.Add(KcatGroupMember.Start($"m{i}", Broker.Bootstrap, group, topic, session));
                var three = await WaitForAssignmentAsync(admin, group, members, 3);
                var produced = await ProduceRoundAsync(admin, topic, 0);
                await WaitConsumedAsync(members, produced.Count, "round 0");
                AssertConsumedFromOwnPartitions(members, three, round: 0);
                if (kill)
                {
                    // Some committed, some not: the new owner must start exactly at the commit.
                    await WaitCommittedAsync(admin, group, topic, PerPartition);
                    produced.AddRange(await ProduceRoundAsync(admin, topic, 1));
                    await WaitConsumedAsync(members, produced.Count, "round 1");
                    AssertConsumedFromOwnPartitions(members, three, round: 1);
                }

                var leaving = members[2];
                var clock = Stopwatch.StartNew();
                if (kill) leaving.Kill();
                else await leaving.StopAsync();
                // What the leaving member committed: a killed one can commit nothing more.
                var committed = await admin.FetchOffsetsAsync(group);
                var two = await WaitForAssignmentAsync(admin, group, members.Take(2).ToList(), 2);
                output.WriteLine($"partitions moved {clock.ElapsedMilliseconds} ms after {(kill ? "SIGKILL" : "SIGTERM")}");
                // A LeaveGroup triggers the rebalance at once, well inside the 30 s session; a
                // silent member is removed when its 6 s session expires, plus a rejoin.
                var limit = kill ? TimeSpan.FromMilliseconds(session) + TimeSpan.FromSeconds(15) : TimeSpan.FromSeconds(15);
                Assert.True(clock.Elapsed < limit, $"partitions moved after {clock.Elapsed}, expected within {limit}");

                int last = kill ? 2 : 1;
                produced.AddRange(await ProduceRoundAsync(admin, topic, last));
                await WaitConsumedAsync(members, produced.Count, $"round {last}");
                AssertConsumedFromOwnPartitions(members.Take(2).ToList(), two, round: last);
                Assert.DoesNotContain(leaving.Records, r => r.Value.StartsWith($"r{last}-", StringComparison.Ordinal));
                foreach (var m in members.Take(2)) await m.StopAsync();

                // Each moved partition continues where the leaving member's commit says.
                var owner = two.SelectMany(kv => kv.Value.Select(p => (Partition: p, Member: kv.Key))).ToDictionary(x => x.Partition, x => x.Member);
                var resumeAt = new Dictionary<int, long>();
                foreach (int p in three[leaving.Name])
                {
                    resumeAt[p] = committed.TryGetValue((topic, p), out var c) ? c.Offset : 0;
                    var first = members.Single(m => m.Name == owner[p]).Records.First(r => r.Partition == p);
                    Assert.True(first.Offset == resumeAt[p], $"{owner[p]} took over partition {p} at offset {first.Offset}, committed {resumeAt[p]}");
                }
                if (!kill) Assert.All(resumeAt.Values, offset => Assert.Equal(PerPartition, offset)); // kcat commits on close

                // Only records the killed member consumed past its last commit may come twice, once each by it and the new owner.
                var all = members.SelectMany(m => m.Records.Select(r => (Member: m.Name, Record: r))).ToList();
                var duplicates = all.GroupBy(x => (x.Record.Partition, x.Record.Offset)).Where(g => g.Count() > 1)
                    .Where(g => !(kill && g.Count() == 2 && resumeAt.TryGetValue(g.Key.Partition, out var from) && g.Key.Offset >= from
                                  && g.Any(x => x.Member == leaving.Name) && g.Any(x => x.Member == owner[g.Key.Partition])))
                    .ToList();
                Assert.True(duplicates.Count == 0, "consumed twice: " + string.Join("; ",
                    duplicates.Take(10).Select(g => $"p{g.Key.Partition}@{g.Key.Offset} by {string.Join(",", g.Select(x => x.Member))}")));
                Assert.Equal(produced.Order(StringComparer.Ordinal), all.Select(x => x.Record.Value).Distinct().Order(StringComparer.Ordinal));
                Assert.All(all, x => Assert.Equal(x.Record.Value, x.Record.Key));

                // The survivors committed on close: everything is committed.
                var final = await admin.FetchOffsetsAsync(group);
                Assert.All(Enumerable.Range(0, Partitions), p => Assert.Equal((last + 1) * PerPartition, final[(topic, p)].Offset));
            });
        }
        finally
        {
            foreach (var m in members)
            {
                output.WriteLine($"--- {m.Name}: {m.Records.Count} records; stderr:\n{m.Stderr}");
                await m.DisposeAsync();
            }
        }
    }

    /// <summary>Produces <see cref="PerPartition"/> keyed records (key = value = r{round}-p{p}-{i}) to each partition.</summary>
    private static async Task<List<string>> ProduceRoundAsync(KafkaWireClient client, string topic, int round)
    {
        var values = new List<string>();
        for (int p = 0; p < Partitions; p++)
        {
            using var builder = new RecordBatchBuilder();
            for (int i = 0; i < PerPartition; i++)
            {
                var text = Encoding.UTF8.GetBytes($"r{round}-p{p}-{i}");
                builder.Append(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), text, text);
                values.Add($"r{round}-p{p}-{i}");
            }
            var result = await client.ProduceAsync(topic, p, builder.ToArray());
            Assert.Equal(0, result!.ErrorCode);
        }
        return values;
    }

    /// <summary>
    /// Waits until the group is Stable with exactly the <paramref name="members"/> (matched by client
    /// id), each holding 6 / n partitions, together all six; returns client id → partitions.
    /// </summary>
    private async Task<Dictionary<string, HashSet<int>>> WaitForAssignmentAsync(KafkaWireClient admin, string group,
        List<KcatGroupMember> members, int count)
    {
        string last = "";
        return await Poll.UntilAsync(async () =>
        {
            var described = await admin.DescribeGroupAsync(group);
            last = $"{described.GroupState}: " + string.Join("; ", described.Members.Select(m =>
                $"{m.ClientId}={string.Join(",", ConsumerProtocolCodec.DecodeAssignment(m.MemberAssignment).Select(a => a.Partition))}"));
            if (described.GroupState != "Stable" || described.Members.Count != count) return null;
            var byClient = described.Members.ToDictionary(m => m.ClientId,
                m => ConsumerProtocolCodec.DecodeAssignment(m.MemberAssignment).Select(a => a.Partition).ToHashSet());
            if (!members.All(m => byClient.ContainsKey(m.Name))) return null;
            if (byClient.Values.Any(p => p.Count != Partitions / count)) return null;
            if (byClient.Values.SelectMany(p => p).Distinct().Count() != Partitions) return null;
            output.WriteLine($"stable: {last}");
            return byClient;
        }, SettleTimeout, $"a stable group of {count} with {Partitions / count} partitions each", () => last);
    }

    /// <summary>Waits until <paramref name="total"/> distinct records (partition, offset) have been consumed.</summary>
    private static Task WaitConsumedAsync(List<KcatGroupMember> members, int total, string what) =>
        Poll.UntilAsync(() => members.SelectMany(m => m.Records).Select(r => (r.Partition, r.Offset)).Distinct().Count() >= total,
            SettleTimeout, $"{total} records consumed ({what})",
            () => string.Join(", ", members.Select(m => $"{m.Name}={m.Records.Count}")));

    private static Task WaitCommittedAsync(KafkaWireClient admin, string group, string topic, long offset)
    {
        string last = "";
        return Poll.UntilAsync(async () =>
        {
            var committed = await admin.FetchOffsetsAsync(group);
            last = string.Join(", ", committed.Select(c => $"{c.Key.Partition}:{c.Value.Offset}"));
            return Enumerable.Range(0, Partitions).All(p => committed.TryGetValue((topic, p), out var c) && c.Offset == offset);
        }, SettleTimeout, $"offset {offset} committed on every partition", () => last);
    }

    /// <summary>Every record of <paramref name="round"/> was consumed by the member the stable assignment gave its partition.</summary>
    private static void AssertConsumedFromOwnPartitions(List<KcatGroupMember> members, Dictionary<string, HashSet<int>> assignment, int round)
    {
        foreach (var m in members)
            foreach (var r in m.Records.Where(r => r.Value.StartsWith($"r{round}-", StringComparison.Ordinal)))
                Assert.True(assignment[m.Name].Contains(r.Partition),
                    $"{m.Name} consumed {r.Value} from partition {r.Partition}, assigned {string.Join(",", assignment[m.Name])}");
    }
}
