using System.Globalization;
using AkkaLog.Storage.Internal;

namespace AkkaLog.Storage;

/// <summary>An epoch and the first offset its leader appended.</summary>
public readonly record struct EpochEntry(int Epoch, long StartOffset);

/// <summary>
/// The partition's leader epoch history, Kafka's <c>leader-epoch-checkpoint</c>: a
/// <see cref="CheckpointFile"/> whose entry lines are <c>epoch startOffset</c>, epochs and offsets both
/// increasing. A new entry is added when an append carries an epoch above the latest, and the file is
/// rewritten (atomically, fsynced) on every change; truncation of the log truncates the cache with it.
/// Crash story: the cache may run ahead of a log whose tail was lost, so opening a log truncates it to
/// the recovered end offset. Threads: the owner changes it; readers see an immutable snapshot.
/// </summary>
public sealed class LeaderEpochCache
{
    private readonly string _path;
    private volatile EpochEntry[] _entries;

    private LeaderEpochCache(string path, EpochEntry[] entries)
    {
        _path = path;
        _entries = entries;
    }

    /// <summary>All entries, oldest first. Any thread.</summary>
    public IReadOnlyList<EpochEntry> Entries => _entries;

    /// <summary>The latest epoch, or -1.</summary>
    public int LatestEpoch
    {
        get
        {
            var entries = _entries;
            return entries.Length == 0 ? -1 : entries[^1].Epoch;
        }
    }

    /// <summary>Loads the cache of the partition directory; a missing or corrupt file yields an empty cache.</summary>
    public static LeaderEpochCache Open(string directory)
    {
        string path = Path.Combine(directory, LogFileNames.LeaderEpochCheckpoint);
        var builder = new List<EpochEntry>();
        foreach (var line in CheckpointFile.Read(path) ?? [])
        {
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length == 2
                && int.TryParse(fields[0], NumberStyles.None, CultureInfo.InvariantCulture, out int epoch)
                && long.TryParse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture, out long start)
                && (builder.Count == 0 || (epoch > builder[^1].Epoch && start >= builder[^1].StartOffset)))
                builder.Add(new EpochEntry(epoch, start));
        }
        return new LeaderEpochCache(path, [.. builder]);
    }

    /// <summary>Records that <paramref name="epoch"/> starts at <paramref name="startOffset"/> if it is newer than the latest.</summary>
    public bool Assign(int epoch, long startOffset)
    {
        if (epoch < 0 || epoch <= LatestEpoch) return false;
        var entries = _entries;
        // An epoch that never appended anything is superseded by one starting at the same offset.
        int keep = entries.Length;
        while (keep > 0 && entries[keep - 1].StartOffset >= startOffset) keep--;
        Publish([.. entries.AsSpan(0, keep), new EpochEntry(epoch, startOffset)]);
        return true;
    }

    /// <summary>The epoch of the leader that appended <paramref name="offset"/>, or -1.</summary>
    public int EpochForOffset(long offset)
    {
        int epoch = -1;
        foreach (var entry in _entries)
        {
            if (entry.StartOffset > offset) break;
            epoch = entry.Epoch;
        }
        return epoch;
    }

    /// <summary>
    /// Kafka's OffsetsForLeaderEpoch answer: the largest epoch at or below <paramref name="epoch"/> and the
    /// start offset of the epoch after it (the log end offset for the latest); (-1, -1) if none.
    /// </summary>
    public (int Epoch, long EndOffset) EndOffsetFor(int epoch, long logEndOffset)
    {
        var entries = _entries;
        for (int i = entries.Length - 1; i >= 0; i--)
        {
            if (entries[i].Epoch > epoch) continue;
            return (entries[i].Epoch, i == entries.Length - 1 ? logEndOffset : entries[i + 1].StartOffset);
        }
        return (-1, -1);
    }

    /// <summary>Drops entries starting at or after <paramref name="endOffset"/> (the log was truncated there).</summary>
    public void TruncateFromEnd(long endOffset)
    {
        var entries = _entries;
        int keep = entries.Length;
        while (keep > 0 && entries[keep - 1].StartOffset >= endOffset) keep--;
        if (keep != entries.Length) Publish(entries[..keep]);
    }

    /// <summary>Drops entries wholly before <paramref name="startOffset"/>; the one spanning it now starts there.</summary>
    public void TruncateFromStart(long startOffset)
    {
        var entries = _entries;
        int firstKept = 0;
        while (firstKept + 1 < entries.Length && entries[firstKept + 1].StartOffset <= startOffset) firstKept++;
        if (entries.Length == 0 || entries[firstKept].StartOffset >= startOffset) return;
        var kept = entries[firstKept..];
        kept[0] = kept[0] with { StartOffset = startOffset };
        Publish(kept);
    }

    /// <summary>Deletes the checkpoint file and forgets every entry.</summary>
    public void Clear()
    {
        _entries = [];
        File.Delete(_path);
    }

    private void Publish(EpochEntry[] entries)
    {
        _entries = entries;
        CheckpointFile.Write(_path, entries.Select(e => string.Create(CultureInfo.InvariantCulture,
            $"{e.Epoch} {e.StartOffset}")).ToList());
    }
}
