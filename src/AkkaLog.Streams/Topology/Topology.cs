using System.Text;
using AkkaLog.Streams.Internal;

namespace AkkaLog.Streams;

/// <summary>
/// What <see cref="StreamsBuilder.Build"/> produces: the processor graph split into sub-topologies. Two nodes
/// are in one sub-topology when an edge or a shared store joins them; repartition topics are the seams
/// (a sink of one sub-topology, a source of another). Each sub-topology runs as one task per partition
/// of its source topics. Immutable once built; <see cref="Describe"/> prints it.
/// </summary>
public sealed class Topology
{
    internal Topology(IReadOnlyList<TopologyNode> nodes, IReadOnlyDictionary<string, StoreBuilder> stores,
        IReadOnlyList<IReadOnlySet<TopicRef>> copartitionGroups, IReadOnlyDictionary<string, int> repartitionPartitions)
    {
        Nodes = nodes;
        Stores = stores;
        CopartitionGroups = copartitionGroups;
        RepartitionPartitions = repartitionPartitions;
        SubTopologies = SubTopology.Split(nodes, stores);
        if (SubTopologies.Count == 0) throw new TopologyException("the topology has no source: add a stream or table from a topic");
        var seen = new Dictionary<TopicRef, int>();
        foreach (var sub in SubTopologies)
        {
            foreach (var topic in sub.SourceTopics)
            {
                if (seen.TryGetValue(topic, out int other) && other != sub.Id)
                    throw new TopologyException($"topic '{topic.Name}' is read by two sub-topologies ({other} and {sub.Id}): read it once and branch");
                seen[topic] = sub.Id;
            }
        }
    }

    internal IReadOnlyList<TopologyNode> Nodes { get; }
    internal IReadOnlyDictionary<string, StoreBuilder> Stores { get; }
    internal IReadOnlyList<IReadOnlySet<TopicRef>> CopartitionGroups { get; }
    internal IReadOnlyDictionary<string, int> RepartitionPartitions { get; }
    internal IReadOnlyList<SubTopology> SubTopologies { get; }

    /// <summary>The store names of this topology.</summary>
    public IReadOnlyCollection<string> StoreNames => Stores.Keys.ToList();

    /// <summary>A readable description: sub-topologies, their sources, nodes, stores and sinks.</summary>
    public string Describe()
    {
        var text = new StringBuilder();
        foreach (var sub in SubTopologies)
        {
            text.AppendLine($"Sub-topology {sub.Id}: sources [{string.Join(", ", sub.SourceTopics.Select(Show))}]" +
                            $" stores [{string.Join(", ", sub.Stores.Select(s => s.Name))}]");
            foreach (var node in sub.Nodes)
            {
                string sink = node.SinkTopic is { } t ? $" -> topic {Show(t)}" : "";
                text.AppendLine($"  {node.Name}{sink}{(node.Children.Count > 0 ? " --> " + string.Join(", ", node.Children.Select(c => c.Name)) : "")}");
            }
        }
        return text.ToString();
    }

    private static string Show(TopicRef topic) => topic.IsRepartition ? $"<app>-{topic.Name}-repartition" : topic.Name;
}

/// <summary>The DSL was used in a way that cannot run (bad wiring, mismatched partitions for a join, a missing topic).</summary>
public sealed class TopologyException(string message) : Exception(message);
