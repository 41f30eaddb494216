using AkkaLog.TestSupport;

namespace AkkaLog.ClusterTests;

/// <summary>Reads a whole topic with kcat and checks acknowledged records against it.</summary>
public static class LogVerifier
{
    /// <summary>Every record of the topic per partition, offset → value, read with kcat.</summary>
    public static async Task<Dictionary<int, SortedDictionary<long, string>>> ReadAllAsync(string bootstrap, string topic)
    {
        var result = await Kcat.RunCheckedAsync(bootstrap, ["-C", "-t", topic, "-o", "beginning", "-e", "-q", "-f", "%p %o %s\\n"],
            timeout: TimeSpan.FromSeconds(90));
        var log = new Dictionary<int, SortedDictionary<long, string>>();
        foreach (var line in result.Lines)
        {
            var parts = line.Split(' ', 3);
            int p = int.Parse(parts[0]);
            long o = long.Parse(parts[1]);
            if (!log.TryGetValue(p, out var partition)) log[p] = partition = [];
            Assert.True(partition.TryAdd(o, parts[2]), $"offset {o} of partition {p} read twice");
        }
        return log;
    }

    /// <summary>
    /// Every acknowledged record is in the log at the partition and offset it was acknowledged with
    /// (so each offset holds exactly one record, the one acknowledged for it); offsets of each
    /// partition are dense (no holes) and records keep their send order. With
    /// <paramref name="allowRetryDuplicates"/>, a value may be stored twice in a row: a producer
    /// without idempotence retries a request whose acknowledgement was lost in the failover.
    /// </summary>
    public static void AssertAcknowledgedRecordsSurvive(Dictionary<int, SortedDictionary<long, string>> log,
        IEnumerable<(int Partition, long Offset, string Value)> acked, bool allowRetryDuplicates = true)
    {
        var missing = new List<string>();
        foreach (var (p, o, v) in acked)
        {
            if (!log.TryGetValue(p, out var partition) || !partition.TryGetValue(o, out var stored)) missing.Add($"{v}@{p}/{o} missing");
            else if (stored != v) missing.Add($"{v}@{p}/{o} is {stored}");
        }
        Assert.True(missing.Count == 0, $"{missing.Count} acknowledged records lost or moved: {string.Join(", ", missing.Take(20))}");
        var all = log.SelectMany(p => p.Value.Values).ToList();
        var dup = all.GroupBy(v => v).Where(g => g.Count() > 1).Select(g => g.Key).Take(10).ToList();
        if (!allowRetryDuplicates) Assert.True(dup.Count == 0, $"values stored twice: {string.Join(", ", dup)}");
        foreach (var (p, partition) in log)
        {
            long expected = partition.Keys.First();
            foreach (long o in partition.Keys)
            {
                Assert.True(o == expected, $"partition {p}: offset {o} follows {expected - 1} (a hole)");
                expected++;
            }
            // Within a partition, records keep their send order (a retried copy repeats earlier values;
            // first occurrences must still increase).
            var seen = new HashSet<int>();
            var sequence = partition.Values.Select(v => int.Parse(v[2..])).Where(seen.Add).ToList();
            for (int i = 1; i < sequence.Count; i++)
                Assert.True(sequence[i] > sequence[i - 1], $"partition {p}: {sequence[i]} stored after {sequence[i - 1]}");
        }
    }
}
