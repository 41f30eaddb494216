using System.Collections;

namespace AkkaLog.Hocon;

/// <summary>An ordered list of values; flattened to configuration keys <c>key:0</c>, <c>key:1</c>, ...</summary>
public sealed class HoconArray : HoconValue, IReadOnlyList<HoconValue>
{
    private readonly List<HoconValue> _items;

    /// <summary>Creates an array of <paramref name="items"/>.</summary>
    public HoconArray(IEnumerable<HoconValue> items, HoconSource source)
        : base(source)
    {
        _items = [.. items];
    }

    /// <inheritdoc />
    public int Count => _items.Count;

    /// <inheritdoc />
    public HoconValue this[int index] => _items[index];

    /// <inheritdoc />
    public IEnumerator<HoconValue> GetEnumerator() => _items.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>Replaces or (with null) removes items during substitution resolution.</summary>
    internal void ResolveItems(Func<HoconValue, HoconValue?> resolve)
    {
        var resolved = new List<HoconValue>(_items.Count);
        foreach (var item in _items)
        {
            if (resolve(item) is { } value)
            {
                resolved.Add(value);
            }
        }

        _items.Clear();
        _items.AddRange(resolved);
    }
}
