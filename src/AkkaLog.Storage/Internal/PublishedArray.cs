namespace AkkaLog.Storage.Internal;

/// <summary>
/// A growable array with one writer and any number of concurrent readers. The writer stores an
/// element, then publishes the new count; on growth the bigger array is published before the
/// count passes the old capacity, so a reader that reads <see cref="Count"/> first and then
/// <see cref="Items"/> always sees at least that many valid elements. Truncation is the one
/// operation a concurrent reader may observe late (it then reads entries about to vanish), which
/// only replication's truncate does and which Kafka tolerates the same way.
/// </summary>
internal sealed class PublishedArray<T> where T : struct
{
    private T[] _items;
    private int _count;

    public PublishedArray(int initialCapacity = 16) => _items = new T[Math.Max(initialCapacity, 4)];

    /// <summary>Published element count; read it before <see cref="Items"/>.</summary>
    public int Count => Volatile.Read(ref _count);

    /// <summary>The current backing array; valid up to a <see cref="Count"/> read before it.</summary>
    public T[] Items => Volatile.Read(ref _items);

    /// <summary>Writer only.</summary>
    public void Add(in T item)
    {
        int count = _count;
        if (count == _items.Length)
        {
            var bigger = new T[count * 2];
            Array.Copy(_items, bigger, count);
            Volatile.Write(ref _items, bigger);
        }
        _items[count] = item;
        Volatile.Write(ref _count, count + 1);
    }

    /// <summary>Writer only: keeps the first <paramref name="count"/> elements.</summary>
    public void Truncate(int count) => Volatile.Write(ref _count, Math.Min(count, _count));

    /// <summary>Writer only: the last element; <see cref="Count"/> must be positive.</summary>
    public ref readonly T Last => ref _items[_count - 1];
}
