using System.Numerics;
using AkkaLog.Broker.Groups;

namespace AkkaLog.Broker.Tests.Groups;

/// <summary>
/// A group lives in the <c>__consumer_offsets</c> partition Kafka would pick:
/// <c>Utils.abs(groupId.hashCode()) % partitions</c>, Java's String hash over UTF-16 units, with
/// Integer.MIN_VALUE mapped to 0. Expected values come from the hash's definition computed here
/// with big integers, and from hashes known from Java.
/// </summary>
public sealed class PartitionForTests
{
    /// <summary>s[0]*31^(n-1) + s[1]*31^(n-2) + ... + s[n-1], reduced to a signed 32-bit int.</summary>
    private static int JavaHashByDefinition(string s)
    {
        BigInteger sum = 0;
        for (int i = 0; i < s.Length; i++) sum += s[i] * BigInteger.Pow(31, s.Length - 1 - i);
        var low = (uint)(sum % (BigInteger.One << 32));
        return unchecked((int)low);
    }

    private static int KafkaPartition(string groupId, int partitions)
    {
        int hash = JavaHashByDefinition(groupId);
        int abs = hash == int.MinValue ? 0 : Math.Abs(hash);
        return abs % partitions;
    }

    [Theory]
    [InlineData("abc", 96354)]
    [InlineData("Aa", 2112)]
    [InlineData("BB", 2112)]
    [InlineData("my-group", -1906497762)]
    [InlineData("polygenelubricants", int.MinValue)]
    [InlineData("", 0)]
    public void The_definition_matches_hashes_known_from_Java(string s, int javaHashCode) =>
        Assert.Equal(javaHashCode, JavaHashByDefinition(s));

    [Theory]
    [InlineData("abc", 4)]
    [InlineData("my-group", 12)] // negative hash: abs first
    [InlineData("Aa", 12)]
    [InlineData("console-consumer-12345", 6)]
    [InlineData("polygenelubricants", 0)] // hash is Integer.MIN_VALUE: Utils.abs gives 0
    [InlineData("", 0)]
    public void Matches_Kafka_for_50_partitions(string groupId, int expected)
    {
        Assert.Equal(expected, KafkaPartition(groupId, 50));
        Assert.Equal(expected, GroupCoordinator.PartitionFor(groupId, 50));
    }

    [Theory]
    [InlineData("kafkajs-ü")]
    [InlineData("emoji-\U0001F600-group")] // a surrogate pair: two UTF-16 units, as Java hashes it
    [InlineData("a-rather-long-consumer-group-name-that-overflows-many-times")]
    public void Matches_the_definition_for_other_partition_counts(string groupId)
    {
        foreach (int partitions in new[] { 1, 3, 7, 50, 200 })
            Assert.Equal(KafkaPartition(groupId, partitions), GroupCoordinator.PartitionFor(groupId, partitions));
    }
}
