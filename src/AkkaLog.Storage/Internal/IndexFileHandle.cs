using System.Buffers;
using Microsoft.Win32.SafeHandles;

namespace AkkaLog.Storage.Internal;

/// <summary>
/// The file under an <see cref="OffsetIndex"/> or <see cref="TimeIndex"/>: entries live in memory and
/// are written behind, in order, by <see cref="WriteEntries"/> (on flush, roll and close). The file
/// therefore holds a prefix of the in-memory entries; after a crash the log rebuilds any index past
/// the recovery point, and the ones before it were written out by the flush that advanced it.
/// </summary>
internal sealed class IndexFileHandle : IDisposable
{
    private SafeFileHandle _handle;
    private long _length;

    private IndexFileHandle(string path, SafeFileHandle handle, long length)
    {
        Path = path;
        _handle = handle;
        _length = length;
    }

    public string Path { get; private set; }

    /// <summary>Bytes in the file.</summary>
    public long Length => _length;

    public static IndexFileHandle Open(string path, bool truncate)
    {
        var handle = File.OpenHandle(path, truncate ? FileMode.Create : FileMode.OpenOrCreate, FileAccess.ReadWrite,
            FileShare.ReadWrite | FileShare.Delete);
        return new IndexFileHandle(path, handle, RandomAccess.GetLength(handle));
    }

    /// <summary>Reads the whole file.</summary>
    public byte[] ReadAll()
    {
        var bytes = new byte[_length];
        int read = 0;
        while (read < bytes.Length)
        {
            int n = RandomAccess.Read(_handle, bytes.AsSpan(read), read);
            if (n == 0) break;
            read += n;
        }
        return read == bytes.Length ? bytes : bytes[..read];
    }

    /// <summary>Writes <paramref name="count"/> encoded entries from <paramref name="firstEntry"/> at its place in the file.</summary>
    public void WriteEntries<T>(T[] entries, int firstEntry, int count, int entrySize, SpanAction<byte, T> encode)
    {
        if (count <= 0) return;
        byte[] buffer = ArrayPool<byte>.Shared.Rent(count * entrySize);
        try
        {
            for (int i = 0; i < count; i++) encode(buffer.AsSpan(i * entrySize, entrySize), entries[firstEntry + i]);
            long at = (long)firstEntry * entrySize;
            RandomAccess.Write(_handle, buffer.AsSpan(0, count * entrySize), at);
            _length = Math.Max(_length, at + (long)count * entrySize);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    public void SetLength(long length)
    {
        RandomAccess.SetLength(_handle, length);
        _length = length;
    }

    public void Flush() => RandomAccess.FlushToDisk(_handle);

    public void Rename(string newPath)
    {
        File.Move(Path, newPath, overwrite: true);
        Path = newPath;
    }

    public void Delete()
    {
        _handle.Dispose();
        File.Delete(Path);
    }

    public void Dispose() => _handle.Dispose();
}
