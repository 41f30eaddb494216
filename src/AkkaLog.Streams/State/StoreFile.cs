using System.Buffers.Binary;
using AkkaLog.Protocol.Records;

namespace AkkaLog.Streams.Internal;

/// <summary>
/// The local, durable part of a persistent store, written by us (no RocksDB package is available):
/// an append-only file of entries, each <c>[crc32c: uint32][key length: int32][value length: int32, -1 = delete][key][value]</c>
/// with the CRC over everything after it. Reading stops at the first torn or corrupt entry and cuts the
/// file there (a crash mid-append). Data is durable after <see cref="Flush"/>; <see cref="Rewrite"/>
/// compacts it to the live entries through a temporary file and a rename. One thread at a time.
/// </summary>
internal sealed class StoreFile : IDisposable
{
    private const int HeaderSize = 12;
    private readonly string _path;
    private FileStream _stream;
    private byte[] _buffer = new byte[4096];

    public StoreFile(string path)
    {
        _path = path;
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        _stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read, 1 << 16);
    }

    /// <summary>Bytes in the file.</summary>
    public long Length => _stream.Length;

    /// <summary>Reads every intact entry in order (value null: delete), truncating a bad tail; returns how many were read.</summary>
    public long ReadAll(Action<byte[], byte[]?> apply)
    {
        _stream.Position = 0;
        long good = 0, count = 0;
        Span<byte> header = stackalloc byte[HeaderSize];
        while (true)
        {
            if (_stream.Read(header) < HeaderSize) break;
            uint crc = BinaryPrimitives.ReadUInt32BigEndian(header);
            int keyLength = BinaryPrimitives.ReadInt32BigEndian(header[4..]);
            int valueLength = BinaryPrimitives.ReadInt32BigEndian(header[8..]);
            if (keyLength < 0 || valueLength < -1 || (long)keyLength + Math.Max(valueLength, 0) > _stream.Length - _stream.Position) break;
            var key = new byte[keyLength];
            var value = valueLength < 0 ? null : new byte[valueLength];
            _stream.ReadExactly(key);
            if (value is not null) _stream.ReadExactly(value);
            uint actual = Crc32C.Update(~0u, header[4..]);
            actual = Crc32C.Update(actual, key);
            if (value is not null) actual = Crc32C.Update(actual, value);
            if (~actual != crc) break;
            apply(key, value);
            good = _stream.Position;
            count++;
        }
        if (good < _stream.Length) _stream.SetLength(good);
        _stream.Position = good;
        return count;
    }

    /// <summary>Appends one entry (buffered until <see cref="Flush"/>).</summary>
    public void Append(ReadOnlySpan<byte> key, byte[]? value)
    {
        int size = HeaderSize + key.Length + (value?.Length ?? 0);
        if (_buffer.Length < size) _buffer = new byte[Math.Max(size, _buffer.Length * 2)];
        var span = _buffer.AsSpan(0, size);
        BinaryPrimitives.WriteInt32BigEndian(span[4..], key.Length);
        BinaryPrimitives.WriteInt32BigEndian(span[8..], value?.Length ?? -1);
        key.CopyTo(span[HeaderSize..]);
        value?.CopyTo(span[(HeaderSize + key.Length)..]);
        BinaryPrimitives.WriteUInt32BigEndian(span, Crc32C.Compute(span[4..]));
        _stream.Write(span);
    }

    /// <summary>Writes buffered entries through to the disk.</summary>
    public void Flush() => _stream.Flush(flushToDisk: true);

    /// <summary>Empties the file (a full restore from the changelog follows).</summary>
    public void Clear()
    {
        _stream.SetLength(0);
        _stream.Position = 0;
    }

    /// <summary>Replaces the file with exactly <paramref name="entries"/> (compaction), atomically via rename.</summary>
    public void Rewrite(IEnumerable<(byte[] Key, byte[] Value)> entries)
    {
        string temp = _path + ".compact";
        using (var file = new StoreFile(temp))
        {
            file.Clear();
            foreach (var (key, value) in entries) file.Append(key, value);
            file.Flush();
        }
        _stream.Dispose();
        File.Move(temp, _path, overwrite: true);
        _stream = new FileStream(_path, FileMode.Open, FileAccess.ReadWrite, FileShare.Read, 1 << 16);
        _stream.Position = _stream.Length;
    }

    public void Dispose() => _stream.Dispose();
}
