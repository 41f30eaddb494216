using System.Text;
using AkkaLog.Client.Internal.Producer;

namespace AkkaLog.Client.Tests.Unit;

public sealed class PartitionerTests
{
    [Fact]
    public void Null_keys_stick_to_one_partition_until_a_batch_worth_then_move()
    {
        var topic = TestMetadata.Topic("t", 4);
        var partitioner = new DefaultPartitioner(Partitioner.Murmur2, stickyBatchSize: 1000);
        // 100-byte records: ten fill the sticky batch, the eleventh moves on.
        var picks = Enumerable.Range(0, 40).Select(_ => partitioner.Partition(topic, default, keyIsNull: true, recordBytes: 100)).ToList();
        for (int run = 0; run < 4; run++)
        {
            var chunk = picks.Skip(run * 10).Take(10).ToList();
            Assert.Single(chunk.Distinct());
            if (run > 0) Assert.NotEqual(picks[run * 10 - 1], chunk[0]);
        }
    }

    [Fact]
    public void Sticky_partitioning_skips_partitions_without_a_leader()
    {
        var topic = TestMetadata.Topic("t", 4, leaderless: [0, 1, 3]);
        var partitioner = new DefaultPartitioner(Partitioner.Murmur2, stickyBatchSize: 100);
        Assert.All(Enumerable.Range(0, 50), _ => Assert.Equal(2, partitioner.Partition(topic, default, true, 60)));
    }

    [Fact]
    public void Keyed_records_use_murmur2_over_all_partitions_even_leaderless_ones()
    {
        var topic = TestMetadata.Topic("t", 3, leaderless: [1]);
        foreach (var mode in new[] { Partitioner.Murmur2, Partitioner.Murmur2Random })
        {
            var partitioner = new DefaultPartitioner(mode, 1000);
            Assert.Equal(1, partitioner.Partition(topic, Encoding.UTF8.GetBytes("kafka"), false, 10));
            Assert.Equal(2, partitioner.Partition(topic, Encoding.UTF8.GetBytes("key1"), false, 10));
            Assert.Equal(0, partitioner.Partition(topic, Encoding.UTF8.GetBytes("hello"), false, 10));
        }
    }

    [Fact]
    public void Murmur2_random_spreads_null_keys_per_record()
    {
        var topic = TestMetadata.Topic("t", 4);
        var partitioner = new DefaultPartitioner(Partitioner.Murmur2Random, 1_000_000);
        var picks = Enumerable.Range(0, 400).Select(_ => partitioner.Partition(topic, default, true, 10)).ToHashSet();
        Assert.Equal(4, picks.Count);
    }
}
