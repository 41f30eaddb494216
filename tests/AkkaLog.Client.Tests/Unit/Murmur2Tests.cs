using AkkaLog.Protocol.Partitioning;
using System.Text;
using AkkaLog.Client.Internal.Producer;

namespace AkkaLog.Client.Tests.Unit;

/// <summary>Vectors from the Java client (Utils.murmur2, as signed ints) and its partition choice.</summary>
public sealed class Murmur2Tests
{
    [Theory]
    [InlineData("kafka", unchecked((int)0xd067cf64))]
    [InlineData("giberish123456789", unchecked((int)0x8f552b0c))]
    [InlineData("1234", unchecked((int)0x9fc97b14))]
    [InlineData("", unchecked((int)0x106e08d9))]
    public void Hash_matches_java(string input, int expected) =>
        Assert.Equal(expected, (int)Murmur2.Hash(Encoding.UTF8.GetBytes(input)));

    [Theory]
    [InlineData("kafka", 1)]
    [InlineData("key1", 2)]
    [InlineData("hello", 0)]
    public void Keyed_partition_matches_java_with_three_partitions(string key, int expected) =>
        Assert.Equal(expected, Murmur2.Partition(Encoding.UTF8.GetBytes(key), 3));
}
