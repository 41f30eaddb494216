using System.Collections;
using System.Diagnostics.CodeAnalysis;
using AkkaLog.Hocon.Internal;

namespace AkkaLog.Hocon;

/// <summary>
/// A HOCON object: fields in the order they were first defined. Duplicate keys merge while
/// parsing (objects merge recursively, anything else is replaced by the later value).
/// </summary>
public sealed class HoconObject : HoconValue, IReadOnlyDictionary<string, HoconValue>
{
    private readonly Dictionary<string, HoconValue> _fields = new(StringComparer.Ordinal);
    private readonly List<string> _order = [];

    /// <summary>Creates an empty object.</summary>
    public HoconObject(HoconSource source)
        : base(source)
    {
    }

    /// <inheritdoc />
    public int Count => _fields.Count;

    /// <summary>Field names in definition order.</summary>
    public IEnumerable<string> Keys => _order;

    /// <summary>Field values in definition order.</summary>
    public IEnumerable<HoconValue> Values => _order.Select(k => _fields[k]);

    /// <inheritdoc />
    public HoconValue this[string key] => _fields[key];

    /// <inheritdoc />
    public bool ContainsKey(string key) => _fields.ContainsKey(key);

    /// <inheritdoc />
    public bool TryGetValue(string key, [MaybeNullWhen(false)] out HoconValue value) => _fields.TryGetValue(key, out value);

    /// <summary>
    /// Finds a value by HOCON path (<c>log.retention.hours</c>, quoted segments allowed:
    /// <c>"a.b".c</c>); null when any segment is missing or not an object.
    /// </summary>
    public HoconValue? Find(string path)
    {
        HoconValue? node = this;
        foreach (var key in HoconPath.Parse(path))
        {
            node = node is HoconObject obj ? obj._fields.GetValueOrDefault(key) : null;
        }

        return node;
    }

    /// <summary>All leaves as configuration entries (<c>a:b:c</c>, arrays <c>a:0</c>), in definition order.</summary>
    public IReadOnlyList<HoconEntry> Flatten() => HoconFlattener.Flatten(this);

    /// <inheritdoc />
    public IEnumerator<KeyValuePair<string, HoconValue>> GetEnumerator() =>
        _order.Select(k => new KeyValuePair<string, HoconValue>(k, _fields[k])).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    internal HoconValue? Get(string key) => _fields.GetValueOrDefault(key);

    /// <summary>Sets a field without merging; a new key goes to the end of the order.</summary>
    internal void Put(string key, HoconValue value)
    {
        if (!_fields.ContainsKey(key))
        {
            _order.Add(key);
        }

        _fields[key] = value;
    }

    internal void Remove(string key)
    {
        if (_fields.Remove(key))
        {
            _order.Remove(key);
        }
    }

    /// <summary>Snapshot of the keys, so fields can be replaced while iterating.</summary>
    internal string[] KeySnapshot() => [.. _order];
}
