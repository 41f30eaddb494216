using static AkkaLog.Storage.Tests.Batches;

namespace AkkaLog.Storage.Tests;

public sealed class RecoveryTests : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly ManualTimeProvider _time = new();

    public void Dispose() => _dir.Dispose();

    public enum Damage { TornLastBatch, FlippedByteMidLastSegment, IndexFilesDeleted, GarbageAfterLastBatch, ZerosAfterLastBatch }

    [Theory]
    [InlineData(Damage.TornLastBatch)]
    [InlineData(Damage.FlippedByteMidLastSegment)]
    [InlineData(Damage.IndexFilesDeleted)]
    [InlineData(Damage.GarbageAfterLastBatch)]
    [InlineData(Damage.ZerosAfterLastBatch)]
    public void Recovers_to_the_last_valid_batch(Damage damage)
    {
        var log = Open(_dir.Path, Small, _time);
        var stored = Enumerable.Range(0, 90).Select(i => Append(log, 1 + i % 3, _time.NowMs + i, valueSize: 120)).ToList();
        long recoveryPoint = stored[40].BaseOffset; // as if flushed only up to here
        var last = log.Segments[^1];
        string lastLog = Path.Combine(_dir.Path, last.BaseOffset.ToString("D20") + ".log");
        var inLast = stored.Where(b => b.BaseOffset >= last.BaseOffset).ToList();
        Assert.True(inLast.Count >= 3, "the last segment needs a few batches");
        int segmentCount = log.Segments.Count;
        log.Close();

        int firstLost; // index into stored of the first batch that must be gone
        switch (damage)
        {
            case Damage.TornLastBatch:
                using (var f = File.OpenWrite(lastLog)) f.SetLength(f.Length - stored[^1].Bytes.Length / 2);
                firstLost = stored.Count - 1;
                break;
            case Damage.FlippedByteMidLastSegment:
            {
                var victim = inLast[inLast.Count / 2];
                long position = inLast.TakeWhile(b => b != victim).Sum(b => (long)b.Bytes.Length);
                using var f = File.Open(lastLog, FileMode.Open);
                f.Position = position + 70; // inside the records, covered by the CRC
                int b = f.ReadByte();
                f.Position--;
                f.WriteByte((byte)(b ^ 0x5A));
                firstLost = stored.IndexOf(victim);
                break;
            }
            case Damage.IndexFilesDeleted:
                foreach (var f in Directory.GetFiles(_dir.Path, "*index")) File.Delete(f);
                firstLost = stored.Count;
                break;
            case Damage.GarbageAfterLastBatch:
            {
                var garbage = new byte[300];
                new Random(7).NextBytes(garbage);
                using var f = new FileStream(lastLog, FileMode.Append);
                f.Write(garbage);
                firstLost = stored.Count;
                break;
            }
            default:
                using (var f = new FileStream(lastLog, FileMode.Append)) f.Write(new byte[4096]);
                firstLost = stored.Count;
                break;
        }

        log = Open(_dir.Path, Small, _time, recoveryPoint, clean: false);
        var kept = stored.Take(firstLost).ToList();
        long expectedEnd = firstLost < stored.Count ? stored[firstLost].BaseOffset : stored[^1].LastOffset + 1;
        Assert.Equal(expectedEnd, log.LogEndOffset);
        Assert.Equal(expectedEnd, log.RecoveryPoint);
        Assert.Equal(segmentCount, log.Segments.Count);
        Assert.Equal(Concat(kept), ReadAll(log));
        foreach (var batch in kept.Where((_, i) => i % 7 == 0))
        {
            using var one = log.Read(batch.LastOffset, 1, long.MaxValue, true);
            Assert.Equal(batch.Bytes, one.Records.ToArray());
        }
        using (var past = log.Read(expectedEnd + 1, 1000, long.MaxValue, true))
            Assert.Equal(LogReadStatus.OffsetOutOfRange, past.Status);
        Assert.Equal(2, Directory.GetFiles(_dir.Path, "*index").Length / segmentCount);

        var next = Append(log, 2, _time.NowMs);
        Assert.Equal(expectedEnd, next.BaseOffset);
        Assert.Equal(Concat([.. kept, next]), ReadAll(log));
        log.Close();

        log = Open(_dir.Path, Small, _time, log.RecoveryPoint, clean: true);
        Assert.Equal(Concat([.. kept, next]), ReadAll(log));
        log.Close();
    }

    [Fact]
    public void Corruption_in_an_earlier_unflushed_segment_drops_the_later_segments()
    {
        var log = Open(_dir.Path, Small, _time);
        var stored = Enumerable.Range(0, 90).Select(_ => Append(log, 2, _time.NowMs, valueSize: 120)).ToList();
        var victimSegment = log.Segments[^3];
        var victim = stored.First(b => b.BaseOffset == victimSegment.BaseOffset);
        log.Close();
        string victimLog = Path.Combine(_dir.Path, victimSegment.BaseOffset.ToString("D20") + ".log");
        using (var f = File.Open(victimLog, FileMode.Open))
        {
            f.Position = 80;
            f.WriteByte(0xEE);
        }
        log = Open(_dir.Path, Small, _time, recoveryPoint: victimSegment.BaseOffset, clean: false);
        Assert.Equal(victim.BaseOffset, log.LogEndOffset);
        Assert.Equal(Concat(stored.TakeWhile(b => b != victim)), ReadAll(log));
        Assert.Equal(victimSegment.BaseOffset, log.Segments[^1].BaseOffset);
        Assert.Single(Directory.GetFiles(_dir.Path, "*.log"), f => string.CompareOrdinal(Path.GetFileName(f), Path.GetFileName(victimLog)) >= 0);
        log.Close();
    }

    [Fact]
    public void Stray_files_are_deleted_on_open()
    {
        var log = Open(_dir.Path, Small, _time);
        Append(log, 1, _time.NowMs);
        log.Close();
        foreach (var name in new[] { "00000000000000000000.log.deleted", "00000000000000000005.log.cleaned", "00000000000000000005.log.swap", "00000000000000000099.index" })
            File.WriteAllBytes(Path.Combine(_dir.Path, name), [1, 2, 3]);
        log = Open(_dir.Path, Small, _time, clean: false);
        Assert.Equal(["00000000000000000000.index", "00000000000000000000.log", "00000000000000000000.timeindex", "leader-epoch-checkpoint"],
            Directory.GetFiles(_dir.Path).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Equal(1, log.LogEndOffset);
        log.Close();
    }
}
