namespace AkkaLog.Streams.Internal;

/// <summary>A topic a node reads or writes: a user topic, or a repartition topic named after the application at run time.</summary>
internal readonly record struct TopicRef(string Name, bool IsRepartition)
{
    public string Resolve(string applicationId) => IsRepartition ? $"{applicationId}-{Name}-repartition" : Name;
}

/// <summary>
/// A node of the topology graph the DSL builds. The graph is a template: every task instantiates
/// it anew (<see cref="Create"/>) with its own processors and stores.
/// </summary>
internal abstract class TopologyNode(string name)
{
    public string Name { get; } = name;
    public List<TopologyNode> Children { get; } = [];
    public List<TopologyNode> Parents { get; } = [];

    /// <summary>State stores this node reads or writes: nodes sharing a store end up in one sub-topology.</summary>
    public List<string> Stores { get; } = [];

    /// <summary>Topics this node writes to (sinks), for the topology description and repartition wiring.</summary>
    public TopicRef? SinkTopic { get; init; }

    public void AddChild(TopologyNode child)
    {
        Children.Add(child);
        child.Parents.Add(this);
    }

    /// <summary>This node's processor for one task; <paramref name="create"/> makes (or reuses) a child's.</summary>
    public abstract object Create(TaskContext context, Func<TopologyNode, object> create);
}

/// <summary>A processing node turning (KIn, VIn) records into (KOut, VOut) ones.</summary>
internal sealed class ProcessorNode<TKeyIn, TValueIn, TKeyOut, TValueOut>(
    string name, Func<TaskContext, Forwarder<TKeyOut, TValueOut>, IProcessor<TKeyIn, TValueIn>> factory) : TopologyNode(name)
{
    public override object Create(TaskContext context, Func<TopologyNode, object> create)
    {
        var children = Children.Select(c => (IProcessor<TKeyOut, TValueOut>)create(c)).ToArray();
        return factory(context, new Forwarder<TKeyOut, TValueOut>(children));
    }
}

/// <summary>A node that reads topics.</summary>
internal interface ISourceNode
{
    string Name { get; }
    IReadOnlyList<TopicRef> Topics { get; }
}

/// <summary>Reads topics: deserializes keys and values, takes event time, forwards.</summary>
internal sealed class SourceNode<TKey, TValue>(string name, IReadOnlyList<TopicRef> topics, Serde<TKey> keySerde, Serde<TValue> valueSerde,
    Func<TKey, TValue, long, long>? timestampExtractor) : TopologyNode(name), ISourceNode
{
    public IReadOnlyList<TopicRef> Topics { get; } = topics;

    public override object Create(TaskContext context, Func<TopologyNode, object> create)
    {
        var children = Children.Select(c => (IProcessor<TKey, TValue>)create(c)).ToArray();
        return new Source(context, new Forwarder<TKey, TValue>(children), keySerde, valueSerde, timestampExtractor);
    }

    private sealed class Source(TaskContext context, Forwarder<TKey, TValue> next, Serde<TKey> keySerde, Serde<TValue> valueSerde,
        Func<TKey, TValue, long, long>? extractor) : ISourceProcessor
    {
        public void Process(byte[]? key, byte[]? value, long timestamp)
        {
            TKey k;
            TValue v;
            try
            {
                k = keySerde.Deserialize(key, key is null);
                v = valueSerde.Deserialize(value, value is null);
            }
            catch (Exception e) when (context.Config.SkipBadRecords)
            {
                context.Metrics.AddSkippedRecord();
                context.Log($"skipping a record that does not deserialize at {context.RecordTopic} [{context.RecordPartition}] @{context.RecordOffset}: {e.Message}");
                return;
            }
            if (extractor is not null) timestamp = extractor(k, v, timestamp);
            context.ObserveTimestamp(timestamp);
            next.Forward(k, v, timestamp);
        }
    }
}
