using System.Text;
using AkkaLog.Protocol.Records;
using AkkaLog.Storage.Cleaner;
using static AkkaLog.Storage.Tests.Cleaner.Compacted;

namespace AkkaLog.Storage.Tests.Cleaner;

public sealed class OffsetMapTests
{
    [Fact]
    public void Keeps_the_latest_offset_per_key_within_its_memory_bound()
    {
        var map = new OffsetMap(memoryBytes: 24 * 1000, loadFactor: 0.9);
        Assert.Equal((1000, 900), (map.Capacity, map.MaxEntries));
        for (int round = 0; round < 3; round++)
            for (int key = 0; key < 900; key++) map.Put(Encoding.UTF8.GetBytes($"key-{key}"), round * 1000 + key);

        Assert.Equal(900, map.Count);
        Assert.False(map.HasRoomFor(1));
        Assert.Equal(2899, map.LatestOffset);
        for (int key = 0; key < 900; key++) Assert.Equal(2000 + key, map.Get(Encoding.UTF8.GetBytes($"key-{key}")));
        Assert.Equal(-1, map.Get("absent"u8));
        Assert.Equal(-1, map.Get([]));
        map.Put([], 5); // an empty key is a key
        Assert.Equal(5, map.Get([]));

        map.Clear();
        Assert.Equal((0, -1L), (map.Count, map.LatestOffset));
        Assert.Equal(-1, map.Get("key-1"u8));
        Assert.True(map.HasRoomFor(900));
    }

    [Fact]
    public void Put_and_get_allocate_nothing()
    {
        var map = new OffsetMap(24 * 4096, 0.9);
        var keys = Enumerable.Range(0, 3000).Select(i => Encoding.UTF8.GetBytes($"user-{i:D8}")).ToArray();
        for (int i = 0; i < keys.Length; i++) map.Put(keys[i], i); // warm up
        map.Clear();

        long before = GC.GetAllocatedBytesForCurrentThread();
        long sum = 0;
        for (int i = 0; i < keys.Length; i++) map.Put(keys[i], i);
        for (int i = 0; i < keys.Length; i++) sum += map.Get(keys[i]);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal((long)keys.Length * (keys.Length - 1) / 2, sum);
        Assert.Equal(0, allocated);
    }

    [Fact]
    public void Filtering_an_uncompressed_batch_allocates_nothing_per_record()
    {
        var map = new OffsetMap(24 * 4096, 0.9);
        var records = Enumerable.Range(0, 2000).Select(i => ((string?)$"k{i % 500}", (string?)$"value-{i}")).ToList();
        var batch = Batch(records, 1_700_000_000_000);
        var header = RecordBatchHeader.Read(batch);
        for (int i = 0; i < records.Count; i++) map.Put(Encoding.UTF8.GetBytes(records[i].Item1!), i);
        using var filter = new BatchFilter();
        using var output = new PooledBufferWriter(batch.Length * 2);
        filter.Filter(batch, header, new RetentionRule(map, long.MaxValue, 0, false), output); // warm up

        output.Reset();
        long before = GC.GetAllocatedBytesForCurrentThread();
        filter.Filter(batch, header, new RetentionRule(map, long.MaxValue, 0, false), output);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
        var kept = Decode(output.WrittenSpan);
        Assert.Equal(500, kept.Count);
        Assert.Equal(Enumerable.Range(1500, 500).Select(i => (long)i), kept.Select(r => r.Offset));
    }

    [Fact]
    public void Segment_groups_stay_within_segment_and_index_sizes()
    {
        var dir = new TempDir();
        try
        {
            var time = new ManualTimeProvider();
            var log = Batches.Open(dir.Path, Compacted.Config with { SegmentBytes = 1000 }, time);
            for (int i = 0; i < 12; i++)
            {
                Append(log, [($"k{i}", new string('x', 100 + 50 * (i % 4)))], time.NowMs);
                log.Roll();
            }
            var segments = log.SegmentArray;

            var groups = SegmentGroups.BySize(segments, segments.Length - 1, maxSize: 500, maxIndexSize: 1024);

            Assert.Equal(segments[..^1], groups.SelectMany(g => g));
            Assert.All(groups, g => Assert.True(g.Length == 1 || g.Sum(s => s.Size) <= 500, $"group of {g.Sum(s => s.Size)} bytes"));
            Assert.True(groups.Count < segments.Length - 1 && groups.Count > 1, $"{groups.Count} groups");
            Assert.Throws<ArgumentOutOfRangeException>(() => SegmentGroups.BySize(segments, segments.Length, 500, 1024));
            log.Close();
        }
        finally
        {
            dir.Dispose();
        }
    }
}
