using Microsoft.Extensions.Logging.Abstractions;
using static AkkaLog.Storage.Tests.Batches;

namespace AkkaLog.Storage.Tests;

public sealed class LogManagerTests : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly ManualTimeProvider _time = new();

    public void Dispose() => _dir.Dispose();

    private LogManager OpenManager(params string[] dirs) =>
        LogManager.Open(dirs.Select(_dir.Sub).ToList(), Small, _time, NullLoggerFactory.Instance);

    [Fact]
    public void Checkpoint_file_round_trips_in_kafka_format()
    {
        string path = _dir.Sub("recovery-point-offset-checkpoint");
        var offsets = new Dictionary<TopicPartition, long> { [new("a-b-c", 0)] = 42, [new("orders", 11)] = 0 };
        CheckpointFile.WriteOffsets(path, offsets);
        Assert.Equal("0\n2\na-b-c 0 42\norders 11 0\n", File.ReadAllText(path));
        Assert.Equal(offsets, CheckpointFile.ReadOffsets(path));
        Assert.Empty(CheckpointFile.ReadOffsets(_dir.Sub("missing"))!);
        File.WriteAllText(path, "0\n3\na 0 1\n");
        Assert.Null(CheckpointFile.ReadOffsets(path));
        File.WriteAllText(path, "1\n0\n");
        Assert.Null(CheckpointFile.ReadOffsets(path));
    }

    [Fact]
    public void Directory_names_split_on_the_last_dash()
    {
        Assert.True(TopicPartition.TryParseDirectoryName("my-topic-name-12", out var tp));
        Assert.Equal(new TopicPartition("my-topic-name", 12), tp);
        Assert.Equal("my-topic-name-12", tp.DirectoryName);
        Assert.False(TopicPartition.TryParseDirectoryName("nodash", out _));
        Assert.False(TopicPartition.TryParseDirectoryName("topic-x", out _));
        Assert.False(TopicPartition.TryParseDirectoryName("topic-", out _));
    }

    [Fact]
    public void Clean_close_and_reopen_keeps_logs_checkpoints_and_marker()
    {
        var manager = OpenManager("d1", "d2");
        var stored = new Dictionary<TopicPartition, List<StoredBatch>>();
        for (int p = 0; p < 4; p++)
        {
            var tp = new TopicPartition("events-v2", p);
            var log = manager.GetOrCreateLog(tp, Small);
            stored[tp] = Enumerable.Range(0, 10 + p * 10).Select(_ => Append(log, 2, _time.NowMs, valueSize: 100)).ToList();
        }
        manager.GetLog(new("events-v2", 3))!.DeleteRecordsBefore(5);
        Assert.Equal(2, Directory.GetDirectories(_dir.Sub("d1")).Length);
        Assert.Equal(2, Directory.GetDirectories(_dir.Sub("d2")).Length);
        manager.Close();

        foreach (var d in new[] { "d1", "d2" })
        {
            Assert.True(File.Exists(Path.Combine(_dir.Sub(d), LogManager.CleanShutdownFile)));
            var points = CheckpointFile.ReadOffsets(Path.Combine(_dir.Sub(d), LogManager.RecoveryPointCheckpointFile))!;
            Assert.Equal(2, points.Count);
            foreach (var (tp, offset) in points) Assert.Equal(stored[tp][^1].LastOffset + 1, offset);
        }

        manager = OpenManager("d1", "d2");
        Assert.False(File.Exists(Path.Combine(_dir.Sub("d1"), LogManager.CleanShutdownFile)));
        Assert.Equal(4, manager.Logs.Count);
        foreach (var (tp, batches) in stored)
        {
            var log = manager.GetLog(tp)!;
            Assert.Equal(batches[^1].LastOffset + 1, log.LogEndOffset);
            Assert.Equal(Concat(batches.Where(b => b.LastOffset >= log.LogStartOffset)), ReadAll(log));
        }
        Assert.Equal(5, manager.GetLog(new("events-v2", 3))!.LogStartOffset);
        Assert.Equal(batchesEnd(stored[new("events-v2", 0)]), Append(manager.GetLog(new("events-v2", 0))!, 1, _time.NowMs).BaseOffset);
        manager.Close();

        static long batchesEnd(List<StoredBatch> b) => b[^1].LastOffset + 1;
    }

    [Fact]
    public void Unclean_start_recovers_from_the_checkpointed_recovery_point()
    {
        var manager = OpenManager("d1");
        var tp = new TopicPartition("t", 0);
        var log = manager.GetOrCreateLog(tp, Small);
        var stored = Enumerable.Range(0, 30).Select(_ => Append(log, 2, _time.NowMs, valueSize: 100)).ToList();
        manager.Close();
        File.Delete(Path.Combine(_dir.Sub("d1"), LogManager.CleanShutdownFile));
        string lastLog = Directory.GetFiles(Path.Combine(_dir.Sub("d1"), "t-0"), "*.log").Max()!;
        using (var f = File.OpenWrite(lastLog)) f.SetLength(f.Length - 10);

        manager = OpenManager("d1");
        log = manager.GetLog(tp)!;
        Assert.Equal(stored[^1].BaseOffset, log.LogEndOffset);
        Assert.Equal(Concat(stored.SkipLast(1)), ReadAll(log));
        manager.Close();
    }

    [Fact]
    public void DeleteLog_removes_the_directory_and_checkpoint_entries()
    {
        var manager = OpenManager("d1");
        var keep = manager.GetOrCreateLog(new("keep", 0), Small);
        var gone = manager.GetOrCreateLog(new("gone", 0), Small);
        Append(keep, 1, _time.NowMs);
        Append(gone, 1, _time.NowMs);
        Directory.CreateDirectory(Path.Combine(_dir.Sub("d1"), "old-1.0123456789abcdef0123456789abcdef-delete"));
        Assert.True(manager.DeleteLog(new("gone", 0)));
        Assert.False(manager.DeleteLog(new("gone", 0)));
        Assert.Null(manager.GetLog(new("gone", 0)));
        Assert.Equal(["keep-0", "old-1.0123456789abcdef0123456789abcdef-delete"],
            Directory.GetDirectories(_dir.Sub("d1")).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        var points = CheckpointFile.ReadOffsets(Path.Combine(_dir.Sub("d1"), LogManager.RecoveryPointCheckpointFile))!;
        Assert.Equal([new TopicPartition("keep", 0)], points.Keys);
        manager.Close();

        manager = OpenManager("d1");
        Assert.Equal(["keep-0"], Directory.GetDirectories(_dir.Sub("d1")).Select(Path.GetFileName));
        manager.Close();
    }
}
