using AkkaLog.Client;
using AkkaLog.Client.Admin;

namespace AkkaLog.Streams.Internal;

/// <summary>
/// The topology's topics as this application sees them: real names, partition counts, which
/// sub-topology reads which topic and how many tasks each has. <see cref="EnsureAsync"/> checks the
/// source topics exist and co-partitioned ones agree, then creates the internal topics:
/// <c>&lt;application.id&gt;-&lt;name&gt;-repartition</c> (as many partitions as the sub-topology writing them
/// has tasks, or as the topics they must be co-partitioned with, or the most of the group when every joined side is re-keyed) and
/// <c>&lt;application.id&gt;-&lt;store&gt;-changelog</c> (cleanup.policy=compact, one partition per task).
/// </summary>
internal sealed class RuntimeTopics
{
    public required IReadOnlyDictionary<TopicRef, string> Names { get; init; }
    public required IReadOnlyDictionary<string, int> SubByTopic { get; init; }
    public required IReadOnlyDictionary<int, int> TaskCounts { get; init; }
    public IReadOnlyList<string> SubscribedTopics => SubByTopic.Keys.ToList();

    public static async Task<RuntimeTopics> EnsureAsync(Topology topology, StreamsConfig config, CancellationToken cancellationToken)
    {
        string app = config.ApplicationId;
        await using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = config.BootstrapServers }).Build();
        var allTopics = topology.SubTopologies.SelectMany(s => s.SourceTopics).ToList();
        var userTopics = allTopics.Where(t => !t.IsRepartition).Select(t => t.Name).Distinct().ToList();
        var existing = (await admin.ListTopicsAsync(cancellationToken: cancellationToken)).ToHashSet(StringComparer.Ordinal);
        var missing = userTopics.Where(t => !existing.Contains(t)).ToList();
        if (missing.Count > 0) throw new TopologyException($"source topic(s) {string.Join(", ", missing)} do not exist: create them first");

        var counts = new Dictionary<TopicRef, int>();
        foreach (var d in await admin.DescribeTopicsAsync(userTopics, cancellationToken: cancellationToken))
            counts[new TopicRef(d.Name, false)] = d.Partitions.Count;
        var writers = WritersOfRepartitionTopics(topology);
        ResolveRepartitionCounts(topology, counts, writers);

        var names = allTopics.Concat(writers.Keys).Distinct().ToDictionary(t => t, t => t.Resolve(app));
        var taskCounts = topology.SubTopologies.ToDictionary(s => s.Id, s => s.SourceTopics.Max(t => counts[t]));
        var wantedInternal = new Dictionary<string, TopicSpecification>(StringComparer.Ordinal);
        foreach (var (topic, n) in counts.Where(kv => kv.Key.IsRepartition))
            wantedInternal[names[topic]] = new TopicSpecification { Name = names[topic], NumPartitions = n, ReplicationFactor = config.ReplicationFactor };
        foreach (var sub in topology.SubTopologies)
        {
            foreach (var store in sub.Stores.Where(s => s.Logged))
            {
                string name = store.ChangelogTopic(app);
                wantedInternal[name] = new TopicSpecification
                {
                    Name = name, NumPartitions = taskCounts[sub.Id], ReplicationFactor = config.ReplicationFactor,
                    Configs = new Dictionary<string, string> { ["cleanup.policy"] = "compact" },
                };
            }
        }
        await CreateOrCheckAsync(admin, wantedInternal, existing, cancellationToken);

        var subByTopic = topology.SubTopologies.SelectMany(s => s.SourceTopics.Select(t => (names[t], s.Id)))
            .ToDictionary(x => x.Item1, x => x.Id, StringComparer.Ordinal);
        return new RuntimeTopics { Names = names, SubByTopic = subByTopic, TaskCounts = taskCounts };
    }

    private static Dictionary<TopicRef, SubTopology> WritersOfRepartitionTopics(Topology topology)
    {
        var writers = new Dictionary<TopicRef, SubTopology>();
        foreach (var sub in topology.SubTopologies)
            foreach (var node in sub.Nodes)
                if (node.SinkTopic is { IsRepartition: true } t) writers[t] = sub;
        return writers;
    }

    /// <summary>
    /// Works out each repartition topic's partition count. A count is fixed for user topics and for repartition
    /// topics given one explicitly. Otherwise a repartition topic takes its writing sub-topology's task count,
    /// unless it is joined (a co-partition group): then it takes the group's fixed count, or, when no member is
    /// fixed (every side re-keyed), the largest count among the members, as Kafka Streams does. Checks that
    /// every group agrees in the end.
    /// </summary>
    private static void ResolveRepartitionCounts(Topology topology, Dictionary<TopicRef, int> counts, Dictionary<TopicRef, SubTopology> writers)
    {
        foreach (var (name, n) in topology.RepartitionPartitions) counts[new TopicRef(name, true)] = n;
        var fixedTopics = counts.Keys.ToHashSet();
        var joined = topology.CopartitionGroups.SelectMany(g => g).ToHashSet();
        var writerCounts = new Dictionary<TopicRef, int>(); // what a joined repartition topic would have on its own
        // Counts flow downstream through chains of repartition topics: one round per link settles them.
        for (int round = 0; round <= writers.Count + topology.CopartitionGroups.Count + 1; round++)
        {
            foreach (var (topic, writer) in writers)
            {
                if (fixedTopics.Contains(topic) || !writer.SourceTopics.All(counts.ContainsKey)) continue;
                int own = writer.SourceTopics.Max(t => counts[t]);
                if (joined.Contains(topic)) writerCounts[topic] = own;
                else counts[topic] = own;
            }
            foreach (var group in topology.CopartitionGroups)
            {
                var open = group.Where(t => !fixedTopics.Contains(t)).ToList();
                var fixedCounts = group.Where(fixedTopics.Contains).Select(t => counts[t]).Distinct().ToList();
                if (fixedCounts.Count > 0)
                    foreach (var t in open) counts[t] = fixedCounts.Max(); // several fixed counts: the check below names them
                else if (open.All(writerCounts.ContainsKey))
                    foreach (var t in open) counts[t] = open.Max(o => writerCounts[o]);
            }
        }
        var unresolved = writers.Keys.Where(t => !counts.ContainsKey(t)).ToList();
        if (unresolved.Count > 0) throw new TopologyException($"cannot work out partition counts of {string.Join(", ", unresolved.Select(t => t.Name))} (a cycle?)");
        foreach (var group in topology.CopartitionGroups)
        {
            var distinct = group.Select(t => (t, counts[t])).ToList();
            if (distinct.Select(x => x.Item2).Distinct().Count() > 1)
                throw new TopologyException("topics joined must be co-partitioned (same number of partitions): " +
                                            string.Join(", ", distinct.Select(x => $"{x.t.Name} has {x.Item2}")));
        }
    }

    private static async Task CreateOrCheckAsync(IAdminClient admin, Dictionary<string, TopicSpecification> wanted, HashSet<string> existing,
        CancellationToken cancellationToken)
    {
        var toCreate = wanted.Values.Where(t => !existing.Contains(t.Name)).ToList();
        if (toCreate.Count > 0)
        {
            try
            {
                await admin.CreateTopicsAsync(toCreate, cancellationToken: cancellationToken);
            }
            catch (KafkaAdminException e) when (e.Results.All(r => r.Error.Code is AkkaLog.Protocol.ErrorCode.None or AkkaLog.Protocol.ErrorCode.TopicAlreadyExists))
            {
                // Another instance created them at the same time.
            }
        }
        var present = wanted.Keys.Where(existing.Contains).ToList();
        if (present.Count == 0) return;
        foreach (var d in await admin.DescribeTopicsAsync(present, cancellationToken: cancellationToken))
        {
            if (d.Partitions.Count != wanted[d.Name].NumPartitions)
                throw new TopologyException($"internal topic {d.Name} has {d.Partitions.Count} partitions, the topology needs {wanted[d.Name].NumPartitions}: " +
                                            "delete it (and the application's state) or keep the input partition counts");
        }
    }
}
