using System.Buffers.Binary;
using AkkaLog.Storage.Internal;

namespace AkkaLog.Storage;

/// <summary>
/// The sparse offset index of one segment, Kafka's <c>.index</c> file: a sorted run of 8-byte
/// big-endian entries
/// <code>
///  0  relativeOffset  int32   last offset of an indexed batch, minus the segment's base offset
///  4  position        int32   file position of that batch in the segment's .log
/// </code>
/// one for the first batch after every <see cref="LogConfig.IndexIntervalBytes"/> bytes of log. A
/// lookup returns the greatest entry at or below the target (or the segment start), from where a
/// short scan of batch headers finds the batch. Unlike Kafka's mmap'd, preallocated file the entries
/// live in memory and are written behind (<see cref="WriteOut"/>, <see cref="Flush"/>), so the file
/// is always trimmed to its entries; the format is Kafka's.
/// Crash story: the file may lag the log or be missing; a log opened after an unclean shutdown
/// rebuilds the index of every segment past the recovery point, and <see cref="TryLoad"/> refuses a
/// file that fails the sanity check so that it is rebuilt too.
/// Threads: one writer (the log's owner); <see cref="Lookup"/> is safe from any thread.
/// </summary>
public sealed class OffsetIndex : IDisposable
{
    /// <summary>Bytes per entry.</summary>
    public const int EntrySize = 8;

    private readonly PublishedArray<long> _entries = new(); // relativeOffset << 32 | position
    private readonly IndexFileHandle _file;
    private int _written;

    private OffsetIndex(IndexFileHandle file, long baseOffset, int maxIndexSize)
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

    /// <summary>True when no more entries fit.</summary>
    public bool IsFull => _entries.Count >= MaxEntries;

    /// <summary>Path of the index file.</summary>
    public string FilePath => _file.Path;

    /// <summary>Creates an empty index, replacing any file at <paramref name="path"/>.</summary>
    public static OffsetIndex Create(string path, long baseOffset, int maxIndexSize) =>
        new(IndexFileHandle.Open(path, truncate: true), baseOffset, maxIndexSize);

    /// <summary>
    /// Loads an existing index; false (and nothing open) if the file is missing or fails Kafka's sanity
    /// check: whole entries, strictly increasing offsets, positions increasing and inside the log.
    /// </summary>
    public static bool TryLoad(string path, long baseOffset, int maxIndexSize, long logSize, out OffsetIndex? index)
    {
        index = null;
        if (!File.Exists(path)) return false;
        var file = IndexFileHandle.Open(path, truncate: false);
        var bytes = file.ReadAll();
        var loaded = new OffsetIndex(file, baseOffset, maxIndexSize);
        bool ok = bytes.Length % EntrySize == 0;
        long lastRelative = -1, lastPosition = -1;
        for (int at = 0; ok && at < bytes.Length; at += EntrySize)
        {
            int relative = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(at));
            int position = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(at + 4));
            ok = relative > lastRelative && position > lastPosition && position < logSize;
            lastRelative = relative;
            lastPosition = position;
            loaded._entries.Add(Pack(relative, position));
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

    /// <summary>The last entry, or (base offset, 0) when empty.</summary>
    public (long Offset, int Position) LastEntry
    {
        get
        {
            int count = _entries.Count;
            return count == 0 ? (BaseOffset, 0) : Unpack(_entries.Items[count - 1]);
        }
    }

    /// <summary>Adds an entry; <paramref name="offset"/> must exceed the last one's. Owner only.</summary>
    public void Append(long offset, int position)
    {
        long relative = offset - BaseOffset;
        if (relative < 0 || relative > int.MaxValue) throw new ArgumentOutOfRangeException(nameof(offset));
        int count = _entries.Count;
        if (count > 0 && Unpack(_entries.Last).Offset >= offset)
            throw new InvalidOperationException($"offset index entry {offset} is not after {Unpack(_entries.Last).Offset}");
        _entries.Add(Pack((int)relative, position));
    }

    /// <summary>
    /// The greatest entry whose offset is at or below <paramref name="targetOffset"/>, or (base offset, 0).
    /// Safe from any thread.
    /// </summary>
    public (long Offset, int Position) Lookup(long targetOffset)
    {
        int count = _entries.Count;
        long[] items = _entries.Items;
        long relative = targetOffset - BaseOffset;
        if (count == 0 || relative < 0) return (BaseOffset, 0);
        long key = relative > int.MaxValue ? long.MaxValue : Pack((int)relative, int.MaxValue);
        int lo = 0, hi = count - 1, found = -1;
        while (lo <= hi)
        {
            int mid = (lo + hi) >>> 1;
            if (items[mid] <= key) { found = mid; lo = mid + 1; }
            else hi = mid - 1;
        }
        return found < 0 ? (BaseOffset, 0) : Unpack(items[found]);
    }

    /// <summary>Removes every entry whose offset is at or above <paramref name="offset"/>. Owner only.</summary>
    public void TruncateTo(long offset)
    {
        int count = _entries.Count;
        long[] items = _entries.Items;
        int keep = count;
        while (keep > 0 && Unpack(items[keep - 1]).Offset >= offset) keep--;
        TruncateEntries(keep);
    }

    /// <summary>Drops every entry (before a rebuild). Owner only.</summary>
    public void Reset() => TruncateEntries(0);

    /// <summary>Writes entries not yet in the file, without fsync.</summary>
    public void WriteOut()
    {
        int count = _entries.Count;
        _file.WriteEntries(_entries.Items, _written, count - _written, EntrySize,
            static (span, entry) => BinaryPrimitives.WriteInt64BigEndian(span, entry));
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

    // Packed relative offset first so that packed entries sort by offset.
    private static long Pack(int relativeOffset, int position) => ((long)relativeOffset << 32) | (uint)position;

    private (long Offset, int Position) Unpack(long entry) => (BaseOffset + (entry >> 32), (int)entry);
}
