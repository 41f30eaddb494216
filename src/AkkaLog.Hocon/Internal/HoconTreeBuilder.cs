namespace AkkaLog.Hocon.Internal;

/// <summary>
/// Assigns parsed values into objects with HOCON's duplicate-key rules: a later object merges
/// into an earlier object, any other later value replaces the earlier one, and when the outcome
/// depends on a substitution the decision is deferred to a <see cref="HoconMerge"/>.
/// </summary>
internal static class HoconTreeBuilder
{
    /// <summary>Sets <paramref name="keys"/> (a dotted key, already split) to <paramref name="value"/>.</summary>
    public static void Set(HoconObject target, IReadOnlyList<string> keys, HoconValue value, HoconSource keySource)
    {
        var obj = target;
        for (var i = 0; i < keys.Count - 1; i++)
        {
            var existing = obj.Get(keys[i]);
            if (existing is HoconObject child)
            {
                obj = child;
                continue;
            }

            // a.b = 1 after a = ${x}: the new object must later merge onto whatever ${x} becomes.
            child = new HoconObject(keySource);
            obj.Put(keys[i], IsUnresolved(existing) ? Layer(existing!, child, keySource) : child);
            obj = child;
        }

        Assign(obj, keys[^1], value, keySource);
    }

    /// <summary>Copies the fields of <paramref name="from"/> into <paramref name="into"/> with the same rules.</summary>
    public static void MergeInto(HoconObject into, HoconObject from)
    {
        foreach (var (key, value) in from)
        {
            Assign(into, key, value, value.Source);
        }
    }

    public static bool IsUnresolved(HoconValue? value) => value is HoconSubstitution or HoconConcatenation or HoconMerge;

    /// <summary>Looks a path up in the tree as parsed so far; null if absent or behind an unresolved value.</summary>
    public static HoconValue? Lookup(HoconObject root, IReadOnlyList<string> keys)
    {
        HoconValue? node = root;
        foreach (var key in keys)
        {
            node = node is HoconObject obj ? obj.Get(key) : null;
        }

        return node;
    }

    private static void Assign(HoconObject obj, string key, HoconValue value, HoconSource keySource)
    {
        var existing = obj.Get(key);
        if (existing is HoconObject oldObject && value is HoconObject newObject)
        {
            MergeInto(oldObject, newObject);
        }
        else if (existing is not null && (IsUnresolved(value) || (IsUnresolved(existing) && value is HoconObject)))
        {
            // Deferred: `port = 9092` then `port = ${?PORT}` keeps 9092 when PORT is unset,
            // and an object over a substitution merges with whatever it resolves to.
            obj.Put(key, Layer(existing!, value, keySource));
        }
        else
        {
            obj.Put(key, value);
        }
    }

    private static HoconMerge Layer(HoconValue below, HoconValue above, HoconSource source)
    {
        var layers = below is HoconMerge merge ? [.. merge.Layers] : new List<HoconValue> { below };
        layers.Add(above);
        return new HoconMerge(layers, source);
    }
}
