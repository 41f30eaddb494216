using System.Buffers.Binary;
using System.Security.Cryptography;

namespace AkkaLog.Storage.Cleaner;

/// <summary>
/// Kafka's <c>SkimpyOffsetMap</c>: key hash to the latest offset seen for it, in one preallocated array of
/// 24-byte slots (16-byte hash, 8-byte offset + 1 so that 0 marks an empty slot), open addressing, no
/// per-entry objects and no allocation per <see cref="Put"/> or <see cref="Get"/>.
/// <para>
/// Keys are hashed with MD5, as Kafka does: a fast, well-spread 128-bit digest available in the box (no
/// cryptographic strength is needed). The map stores only digests, so two keys with the same digest would
/// look like one key and the older's latest record could be dropped; for 128 bits the chance across even a
/// billion keys is about 10^-21, far below the chance of undetected disk corruption, which is why Kafka
/// accepts it and so do we.
/// </para>
/// <para>
/// Probing: four positions derived from the digest's two halves (double hashing), then linear from the
/// last, so a lookup always ends and clusters stay short up to the load factor. Not thread-safe.
/// </para>
/// </summary>
internal sealed class OffsetMap
{
    /// <summary>Bytes per slot.</summary>
    public const int BytesPerEntry = 24;
    private const int HashedProbes = 4;

    private readonly long[] _slots; // 3 longs per slot: hash high, hash low, offset + 1 (0 = empty)
    private readonly int _capacity;

    /// <summary>A map using at most <paramref name="memoryBytes"/>, filled to at most <paramref name="loadFactor"/>.</summary>
    public OffsetMap(long memoryBytes, double loadFactor)
    {
        if (!(loadFactor > 0 && loadFactor <= 1)) throw new ArgumentOutOfRangeException(nameof(loadFactor), loadFactor, "must be in (0, 1]");
        long slots = Math.Min(memoryBytes / BytesPerEntry, Array.MaxLength / 3);
        if (slots < 2) throw new ArgumentOutOfRangeException(nameof(memoryBytes), memoryBytes, "too small for an offset map");
        _capacity = (int)slots;
        _slots = new long[_capacity * 3L];
        MaxEntries = Math.Max(1, (int)(_capacity * loadFactor));
    }

    /// <summary>Slots in the map.</summary>
    public int Capacity => _capacity;

    /// <summary>Entries the map takes before it counts as full.</summary>
    public int MaxEntries { get; }

    /// <summary>Distinct key hashes held.</summary>
    public int Count { get; private set; }

    /// <summary>Largest offset put since the last <see cref="Clear"/>, or -1.</summary>
    public long LatestOffset { get; private set; } = -1;

    /// <summary>Room for <paramref name="entries"/> more distinct keys without passing the load factor.</summary>
    public bool HasRoomFor(int entries) => Count + (long)entries <= MaxEntries;

    /// <summary>Empties the map (one memset; nothing when it is already empty).</summary>
    public void Clear()
    {
        if (Count > 0) Array.Clear(_slots);
        Count = 0;
        LatestOffset = -1;
    }

    /// <summary>Records <paramref name="offset"/> as the latest for <paramref name="key"/> (offsets only grow in a pass).</summary>
    public void Put(ReadOnlySpan<byte> key, long offset)
    {
        Hash(key, out long high, out long low);
        int slot = Find(high, low);
        int at = slot * 3;
        if (_slots[at + 2] == 0)
        {
            if (Count >= _capacity - 1) throw new InvalidOperationException("offset map is full");
            _slots[at] = high;
            _slots[at + 1] = low;
            Count++;
        }
        _slots[at + 2] = offset + 1;
        if (offset > LatestOffset) LatestOffset = offset;
    }

    /// <summary>The latest offset recorded for <paramref name="key"/>, or -1 if none.</summary>
    public long Get(ReadOnlySpan<byte> key)
    {
        Hash(key, out long high, out long low);
        return _slots[Find(high, low) * 3 + 2] - 1;
    }

    // The slot holding the hash, or the empty slot where it would go.
    private int Find(long high, long low)
    {
        ulong step = ((ulong)low % (ulong)(_capacity - 1)) + 1;
        ulong position = (ulong)high % (ulong)_capacity;
        for (int probe = 0; ; probe++)
        {
            int at = (int)position * 3;
            long stored = _slots[at + 2];
            if (stored == 0 || (_slots[at] == high && _slots[at + 1] == low)) return (int)position;
            position = probe < HashedProbes ? (position + step) % (ulong)_capacity : (position + 1) % (ulong)_capacity;
        }
    }

    private static void Hash(ReadOnlySpan<byte> key, out long high, out long low)
    {
        Span<byte> digest = stackalloc byte[16];
        MD5.HashData(key, digest);
        high = BinaryPrimitives.ReadInt64LittleEndian(digest);
        low = BinaryPrimitives.ReadInt64LittleEndian(digest[8..]);
    }
}
