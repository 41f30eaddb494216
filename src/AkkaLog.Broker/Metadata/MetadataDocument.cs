using System.Text.Json.Serialization;
using AkkaLog.Broker.Handlers;

namespace AkkaLog.Broker.Metadata;

/// <summary>The embedded store's file format (partition states were added later: older files have none).</summary>
internal sealed record MetadataDocument(string ClusterId, List<TopicRecord> Topics, List<PartitionRecord>? Partitions = null);

/// <summary>One topic in the embedded store's file, and the topic value under etcd's <c>topics/&lt;name&gt;</c>.</summary>
internal sealed record TopicRecord(string Name, Guid Id, int PartitionCount, Dictionary<string, string> Configs)
{
    public static TopicRecord From(TopicMetadata t) => new(t.Name, t.Id, t.PartitionCount, new Dictionary<string, string>(t.Configs));
    public TopicMetadata ToMetadata() => new(Name, Id, PartitionCount, Configs);
}

/// <summary>One partition's state in the embedded store's file.</summary>
internal sealed record PartitionRecord(string Topic, int Partition, PartitionState State);

/// <summary>A broker's value under etcd's <c>brokers/&lt;id&gt;</c>.</summary>
internal sealed record BrokerRecord(int NodeId, string Host, int Port, string? Rack)
{
    public static BrokerRecord From(BrokerNode b) => new(b.NodeId, b.Host, b.Port, b.Rack);
    public BrokerNode ToNode() => new(NodeId, Host, Port, Rack);
}

/// <summary>The controller's value under etcd's <c>controller</c>.</summary>
internal sealed record ControllerRecord(int NodeId);

[JsonSourceGenerationOptions(WriteIndented = true)]
[JsonSerializable(typeof(MetadataDocument))]
internal sealed partial class MetadataJsonContext : JsonSerializerContext;

/// <summary>Compact JSON for etcd values (camelCase, no indentation).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(TopicRecord))]
[JsonSerializable(typeof(PartitionState))]
[JsonSerializable(typeof(BrokerRecord))]
[JsonSerializable(typeof(ControllerRecord))]
internal sealed partial class EtcdJsonContext : JsonSerializerContext;
