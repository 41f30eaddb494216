using System.Buffers.Binary;
using AkkaLog.Storage.Internal;

namespace AkkaLog.Storage;

/// <summary>
/// The time index of one segment, Kafka's <c>.timeindex</c> file: a run of 12-byte big-endian entries
/// <code>
///  0  timestamp       int64   largest timestamp in the segment up to this point
///  8  relativeOffset  int32   last offset of the batch that carried it, minus the base offset
/// </code>
/// appended beside an offset index entry, and once more when the segment stops being active, but
/// only when the largest timestamp has grown, so timestamps strictly increase. A lookup returns the
/// greatest entry at or below a timestamp; the offset index and a batch scan take it from there.
/// Entries live in memory and are written behind, like <see cref="OffsetIndex"/>, with the same
/// crash story (rebuilt past the recovery point or when the sanity check fails).
/// Threads: one writer (the log's owner); <see cref="Lookup"/> and <see cref="LastEntry"/> are safe
/// from any thread.
/// </summary>
public sealed class TimeIndex : IDisposable
{
    /// <summary>Bytes per entry.</summary>
    public const int EntrySize = 12;

    private readonly PublishedArray<Entry> _entries = new();
    private readonly IndexFileHandle _file;
    private int _written;

    private readonly record struct Entry(long Timestamp, int RelativeOffset);

    private TimeIndex(IndexFileHandle file, long baseOffset, int maxIndexSize)
    {
        _file = file;
        BaseOffset = baseOffset;
        MaxEntries = Math.Max(maxIndexSize / EntrySize, 1);
    }

    /// <summary>The segment's base offset; entries are relative to it.</summary>
    public long BaseOffset { get; }

    /// <summary>Entries the index may hold before the segment must roll.</summary>
    public int MaxEntries { get; }

    /// <summary>Entries held.</summary>
    public int Count => _entries.Count;

    /// <summary>True when no more entries fit (one slot is kept for the entry written on roll).</summary>
    public bool IsFull => _entries.Count >= MaxEntries - 1;

    /// <summary>Creates an empty index, replacing any file at <paramref name="path"/>.</summary>
    public static TimeIndex Create(string path, long baseOffset, int maxIndexSize) =>
        new(IndexFileHandle.Open(path, truncate: true), baseOffset, maxIndexSize);

    /// <summary>
    /// Loads an existing index; false (and nothing open) if the file is missing or fails the sanity check:
    /// whole entries, increasing timestamps, offsets not decreasing and inside the segment.
    /// </summary>
    public static bool TryLoad(string path, long baseOffset, int maxIndexSize, out TimeIndex? index)
    {
        index = null;
        if (!File.Exists(path)) return false;
        var file = IndexFileHandle.Open(path, truncate: false);
        var bytes = file.ReadAll();
        var loaded = new TimeIndex(file, baseOffset, maxIndexSize);
        bool ok = bytes.Length % EntrySize == 0;
        long lastTimestamp = long.MinValue;
        int lastRelative = 0;
        for (int at = 0; ok && at < bytes.Length; at += EntrySize)
        {
            long timestamp = BinaryPrimitives.ReadInt64BigEndian(bytes.AsSpan(at));
            int relative = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(at + 8));
            ok = timestamp > lastTimestamp && relative >= lastRelative;
            lastTimestamp = timestamp;
            lastRelative = relative;
            loaded._entries.Add(new Entry(timestamp, relative));
        }
        if (!ok)
        {
            file.Dispose();
            return false;
        }
        loaded._written = loaded._entries.Count;
        index = loaded;
        return true;
    }

    /// <summary>The last entry, or (-1, base offset) when empty.</summary>
    public (long Timestamp, long Offset) LastEntry
    {
        get
        {
            int count = _entries.Count;
            if (count == 0) return (-1, BaseOffset);
            var last = _entries.Items[count - 1];
            return (last.Timestamp, BaseOffset + last.RelativeOffset);
        }
    }

    /// <summary>Appends an entry if <paramref name="timestamp"/> is above the last one's. Owner only.</summary>
    public void MaybeAppend(long timestamp, long offset)
    {
        int count = _entries.Count;
        if (count > 0 && timestamp <= _entries.Last.Timestamp) return;
        long relative = offset - BaseOffset;
        if (relative < 0 || relative > int.MaxValue) throw new ArgumentOutOfRangeException(nameof(offset));
        _entries.Add(new Entry(timestamp, (int)relative));
    }

    /// <summary>The greatest entry whose timestamp is at or below the target, or (-1, base offset). Any thread.</summary>
    public (long Timestamp, long Offset) Lookup(long targetTimestamp)
    {
        int count = _entries.Count;
        Entry[] items = _entries.Items;
        int lo = 0, hi = count - 1, found = -1;
        while (lo <= hi)
        {
            int mid = (lo + hi) >>> 1;
            if (items[mid].Timestamp <= targetTimestamp) { found = mid; lo = mid + 1; }
            else hi = mid - 1;
        }
        return found < 0 ? (-1, BaseOffset) : (items[found].Timestamp, BaseOffset + items[found].RelativeOffset);
    }

    /// <summary>Removes every entry whose offset is at or above <paramref name="offset"/>. Owner only.</summary>
    public void TruncateTo(long offset)
    {
        int count = _entries.Count;
        Entry[] items = _entries.Items;
        int keep = count;
        while (keep > 0 && BaseOffset + items[keep - 1].RelativeOffset >= offset) keep--;
        TruncateEntries(keep);
    }

    /// <summary>Drops every entry (before a rebuild). Owner only.</summary>
    public void Reset() => TruncateEntries(0);

    /// <summary>Writes entries not yet in the file, without fsync.</summary>
    public void WriteOut()
    {
        int count = _entries.Count;
        _file.WriteEntries(_entries.Items, _written, count - _written, EntrySize, static (span, entry) =>
        {
            BinaryPrimitives.WriteInt64BigEndian(span, entry.Timestamp);
            BinaryPrimitives.WriteInt32BigEndian(span[8..], entry.RelativeOffset);
        });
        _written = count;
    }

    /// <summary>Writes pending entries and fsyncs the file.</summary>
    public void Flush()
    {
        WriteOut();
        _file.Flush();
    }

    /// <summary>Renames the file (to its <c>.deleted</c> name before deletion).</summary>
    public void Rename(string newPath) => _file.Rename(newPath);

    /// <summary>Closes and deletes the file.</summary>
    public void Delete() => _file.Delete();

    /// <inheritdoc />
    public void Dispose() => _file.Dispose();

    private void TruncateEntries(int keep)
    {
        _entries.Truncate(keep);
        if (_written > keep)
        {
            _file.SetLength((long)keep * EntrySize);
            _written = keep;
        }
    }
}
