using AkkaLog.Protocol.Partitioning;
using System.Text;
using AkkaLog.IntegrationTests.Infrastructure;

namespace AkkaLog.IntegrationTests.Tests;

/// <summary>The test-side murmur2 matches the Java/librdkafka vectors (PROTOCOL-NOTES §5), so partition checks can trust it.</summary>
public sealed class Murmur2Tests
{
    [Theory]
    [InlineData("kafka", 0xd067cf64u)]
    [InlineData("giberish123456789", 0x8f552b0cu)]
    [InlineData("1234", 0x9fc97b14u)]
    [InlineData("", 0x106e08d9u)]
    public void Hash_matches_java_vectors(string key, uint expected) =>
        Assert.Equal(expected, Murmur2.Hash(Encoding.UTF8.GetBytes(key)));

    [Theory]
    [InlineData("kafka", 1)]
    [InlineData("key1", 2)]
    [InlineData("hello", 0)]
    public void Partition_over_three_matches_java(string key, int expected) =>
        Assert.Equal(expected, Murmur2.Partition(Encoding.UTF8.GetBytes(key), 3));
}
