using System.Diagnostics;
using AkkaLog.Protocol;
using AkkaLog.Protocol.Messages;

namespace AkkaLog.Benchmarks;

/// <summary>
/// Consumer-group figures: how long 10 members take to form a group over a 100-partition topic
/// (first JoinGroup sent to last SyncGroup answered, with the broker's initial rebalance delay set
/// to 0 by bench.sh so the figure is the protocol's own cost), how long a rebalance of the stable
/// group takes when an 11th member joins, and offset commits per second with every member
/// committing its partitions on its own connection, several requests in flight each.
/// </summary>
internal static class GroupBenchmark
{
    private const int Members = 10;
    private const int Partitions = 100;
    private const int InFlight = 8;

    public static async Task RunAsync(string host, int port, TimeSpan commitDuration)
    {
        string topic = $"bench-groups-{Environment.ProcessId}";
        string group = $"bench-group-{Environment.ProcessId}";
        await using (var admin = await WireConnection.ConnectAsync(host, port))
            await admin.CallAsync<CreateTopicsResponse>(new CreateTopicsRequest { Topics = [new() { Name = topic, NumPartitions = Partitions, ReplicationFactor = 1 }] }, 4);

        var connections = new List<WireConnection>();
        for (int i = 0; i < Members + 1; i++) connections.Add(await WireConnection.ConnectAsync(host, port));
        try
        {
            var sw = Stopwatch.StartNew();
            var generation = await RebalanceAsync(connections.Take(Members).ToList(), group, topic, new string[Members]);
            double formMs = sw.Elapsed.TotalMilliseconds;

            // An 11th member joins: the 10 learn of the rebalance by heartbeat and rejoin.
            sw.Restart();
            var ids = generation.MemberIds.Append("").ToArray();
            generation = await RebalanceAsync(connections, group, topic, ids, generation.Id);
            double rebalanceMs = sw.Elapsed.TotalMilliseconds;

            var (commitsPerSecond, offsetsPerSecond) = await CommitLoadAsync(connections, group, topic, generation, commitDuration);
            Console.WriteLine();
            Console.WriteLine($"consumer group, {Members} members, {Partitions}-partition topic (group.initial.rebalance.delay.ms=0)");
            Console.WriteLine($"  group formation (first JoinGroup to last SyncGroup answer):     {formMs,8:F1} ms");
            Console.WriteLine($"  rebalance when an 11th member joins (heartbeat to last sync):  {rebalanceMs,8:F1} ms");
            Console.WriteLine($"  offset commits, {Members + 1} members x {InFlight} in flight:  {commitsPerSecond,10:N0} requests/s  {offsetsPerSecond,12:N0} partition offsets/s");
        }
        finally
        {
            foreach (var c in connections) await c.DisposeAsync();
        }
    }

    private sealed record Generation(int Id, string[] MemberIds, Dictionary<string, List<int>> Assignment);

    /// <summary>Every connection joins (existing members by heartbeat-then-rejoin), the leader assigns by range, all sync.</summary>
    private static async Task<Generation> RebalanceAsync(List<WireConnection> connections, string group, string topic, string[] memberIds, int oldGeneration = -1)
    {
        var subscription = Subscription(topic);
        var joins = connections.Select(async (conn, i) =>
        {
            string id = memberIds[i] ?? "";
            if (id.Length > 0 && oldGeneration >= 0)
            {
                // An existing member notices the rebalance through its heartbeat, as a client does.
                while (true)
                {
                    var hb = await conn.CallAsync<HeartbeatResponse>(new HeartbeatRequest { GroupId = group, GenerationId = oldGeneration, MemberId = id }, 4);
                    if (hb.ErrorCode == (short)ErrorCode.RebalanceInProgress) break;
                    await Task.Delay(5);
                }
            }
            while (true)
            {
                var join = await conn.CallAsync<JoinGroupResponse>(new JoinGroupRequest
                {
                    GroupId = group, SessionTimeoutMs = 30_000, RebalanceTimeoutMs = 60_000, MemberId = id,
                    ProtocolType = "consumer", Protocols = [new() { Name = "range", Metadata = subscription }],
                }, 5);
                if (join.ErrorCode == (short)ErrorCode.MemberIdRequired) { id = join.MemberId; continue; }
                if (join.ErrorCode != 0) throw new InvalidOperationException($"JoinGroup failed: {(ErrorCode)join.ErrorCode}");
                return join;
            }
        }).ToList();
        var responses = await Task.WhenAll(joins);
        var leader = responses.Single(r => r.Members.Count > 0);
        var members = leader.Members.Select(m => m.MemberId).Order(StringComparer.Ordinal).ToList();
        var assignment = members.Select((m, i) => (m, Enumerable.Range(0, Partitions).Where(p => p * members.Count / Partitions == i).ToList()))
            .ToDictionary(x => x.m, x => x.Item2);
        var syncs = connections.Select(async (conn, i) =>
        {
            var mine = responses[i];
            var request = new SyncGroupRequest { GroupId = group, GenerationId = mine.GenerationId, MemberId = mine.MemberId };
            if (mine.Members.Count > 0)
                request.Assignments = assignment.Select(a => new SyncGroupRequest.SyncGroupRequestAssignment { MemberId = a.Key, Assignment = Assignment(topic, a.Value) }).ToList();
            var sync = await conn.CallAsync<SyncGroupResponse>(request, 3);
            if (sync.ErrorCode != 0) throw new InvalidOperationException($"SyncGroup failed: {(ErrorCode)sync.ErrorCode}");
        });
        await Task.WhenAll(syncs);
        return new Generation(leader.GenerationId, responses.Select(r => r.MemberId).ToArray(), assignment);
    }

    private static async Task<(double Commits, double Offsets)> CommitLoadAsync(List<WireConnection> connections, string group, string topic,
        Generation generation, TimeSpan duration)
    {
        long commits = 0, offsets = 0, failed = 0;
        var sw = Stopwatch.StartNew();
        var workers = connections.Select(async (conn, i) =>
        {
            string memberId = generation.MemberIds[i];
            var partitions = generation.Assignment[memberId];
            long next = 0;
            var window = new SemaphoreSlim(InFlight);
            // Ends with an exception when the connection is disposed after the run.
            _ = Task.Run(async () =>
            {
                try
                {
                    while (true)
                    {
                        var reader = new KafkaReader(await conn.ReceiveAsync());
                        new ResponseHeader().Read(ref reader, 0);
                        var response = new OffsetCommitResponse();
                        response.Read(ref reader, 7);
                        if (response.Topics.SelectMany(t => t.Partitions).Any(p => p.ErrorCode != 0)) Interlocked.Increment(ref failed);
                        Interlocked.Increment(ref commits);
                        Interlocked.Add(ref offsets, partitions.Count);
                        window.Release();
                    }
                }
                catch (Exception) when (sw.Elapsed >= duration) { }
            });
            while (sw.Elapsed < duration)
            {
                await window.WaitAsync();
                next++;
                var request = new OffsetCommitRequest
                {
                    GroupId = group, GenerationIdOrMemberEpoch = generation.Id, MemberId = memberId,
                    Topics = [new() { Name = topic, Partitions = partitions.Select(p => new OffsetCommitRequest.OffsetCommitRequestPartition { PartitionIndex = p, CommittedOffset = next }).ToList() }],
                };
                await conn.SendAsync(conn.Encode(request, 7));
            }
            for (int k = 0; k < InFlight; k++) await window.WaitAsync(); // drain
        }).ToList();
        await Task.WhenAll(workers);
        double seconds = sw.Elapsed.TotalSeconds;
        if (failed > 0) throw new InvalidOperationException($"{failed} offset commits failed");
        return (commits / seconds, offsets / seconds);
    }

    private static byte[] Subscription(string topic) =>
        VersionedMessage.Encode(new ConsumerProtocolSubscription { Topics = [topic] }, 0);

    private static byte[] Assignment(string topic, List<int> partitions) =>
        VersionedMessage.Encode(new ConsumerProtocolAssignment
        {
            AssignedPartitions = [new ConsumerProtocolAssignment.TopicPartition { Topic = topic, Partitions = partitions }],
        }, 0);
}
