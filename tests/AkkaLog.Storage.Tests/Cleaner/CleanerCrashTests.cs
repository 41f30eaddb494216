using AkkaLog.Storage.Cleaner;
using Microsoft.Extensions.Logging.Abstractions;
using static AkkaLog.Storage.Tests.Cleaner.Compacted;

namespace AkkaLog.Storage.Tests.Cleaner;

/// <summary>
/// A crash at each on-disk step of a clean, simulated by copying the partition directory at that instant
/// (what a killed process leaves), then opening the copy as after an unclean shutdown.
/// </summary>
public sealed class CleanerCrashTests : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly ManualTimeProvider _time = new();

    public void Dispose() => _dir.Dispose();

    private string LogPath => _dir.Sub(Batches.Tp.DirectoryName);

    // One group of many segments, old files lingering as .deleted, so every step leaves distinct files.
    private static LogConfig Config => Compacted.Config with { SegmentBytes = 64 * 1024, FileDeleteDelayMs = 60_000 };

    private (PartitionLog Log, List<KeyedRecord> Before) Populate()
    {
        var log = Batches.Open(LogPath, Config, _time);
        for (int round = 0; round < 12; round++)
        {
            AppendUpdates(log, keys: 8, rounds: 1, _time.NowMs, perBatch: 3, firstRound: round);
            Append(log, [(null, "no key"), ($"only-{round}", "once")], _time.NowMs);
            log.Roll();
        }
        AppendUpdates(log, keys: 8, rounds: 1, _time.NowMs, firstRound: 12); // in the active segment
        return (log, ReadRecords(log));
    }

    private PartitionLog OpenCopy(string directory) =>
        PartitionLog.Open(directory, Batches.Tp, Config, _time, NullLogger.Instance, recoveryPoint: 0, hadCleanShutdown: false);

    [Theory]
    [InlineData((int)CleanerStage.CleanedFilesWritten)]
    [InlineData((int)CleanerStage.SwapFilesWritten)]
    [InlineData((int)CleanerStage.ReplacedSegmentsRemoved)]
    public void A_crash_at_any_step_loses_no_record_and_serves_no_offset_twice(int step)
    {
        var crashAt = (CleanerStage)step;
        var (log, before) = Populate();
        string crashImage = _dir.Sub("crash-" + Batches.Tp.DirectoryName);
        var seen = new List<string>();
        using var cleaner = NewCleaner(_time);
        cleaner.OnStage = (stage, _) =>
        {
            if (stage == crashAt && !Directory.Exists(crashImage)) CopyDirectory(LogPath, crashImage, seen);
        };
        Assert.Equal(CleanerPassOutcome.Cleaned, cleaner.CleanOnce([log])!.Outcome);
        var after = ReadRecords(log);
        log.Close();

        // The image holds the state the step is about.
        string expectedSuffix = crashAt switch
        {
            CleanerStage.CleanedFilesWritten => ".log.cleaned",
            _ => ".log.swap",
        };
        Assert.Contains(seen, name => name.EndsWith(expectedSuffix, StringComparison.Ordinal));
        Assert.Equal(crashAt == CleanerStage.ReplacedSegmentsRemoved, seen.Any(name => name.EndsWith(".log.deleted", StringComparison.Ordinal)));
        Assert.Equal(crashAt != CleanerStage.ReplacedSegmentsRemoved, seen.Contains("00000000000000000000.log"));

        var recovered = OpenCopy(crashImage);
        var records = ReadRecords(recovered);
        AssertStrictlyIncreasing(records);
        Assert.All(records, r => Assert.Contains(r, before)); // nothing invented, offsets kept
        Assert.All(after, r => Assert.Contains(r, records));  // nothing the clean kept is lost
        Assert.Equal(LatestByKey(before), LatestByKey(records));
        Assert.Equal(crashAt == CleanerStage.CleanedFilesWritten ? before : after, records);
        Assert.Equal(log.LogEndOffset, recovered.LogEndOffset);
        Assert.DoesNotContain(Directory.GetFiles(crashImage), f => f.EndsWith(".cleaned", StringComparison.Ordinal)
            || f.EndsWith(".swap", StringComparison.Ordinal) || f.EndsWith(".deleted", StringComparison.Ordinal));
        recovered.Close();
    }

    [Fact]
    public void A_normal_clean_leaves_only_final_names_and_reopens_the_same()
    {
        var (log, before) = Populate();
        using var cleaner = NewCleaner(_time);
        cleaner.CleanOnce([log]);
        var after = ReadRecords(log);
        Assert.True(after.Count < before.Count);
        log.ApplyRetention(_time.NowMs + 120_000); // the delayed delete of the replaced files
        log.Close();
        Assert.All(Directory.GetFiles(LogPath), f => Assert.Matches(@"(\d{20}\.(log|index|timeindex)|leader-epoch-checkpoint)$", f));

        var reopened = OpenCopy(LogPath);
        Assert.Equal(after, ReadRecords(reopened));
        Assert.Equal(2, reopened.Segments.Count);
        reopened.Close();
    }

    [Fact]
    public void Leftover_cleaned_files_made_by_hand_are_deleted_and_the_log_is_untouched()
    {
        var (log, before) = Populate();
        log.Close();
        var first = Directory.GetFiles(LogPath, "00000000000000000000.*");
        foreach (var file in first) File.Copy(file, file + ".cleaned");
        File.WriteAllBytes(Path.Combine(LogPath, "00000000000000000007.log.cleaned"), [1, 2, 3]);

        var reopened = OpenCopy(LogPath);

        Assert.Empty(FilesEndingWith(LogPath, ".cleaned"));
        Assert.Equal(before, ReadRecords(reopened));
        reopened.Close();
    }

    [Fact]
    public void A_swap_made_by_hand_replaces_the_old_segments_it_covers()
    {
        // Build the cleaned form of the first three segments in another directory, then plant it as a .swap.
        var (log, before) = Populate();
        var segments = log.Segments.ToList();
        long coveredEnd = segments[3].BaseOffset;
        log.Close();
        string donorPath = _dir.Sub("donor-0");
        Directory.CreateDirectory(donorPath);
        foreach (var file in Directory.GetFiles(LogPath)) File.Copy(file, Path.Combine(donorPath, Path.GetFileName(file)));
        var donorConfig = Config with { SegmentBytes = (int)(segments[0].Size + segments[1].Size + segments[2].Size) };
        var donor = PartitionLog.Open(donorPath, new TopicPartition("donor", 0), donorConfig, _time, NullLogger.Instance, 0, true);
        donor.TruncateTo(coveredEnd); // so the map (and the clean) covers exactly segments 0..2
        donor.Roll();
        using (var cleaner = NewCleaner(_time)) Assert.Equal(CleanerPassOutcome.Cleaned, cleaner.CleanOnce([donor])!.Outcome);
        var cleanedPart = ReadRecords(donor);
        donor.Close();
        File.Copy(Path.Combine(donorPath, "00000000000000000000.log"), Path.Combine(LogPath, "00000000000000000000.log.swap"));

        var reopened = OpenCopy(LogPath);

        var records = ReadRecords(reopened);
        AssertStrictlyIncreasing(records);
        Assert.Equal(cleanedPart.Concat(before.Where(r => r.Offset >= coveredEnd)), records);
        Assert.Equal(segments.Count - 2, reopened.Segments.Count);
        Assert.Empty(FilesEndingWith(LogPath, ".swap"));
        Assert.False(File.Exists(Path.Combine(LogPath, segments[1].BaseOffset.ToString("D20") + ".log")));
        reopened.Close();
    }

    [Fact]
    public void Swap_index_files_left_after_the_log_was_renamed_take_their_names()
    {
        var (log, _) = Populate();
        NewCleaner(_time).CleanOnce([log]);
        var after = ReadRecords(log);
        log.Close();
        foreach (var suffix in new[] { ".index", ".timeindex" })
            File.Move(Path.Combine(LogPath, "00000000000000000000" + suffix), Path.Combine(LogPath, "00000000000000000000" + suffix + ".swap"));

        var reopened = PartitionLog.Open(LogPath, Batches.Tp, Config, _time, NullLogger.Instance, recoveryPoint: long.MaxValue, hadCleanShutdown: true);

        Assert.True(File.Exists(Path.Combine(LogPath, "00000000000000000000.index")));
        Assert.True(reopened.Segments[0].OffsetIndex.Count > 0, "the index came back rather than being rebuilt empty");
        Assert.Equal(after, ReadRecords(reopened));
        reopened.Close();
    }

    private static void CopyDirectory(string from, string to, List<string> names)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.GetFiles(from))
        {
            names.Add(Path.GetFileName(file));
            File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
        }
    }
}
