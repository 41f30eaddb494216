using AkkaLog.Broker.Groups;
using AkkaLog.Protocol;

namespace AkkaLog.Broker.Tests.Groups;

/// <summary>
/// <c>__consumer_offsets</c> records in Apache Kafka's layout: exact key bytes (int16 version, then
/// strings and the partition), values round-tripping, and older value versions Kafka wrote
/// (built by hand here from Kafka's schemas) still readable.
/// </summary>
public sealed class OffsetsTopicRecordsTests
{
    [Fact]
    public void Offset_key_is_version_1_group_topic_partition()
    {
        // int16 1 | int16 2 "g1" | int16 1 "t" | int32 3
        byte[] expected = [0, 1, 0, 2, (byte)'g', (byte)'1', 0, 1, (byte)'t', 0, 0, 0, 3];
        Assert.Equal(expected, OffsetsTopicRecords.OffsetKey("g1", "t", 3));
        var key = OffsetsTopicRecords.ReadKey(expected);
        Assert.Equal(new OffsetsTopicRecords.RecordKey(true, false, "g1", "t", 3), key);
    }

    [Fact]
    public void Group_key_is_version_2_then_the_group()
    {
        byte[] expected = [0, 2, 0, 2, (byte)'g', (byte)'1'];
        Assert.Equal(expected, OffsetsTopicRecords.GroupKey("g1"));
        Assert.Equal(new OffsetsTopicRecords.RecordKey(false, true, "g1", "", -1), OffsetsTopicRecords.ReadKey(expected));
    }

    [Fact]
    public void Version_0_offset_keys_read_like_version_1_and_newer_kinds_are_neither()
    {
        byte[] v0 = [0, 0, 0, 1, (byte)'g', 0, 1, (byte)'t', 0, 0, 0, 0];
        Assert.Equal(new OffsetsTopicRecords.RecordKey(true, false, "g", "t", 0), OffsetsTopicRecords.ReadKey(v0));
        byte[] consumerGroupMetadata = [0, 3, 0, 1, (byte)'g']; // KIP-848 records start at version 3
        var other = OffsetsTopicRecords.ReadKey(consumerGroupMetadata);
        Assert.False(other.IsOffset || other.IsGroup);
    }

    [Fact]
    public void Key_bytes_of_a_unicode_group_are_utf8()
    {
        var key = OffsetsTopicRecords.GroupKey("grüppe");
        Assert.Equal([0, 2, 0, 7], key[..4]); // "grüppe" is 7 bytes in UTF-8
        Assert.Equal("grüppe", OffsetsTopicRecords.ReadKey(key).Group);
    }

    [Theory]
    [InlineData(42L, 5, "", 1_700_000_000_000L)]
    [InlineData(-2L, -1, "reset to earliest", 1L)]
    [InlineData(long.MaxValue, int.MaxValue, "métadonnées ✓", 0L)]
    public void Offset_value_round_trips_as_version_3(long offset, int epoch, string metadata, long timestamp)
    {
        var value = OffsetsTopicRecords.OffsetValue(new CommittedOffset(offset, epoch, metadata, timestamp));
        Assert.Equal([0, 3], value[..2]);
        Assert.Equal(new CommittedOffset(offset, epoch, metadata, timestamp), OffsetsTopicRecords.ReadOffsetValue(value));
    }

    [Fact]
    public void Offset_value_version_3_layout()
    {
        // int16 3 | int64 offset 7 | int32 leader epoch 2 | int16 1 "m" | int64 commit timestamp 9
        byte[] expected = [0, 3, 0, 0, 0, 0, 0, 0, 0, 7, 0, 0, 0, 2, 0, 1, (byte)'m', 0, 0, 0, 0, 0, 0, 0, 9];
        Assert.Equal(expected, OffsetsTopicRecords.OffsetValue(new CommittedOffset(7, 2, "m", 9)));
    }

    [Fact]
    public void Older_offset_values_read_without_a_leader_epoch()
    {
        // v1 (Kafka 0.10-2.0): offset, metadata, commit timestamp, expire timestamp.
        var v1 = Write(w => { w.WriteInt16(1); w.WriteInt64(11); w.WriteString("x"); w.WriteInt64(100); w.WriteInt64(200); });
        Assert.Equal(new CommittedOffset(11, -1, "x", 100), OffsetsTopicRecords.ReadOffsetValue(v1));
        // v0: offset, metadata, timestamp.
        var v0 = Write(w => { w.WriteInt16(0); w.WriteInt64(12); w.WriteString(""); w.WriteInt64(300); });
        Assert.Equal(new CommittedOffset(12, -1, "", 300), OffsetsTopicRecords.ReadOffsetValue(v0));
        var v4 = Write(w => { w.WriteInt16(4); w.WriteInt64(1); });
        Assert.Throws<KafkaProtocolException>(() => OffsetsTopicRecords.ReadOffsetValue(v4));
    }

    [Fact]
    public void Group_value_round_trips_as_version_3_with_static_and_dynamic_members()
    {
        var group = new StoredGroup("consumer", 4, "range", "m-1", 1_700_000_000_123L,
        [
            new StoredMember("m-1", null, "client-a", "/127.0.0.1", 300_000, 10_000, [0, 1, 2], [3, 4]),
            new StoredMember("m-2", "instance-2", "client-b", "/10.0.0.2", 60_000, 45_000, [], []),
        ]);
        var value = OffsetsTopicRecords.GroupValue(group);
        Assert.Equal([0, 3], value[..2]);
        var read = OffsetsTopicRecords.ReadGroupValue(value);
        Assert.Equal((group.ProtocolType, group.Generation, group.Protocol, group.Leader, group.CurrentStateTimestampMs),
            (read.ProtocolType, read.Generation, read.Protocol, read.Leader, read.CurrentStateTimestampMs));
        Assert.Equal(2, read.Members.Count);
        for (int i = 0; i < 2; i++)
        {
            var (a, b) = (group.Members[i], read.Members[i]);
            Assert.Equal((a.MemberId, a.GroupInstanceId, a.ClientId, a.ClientHost, a.RebalanceTimeoutMs, a.SessionTimeoutMs),
                (b.MemberId, b.GroupInstanceId, b.ClientId, b.ClientHost, b.RebalanceTimeoutMs, b.SessionTimeoutMs));
            Assert.Equal(a.Subscription, b.Subscription);
            Assert.Equal(a.Assignment, b.Assignment);
        }
    }

    [Fact]
    public void Empty_group_value_has_null_protocol_and_leader()
    {
        var read = OffsetsTopicRecords.ReadGroupValue(OffsetsTopicRecords.GroupValue(new StoredGroup("consumer", 9, null, null, 5, [])));
        Assert.Equal(("consumer", 9, (string?)null, (string?)null, 0), (read.ProtocolType, read.Generation, read.Protocol, read.Leader, read.Members.Count));
    }

    [Fact]
    public void Version_1_group_value_reads_with_defaults_for_later_fields()
    {
        // v1: protocol type, generation, protocol, leader, members [member id, client id, client host,
        // rebalance timeout, session timeout, subscription, assignment]; no state timestamp, no instance id.
        var v1 = Write(w =>
        {
            w.WriteInt16(1); w.WriteString("consumer"); w.WriteInt32(3); w.WriteNullableString("range"); w.WriteNullableString("m");
            w.WriteArrayLength(1);
            w.WriteString("m"); w.WriteString("c"); w.WriteString("/h"); w.WriteInt32(20_000); w.WriteInt32(10_000);
            w.WriteBytes(new byte[] { 1 }); w.WriteBytes(new byte[] { 2 });
        });
        var read = OffsetsTopicRecords.ReadGroupValue(v1);
        Assert.Equal(("consumer", 3, "range", "m", -1L), (read.ProtocolType, read.Generation, read.Protocol, read.Leader, read.CurrentStateTimestampMs));
        var m = Assert.Single(read.Members);
        Assert.Equal(("m", (string?)null, "c", "/h", 20_000, 10_000), (m.MemberId, m.GroupInstanceId, m.ClientId, m.ClientHost, m.RebalanceTimeoutMs, m.SessionTimeoutMs));
        // v0 has no rebalance timeout: it is the session timeout.
        var v0 = Write(w =>
        {
            w.WriteInt16(0); w.WriteString("consumer"); w.WriteInt32(1); w.WriteNullableString(null); w.WriteNullableString(null);
            w.WriteArrayLength(1);
            w.WriteString("m"); w.WriteString("c"); w.WriteString("/h"); w.WriteInt32(7_000);
            w.WriteBytes(Array.Empty<byte>()); w.WriteBytes(Array.Empty<byte>());
        });
        Assert.Equal(7_000, Assert.Single(OffsetsTopicRecords.ReadGroupValue(v0).Members).RebalanceTimeoutMs);
    }

    private static byte[] Write(Action<KafkaWriter> write)
    {
        using var w = new KafkaWriter(64);
        write(w);
        return w.ToArray();
    }
}
