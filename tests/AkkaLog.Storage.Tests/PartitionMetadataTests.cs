using Microsoft.Extensions.Logging.Abstractions;
using static AkkaLog.Storage.Tests.Batches;

namespace AkkaLog.Storage.Tests;

/// <summary>
/// <c>partition.metadata</c>: Kafka's format, and the topic id check when a log is opened for a topic,
/// which keeps a directory of a deleted-and-recreated topic from being served as the new topic's data.
/// </summary>
public sealed class PartitionMetadataTests : IDisposable
{
    private static readonly TopicPartition T0 = new("t", 0);
    private readonly TempDir _dir = new();
    private readonly ManualTimeProvider _time = new();

    public void Dispose() => _dir.Dispose();

    private LogManager OpenManager() => LogManager.Open([_dir.Sub("d1")], Small, _time, NullLoggerFactory.Instance);

    private string PartitionDir => Path.Combine(_dir.Sub("d1"), "t-0");

    [Fact]
    public void The_file_is_kafkas_format_and_round_trips()
    {
        var id = Guid.Parse("b58f82b3-77c3-4175-aade-622480e529e8");
        Directory.CreateDirectory(_dir.Sub("p"));
        PartitionMetadataFile.Write(_dir.Sub("p"), id);
        // Kafka's Uuid.toString of the same 16 bytes (URL-safe base64, no padding).
        Assert.Equal("version: 0\ntopic_id: tY-Cs3fDQXWq3mIkgOUp6A\n", File.ReadAllText(Path.Combine(_dir.Sub("p"), PartitionMetadataFile.FileName)));
        Assert.Equal(PartitionMetadataFile.State.Present, PartitionMetadataFile.Read(_dir.Sub("p"), out var read, out _));
        Assert.Equal(id, read);
        Assert.Equal("-_______T_-__________w", PartitionMetadataFile.ToKafkaString(Guid.Parse("fbffffff-ffff-4fff-bfff-ffffffffffff")));
        Assert.Equal(PartitionMetadataFile.State.Missing, PartitionMetadataFile.Read(_dir.Sub("none"), out _, out _));
    }

    [Theory]
    [InlineData("version: 0\ntopic_id: short\n")]
    [InlineData("version: 1\ntopic_id: tY-Cs3fDQXWq3mIkgOUp6A\n")]
    [InlineData("version: 0\n")]
    [InlineData("garbage")]
    public void A_file_that_cannot_be_read_says_so(string text)
    {
        Directory.CreateDirectory(_dir.Sub("p"));
        File.WriteAllText(Path.Combine(_dir.Sub("p"), PartitionMetadataFile.FileName), text);
        Assert.Equal(PartitionMetadataFile.State.Corrupt, PartitionMetadataFile.Read(_dir.Sub("p"), out _, out var problem));
        Assert.False(string.IsNullOrEmpty(problem));
    }

    [Fact]
    public void A_log_of_the_same_topic_is_reopened_with_its_data()
    {
        var id = Guid.NewGuid();
        var manager = OpenManager();
        var stored = Append(manager.GetOrCreateLog(T0, Small, id), 3, _time.NowMs);
        manager.Close();

        manager = OpenManager();
        var log = manager.GetOrCreateLog(T0, Small, id);
        Assert.Equal(stored.LastOffset + 1, log.LogEndOffset);
        Assert.Equal(stored.Bytes, ReadAll(log));
        manager.Close();
    }

    [Fact]
    public void A_log_left_by_an_earlier_topic_of_the_same_name_is_deleted_and_starts_empty()
    {
        var oldId = Guid.NewGuid();
        var manager = OpenManager();
        Append(manager.GetOrCreateLog(T0, Small, oldId), 3, _time.NowMs);
        manager.Close();

        // The topic was deleted and recreated (new id) while this broker was down.
        var newId = Guid.NewGuid();
        manager = OpenManager();
        var log = manager.GetOrCreateLog(T0, Small, newId);
        Assert.Equal(0, log.LogEndOffset);
        Assert.Empty(ReadAll(log));
        Assert.Equal(PartitionMetadataFile.State.Present, PartitionMetadataFile.Read(PartitionDir, out var written, out _));
        Assert.Equal(newId, written);
        Assert.Equal(["t-0"], Directory.GetDirectories(_dir.Sub("d1")).Select(Path.GetFileName));
        manager.Close();

        // And it stays the new topic's log.
        manager = OpenManager();
        Assert.Equal(0, manager.GetOrCreateLog(T0, Small, newId).LogEndOffset);
        manager.Close();
    }

    [Fact]
    public void A_directory_without_the_file_gets_it_and_keeps_its_data()
    {
        var manager = OpenManager();
        var stored = Append(manager.GetOrCreateLog(T0, Small), 2, _time.NowMs); // written before topic ids were recorded
        manager.Close();
        Assert.False(File.Exists(Path.Combine(PartitionDir, PartitionMetadataFile.FileName)));

        var id = Guid.NewGuid();
        manager = OpenManager();
        var log = manager.GetOrCreateLog(T0, Small, id);
        Assert.Equal(stored.LastOffset + 1, log.LogEndOffset);
        Assert.Equal(PartitionMetadataFile.State.Present, PartitionMetadataFile.Read(PartitionDir, out var written, out _));
        Assert.Equal(id, written);
        manager.Close();
    }

    [Fact]
    public void A_directory_whose_file_cannot_be_read_is_moved_aside_not_served()
    {
        var id = Guid.NewGuid();
        var manager = OpenManager();
        Append(manager.GetOrCreateLog(T0, Small, id), 2, _time.NowMs);
        manager.Close();
        File.WriteAllText(Path.Combine(PartitionDir, PartitionMetadataFile.FileName), "version: 0\ntopic_id: ???\n");

        manager = OpenManager();
        var log = manager.GetOrCreateLog(T0, Small, id);
        Assert.Equal(0, log.LogEndOffset);
        var aside = Assert.Single(Directory.GetDirectories(_dir.Sub("d1")), d => d.EndsWith("-stray", StringComparison.Ordinal));
        Assert.NotEmpty(Directory.GetFiles(aside, "*.log"));
        manager.Close();

        // Kept, but never loaded as a log again.
        manager = OpenManager();
        Assert.Equal([T0], manager.Logs.Select(l => l.TopicPartition));
        manager.Close();
    }
}
