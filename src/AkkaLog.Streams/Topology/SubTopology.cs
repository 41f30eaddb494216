namespace AkkaLog.Streams.Internal;

/// <summary>A connected part of the topology: its nodes, source topics and stores. One task per partition.</summary>
internal sealed class SubTopology
{
    public required int Id { get; init; }
    public required IReadOnlyList<TopologyNode> Nodes { get; init; }
    public required IReadOnlyList<ISourceNode> Sources { get; init; }
    public required IReadOnlyList<TopicRef> SourceTopics { get; init; }
    public required IReadOnlyList<StoreBuilder> Stores { get; init; }

    /// <summary>Groups nodes by edges and shared stores (union-find), numbered in order of their first node.</summary>
    public static IReadOnlyList<SubTopology> Split(IReadOnlyList<TopologyNode> nodes, IReadOnlyDictionary<string, StoreBuilder> stores)
    {
        var index = nodes.Select((n, i) => (n, i)).ToDictionary(x => x.n, x => x.i);
        var parent = Enumerable.Range(0, nodes.Count).ToArray();
        int Find(int i) => parent[i] == i ? i : parent[i] = Find(parent[i]);
        void Union(int a, int b) => parent[Find(a)] = Find(b);

        var storeOwner = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < nodes.Count; i++)
        {
            foreach (var child in nodes[i].Children) Union(i, index[child]);
            foreach (var store in nodes[i].Stores)
            {
                if (!stores.ContainsKey(store)) throw new TopologyException($"node {nodes[i].Name} uses unknown store '{store}'");
                if (storeOwner.TryGetValue(store, out int other)) Union(i, other);
                else storeOwner[store] = i;
            }
        }

        var result = new List<SubTopology>();
        foreach (var group in Enumerable.Range(0, nodes.Count).GroupBy(Find).OrderBy(g => g.Min()))
        {
            var members = group.OrderBy(i => i).Select(i => nodes[i]).ToList();
            var sources = members.OfType<ISourceNode>().ToList();
            if (sources.Count == 0)
                throw new TopologyException($"nodes {string.Join(", ", members.Select(m => m.Name))} are not connected to any source topic");
            result.Add(new SubTopology
            {
                Id = result.Count,
                Nodes = members,
                Sources = sources,
                SourceTopics = sources.SelectMany(s => s.Topics).Distinct().ToList(),
                Stores = members.SelectMany(m => m.Stores).Distinct().Select(s => stores[s]).ToList(),
            });
        }
        return result;
    }
}
