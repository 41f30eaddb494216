using AkkaLog.Protocol;

namespace AkkaLog.Broker.Groups;

/// <summary>A committed offset as stored in <c>__consumer_offsets</c> and served by OffsetFetch.</summary>
public sealed record CommittedOffset(long Offset, int LeaderEpoch, string Metadata, long CommitTimestampMs);

/// <summary>A member as stored in a group metadata record.</summary>
public sealed record StoredMember(string MemberId, string? GroupInstanceId, string ClientId, string ClientHost,
    int RebalanceTimeoutMs, int SessionTimeoutMs, byte[] Subscription, byte[] Assignment);

/// <summary>A group's membership as stored in a group metadata record.</summary>
public sealed record StoredGroup(string ProtocolType, int Generation, string? Protocol, string? Leader,
    long CurrentStateTimestampMs, IReadOnlyList<StoredMember> Members);

/// <summary>
/// Encodes and decodes the records of <c>__consumer_offsets</c> in Apache Kafka's own layout, so
/// the topic reads the same with Kafka's tools: the key starts with an int16 version (0 or 1 for
/// a committed offset, 2 for group metadata), and a null value (tombstone) deletes the key. We
/// write value versions 3 (offsets: no expire timestamp, with leader epoch) and 3 (groups: with
/// static member ids), the newest non-flexible ones; other value versions up to 3 are read.
/// </summary>
public static class OffsetsTopicRecords
{
    private const short OffsetKeyVersion = 1;
    private const short GroupKeyVersion = 2;
    private const short OffsetValueVersion = 3;
    private const short GroupValueVersion = 3;

    /// <summary>The key of a committed offset.</summary>
    public static byte[] OffsetKey(string group, string topic, int partition)
    {
        using var w = new KafkaWriter(64);
        w.WriteInt16(OffsetKeyVersion);
        w.WriteString(group);
        w.WriteString(topic);
        w.WriteInt32(partition);
        return w.ToArray();
    }

    /// <summary>The value of a committed offset.</summary>
    public static byte[] OffsetValue(CommittedOffset offset)
    {
        using var w = new KafkaWriter(64);
        w.WriteInt16(OffsetValueVersion);
        w.WriteInt64(offset.Offset);
        w.WriteInt32(offset.LeaderEpoch);
        w.WriteString(offset.Metadata);
        w.WriteInt64(offset.CommitTimestampMs);
        return w.ToArray();
    }

    /// <summary>The key of a group's metadata.</summary>
    public static byte[] GroupKey(string group)
    {
        using var w = new KafkaWriter(32);
        w.WriteInt16(GroupKeyVersion);
        w.WriteString(group);
        return w.ToArray();
    }

    /// <summary>The value of a group's metadata.</summary>
    public static byte[] GroupValue(StoredGroup group)
    {
        using var w = new KafkaWriter(256);
        w.WriteInt16(GroupValueVersion);
        w.WriteString(group.ProtocolType);
        w.WriteInt32(group.Generation);
        w.WriteNullableString(group.Protocol);
        w.WriteNullableString(group.Leader);
        w.WriteInt64(group.CurrentStateTimestampMs);
        w.WriteArrayLength(group.Members.Count);
        foreach (var m in group.Members)
        {
            w.WriteString(m.MemberId);
            w.WriteNullableString(m.GroupInstanceId);
            w.WriteString(m.ClientId);
            w.WriteString(m.ClientHost);
            w.WriteInt32(m.RebalanceTimeoutMs);
            w.WriteInt32(m.SessionTimeoutMs);
            w.WriteBytes(m.Subscription);
            w.WriteBytes(m.Assignment);
        }
        return w.ToArray();
    }

    /// <summary>What a key names: an offset (group, topic, partition) or a group, or neither (a kind we do not use).</summary>
    public readonly record struct RecordKey(bool IsOffset, bool IsGroup, string Group, string Topic, int Partition);

    /// <summary>Decodes a key; unknown key versions (newer coordinator records) come back as neither kind.</summary>
    public static RecordKey ReadKey(ReadOnlyMemory<byte> key)
    {
        var r = new KafkaReader(key);
        short version = r.ReadInt16();
        return version switch
        {
            0 or 1 => new RecordKey(true, false, r.ReadString(), r.ReadString(), r.ReadInt32()),
            2 => new RecordKey(false, true, r.ReadString(), "", -1),
            _ => default,
        };
    }

    /// <summary>Decodes an offset value (versions 0-3).</summary>
    public static CommittedOffset ReadOffsetValue(ReadOnlyMemory<byte> value)
    {
        var r = new KafkaReader(value);
        short version = r.ReadInt16();
        if (version is < 0 or > 3) throw new KafkaProtocolException($"unsupported offset commit value version {version}");
        long offset = r.ReadInt64();
        int epoch = version >= 3 ? r.ReadInt32() : -1;
        string metadata = r.ReadString();
        long commitTimestamp = r.ReadInt64();
        return new CommittedOffset(offset, epoch, metadata, commitTimestamp);
    }

    /// <summary>Decodes a group metadata value (versions 0-3).</summary>
    public static StoredGroup ReadGroupValue(ReadOnlyMemory<byte> value)
    {
        var r = new KafkaReader(value);
        short version = r.ReadInt16();
        if (version is < 0 or > 3) throw new KafkaProtocolException($"unsupported group metadata value version {version}");
        string protocolType = r.ReadString();
        int generation = r.ReadInt32();
        string? protocol = r.ReadNullableString();
        string? leader = r.ReadNullableString();
        long stateTimestamp = version >= 2 ? r.ReadInt64() : -1;
        int count = r.ReadArrayLength();
        var members = new List<StoredMember>(Math.Max(count, 0));
        for (int i = 0; i < count; i++)
        {
            string memberId = r.ReadString();
            string? instanceId = version >= 3 ? r.ReadNullableString() : null;
            string clientId = r.ReadString();
            string clientHost = r.ReadString();
            int rebalanceTimeout = version >= 1 ? r.ReadInt32() : -1;
            int sessionTimeout = r.ReadInt32();
            if (rebalanceTimeout < 0) rebalanceTimeout = sessionTimeout;
            byte[] subscription = r.ReadBytes().ToArray();
            byte[] assignment = r.ReadBytes().ToArray();
            members.Add(new StoredMember(memberId, instanceId, clientId, clientHost, rebalanceTimeout, sessionTimeout, subscription, assignment));
        }
        return new StoredGroup(protocolType, generation, protocol, leader, stateTimestamp, members);
    }
}
