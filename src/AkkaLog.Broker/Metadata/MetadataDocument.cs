using System.Text.Json.Serialization;

namespace AkkaLog.Broker.Metadata;

/// <summary>The embedded store's file format.</summary>
internal sealed record MetadataDocument(string ClusterId, List<TopicRecord> Topics);

/// <summary>One topic in the embedded store's file.</summary>
internal sealed record TopicRecord(string Name, Guid Id, int PartitionCount, Dictionary<string, string> Configs)
{
    public static TopicRecord From(TopicMetadata t) => new(t.Name, t.Id, t.PartitionCount, new Dictionary<string, string>(t.Configs));
    public TopicMetadata ToMetadata() => new(Name, Id, PartitionCount, Configs);
}

[JsonSourceGenerationOptions(WriteIndented = true)]
[JsonSerializable(typeof(MetadataDocument))]
internal sealed partial class MetadataJsonContext : JsonSerializerContext;
