namespace AkkaLog.Hocon.Internal;

/// <summary>
/// Turns a resolved tree into configuration entries: path segments joined with ':'
/// (the Microsoft.Extensions.Configuration separator), array items keyed by index.
/// Empty objects and arrays produce no entry, as IConfiguration cannot express them.
/// </summary>
internal static class HoconFlattener
{
    public static IReadOnlyList<HoconEntry> Flatten(HoconObject root)
    {
        var entries = new List<HoconEntry>();
        foreach (var (key, value) in root)
        {
            Add(entries, key, value);
        }

        return entries;
    }

    private static void Add(List<HoconEntry> entries, string key, HoconValue value)
    {
        switch (value)
        {
            case HoconObject obj:
                foreach (var (childKey, child) in obj)
                {
                    Add(entries, key + ":" + childKey, child);
                }

                break;
            case HoconArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    Add(entries, key + ":" + i.ToString(System.Globalization.CultureInfo.InvariantCulture), array[i]);
                }

                break;
            case HoconScalar scalar:
                entries.Add(new HoconEntry(key, scalar.Value, scalar.Source));
                break;
            default:
                throw new InvalidOperationException($"Unresolved value at '{key}'; resolve the tree before flattening.");
        }
    }
}
