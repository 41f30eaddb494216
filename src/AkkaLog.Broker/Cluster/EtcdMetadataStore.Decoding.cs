using System.Globalization;
using System.Text.Json;
using AkkaLog.Broker.Cluster.Etcd;
using AkkaLog.Broker.Handlers;
using AkkaLog.Broker.Metadata;
using AkkaLog.Storage;
using Microsoft.Extensions.Logging;

namespace AkkaLog.Broker.Cluster;

/// <summary>
/// Decoding etcd values into the store's state. A value that cannot be decoded (bad JSON, a field
/// missing, a topic record naming another topic or without an id, written by a newer or broken
/// writer) is never taken as a deletion: the key keeps the state last decoded from it, the problem
/// is logged once per revision, and the next change of the key is decoded afresh. Replicas are only
/// ever deleted when a topic key is really gone, or its id really changed.
/// </summary>
public sealed partial class EtcdMetadataStore
{
    /// <summary>What the store knew before a full reload, to fall back on for keys that cannot be decoded.</summary>
    private sealed record KnownState(Dictionary<string, TopicMetadata> Topics, Dictionary<TopicPartition, PartitionState> Partitions,
        Dictionary<int, BrokerNode> Brokers, (int NodeId, long Epoch, long Lease) Controller);

    // Full key -> mod revision of the value that could not be decoded (guarded by _lock).
    private readonly Dictionary<string, long> _unreadable = new(StringComparer.Ordinal);

    /// <summary>Keys whose current value could not be decoded (their previous state is kept), with that value's mod revision.</summary>
    public IReadOnlyDictionary<string, long> UnreadableKeys
    {
        get { lock (_lock) return new Dictionary<string, long>(_unreadable, StringComparer.Ordinal); }
    }

    /// <summary>Applies a put under the lock; false when the value could not be decoded (nothing changed then).</summary>
    private bool ApplyPut(EtcdKeyValue kv)
    {
        if (!kv.Key.StartsWith(_prefix, StringComparison.Ordinal)) return true;
        string key = kv.Key[_prefix.Length..];
        string? problem;
        try { problem = Decode(key, kv); }
        catch (Exception e) when (e is JsonException or FormatException or InvalidOperationException or NotSupportedException or ArgumentException)
        {
            problem = e.Message;
        }
        if (problem is null)
        {
            if (_unreadable.Remove(kv.Key)) _logger.LogInformation("etcd key {Key} is readable again", kv.Key);
            return true;
        }
        if (!_unreadable.TryGetValue(kv.Key, out long logged) || logged != kv.ModRevision)
            _logger.LogError("Cannot decode etcd key {Key} (revision {Revision}): {Problem}; keeping its previous state, and nothing is deleted because of it",
                kv.Key, kv.ModRevision, problem);
        _unreadable[kv.Key] = kv.ModRevision;
        return false;
    }

    /// <summary>Decodes one value into the state; returns why it cannot be used, or null.</summary>
    private string? Decode(string key, EtcdKeyValue kv)
    {
        if (key.StartsWith("topics/", StringComparison.Ordinal))
        {
            string name = key["topics/".Length..];
            if (DecodeTopic(name, kv.Value, out var topic) is { } problem) return problem;
            _topics[name] = topic!;
        }
        else if (TryParsePartitionKey(key, out var tp))
        {
            var state = JsonSerializer.Deserialize(kv.Value, EtcdJsonContext.Default.PartitionState);
            if (state is null) return "the value is null";
            if (state.Replicas is not { Length: > 0 } || state.Isr is null || state.Adding is null || state.Removing is null)
                return "the state lacks replicas, isr, adding or removing";
            _partitions[tp] = state with { Version = kv.ModRevision };
        }
        else if (key.StartsWith("brokers/", StringComparison.Ordinal))
        {
            var record = JsonSerializer.Deserialize(kv.Value, EtcdJsonContext.Default.BrokerRecord);
            if (record is null) return "the value is null";
            if (record.NodeId.ToString(CultureInfo.InvariantCulture) != key["brokers/".Length..]) return $"the record names broker {record.NodeId}";
            if (string.IsNullOrEmpty(record.Host)) return "the record has no host";
            _brokers[record.NodeId] = record.ToNode() with { Incarnation = kv.CreateRevision };
        }
        else if (key == "controller")
        {
            var record = JsonSerializer.Deserialize(kv.Value, EtcdJsonContext.Default.ControllerRecord);
            if (record is null) return "the value is null";
            _controller = (record.NodeId, kv.CreateRevision, kv.Lease);
        }
        return null;
    }

    /// <summary>Decodes the value of <c>topics/&lt;name&gt;</c>; returns why it cannot be used, or null.</summary>
    private static string? DecodeTopic(string name, byte[] value, out TopicMetadata? topic)
    {
        topic = null;
        TopicRecord? record;
        try { record = JsonSerializer.Deserialize(value, EtcdJsonContext.Default.TopicRecord); }
        catch (JsonException e) { return e.Message; }
        if (record is null) return "the value is null";
        if (record.Name != name) return $"the record names topic '{record.Name}'";
        if (record.Id == Guid.Empty) return "the record has no topic id";
        if (record.PartitionCount <= 0) return $"the record has {record.PartitionCount} partitions";
        if (record.Configs is null) return "the record has no configs";
        topic = record.ToMetadata();
        return null;
    }

    /// <summary>After a reload, puts back what was known of a key whose value could not be decoded.</summary>
    private void KeepPrevious(string fullKey, KnownState before)
    {
        string key = fullKey[_prefix.Length..];
        if (key.StartsWith("topics/", StringComparison.Ordinal))
        {
            string name = key["topics/".Length..];
            if (before.Topics.TryGetValue(name, out var topic)) _topics[name] = topic;
        }
        else if (TryParsePartitionKey(key, out var tp))
        {
            if (before.Partitions.TryGetValue(tp, out var state)) _partitions[tp] = state;
        }
        else if (key.StartsWith("brokers/", StringComparison.Ordinal)
                 && int.TryParse(key.AsSpan("brokers/".Length), NumberStyles.None, CultureInfo.InvariantCulture, out int id))
        {
            if (before.Brokers.TryGetValue(id, out var broker)) _brokers[id] = broker;
        }
        else if (key == "controller") _controller = before.Controller;
    }
}
