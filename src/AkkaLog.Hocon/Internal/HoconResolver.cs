namespace AkkaLog.Hocon.Internal;

/// <summary>
/// Replaces every substitution, concatenation and deferred merge in a parsed tree, in place.
/// <c>${a.b}</c> is looked up in the whole merged tree (absolute path from the root), then in the
/// environment under the name <c>a.b</c>; an optional <c>${?a.b}</c> that finds nothing removes
/// the field (or array item, or concatenation piece). Cycles are reported, not followed.
/// </summary>
internal sealed class HoconResolver
{
    private readonly HoconObject _root;
    private readonly Func<string, string?> _environment;

    // Results of substitutions and concatenations already resolved (null: undefined), so shared
    // references resolve once; and those in progress, to detect cycles.
    private readonly Dictionary<HoconValue, HoconValue?> _resolved = new(ReferenceEqualityComparer.Instance);
    private readonly HashSet<HoconValue> _active = new(ReferenceEqualityComparer.Instance);
    private readonly HashSet<HoconValue> _doneContainers = new(ReferenceEqualityComparer.Instance);

    private HoconResolver(HoconObject root, Func<string, string?> environment)
    {
        _root = root;
        _environment = environment;
    }

    public static void Resolve(HoconObject root, Func<string, string?> environment) =>
        new HoconResolver(root, environment).Resolve(root, "");

    private HoconValue? Resolve(HoconValue value, string key)
    {
        switch (value)
        {
            case HoconScalar:
                return value;
            case HoconObject obj:
                if (_doneContainers.Add(obj))
                {
                    foreach (var field in obj.KeySnapshot())
                    {
                        var childKey = key.Length == 0 ? field : key + "." + field;
                        if (Resolve(obj[field], childKey) is { } resolved)
                        {
                            obj.Put(field, resolved);
                        }
                        else
                        {
                            obj.Remove(field);
                        }
                    }
                }

                return obj;
            case HoconArray array:
                if (_doneContainers.Add(array))
                {
                    array.ResolveItems(item => Resolve(item, key));
                }

                return array;
        }

        if (_resolved.TryGetValue(value, out var done))
        {
            return done;
        }

        if (!_active.Add(value))
        {
            var what = value is HoconSubstitution s ? s.Expression : "value";
            throw new HoconException(value.Source, $"substitution cycle: {what} in key '{key}' depends on itself", key);
        }

        var result = value switch
        {
            HoconSubstitution substitution => Substitute(substitution, key),
            HoconConcatenation concatenation => Concatenate(concatenation, key),
            HoconMerge merge => Merge(merge, key),
            _ => throw new InvalidOperationException($"Unknown HOCON node {value.GetType().Name}."),
        };

        // A merged copy may hold fields of an object still being resolved higher up; finish it.
        if (result is HoconObject or HoconArray)
        {
            result = Resolve(result, key);
        }

        _active.Remove(value);
        _resolved[value] = result;
        return result;
    }

    private HoconValue? Substitute(HoconSubstitution substitution, string key)
    {
        if (!substitution.EnvironmentOnly && Lookup(substitution.Path, key) is { } found)
        {
            var target = Resolve(found, HoconPath.Render(substitution.Path));
            if (target is not null)
            {
                // A scalar copied by ${...} is reported where the reference was written.
                return target is HoconScalar scalar ? new HoconScalar(scalar.Value, scalar.Kind, substitution.Source) : target;
            }
        }

        if (_environment(HoconPath.Render(substitution.Path)) is { } variable)
        {
            return new HoconScalar(variable, HoconScalarKind.String, substitution.Source);
        }

        return substitution.Optional
            ? null
            : throw new HoconException(
                substitution.Source,
                $"could not resolve substitution {substitution.Expression} in the value of key '{key}': no such key or environment variable",
                key);
    }

    /// <summary>Walks the root along <paramref name="path"/>, resolving what it must pass through.</summary>
    private HoconValue? Lookup(IReadOnlyList<string> path, string key)
    {
        HoconValue? node = _root;
        foreach (var segment in path)
        {
            if (HoconTreeBuilder.IsUnresolved(node))
            {
                node = Resolve(node, key);
            }

            node = node is HoconObject obj ? obj.Get(segment) : null;
            if (node is null)
            {
                return null;
            }
        }

        return node;
    }

    private HoconValue? Concatenate(HoconConcatenation concatenation, string key)
    {
        var parts = new List<HoconValue>();
        foreach (var part in concatenation.Parts)
        {
            if (Resolve(part, key) is { } resolved)
            {
                parts.Add(resolved);
            }
        }

        var solid = parts.FindAll(p => p is not HoconScalar { IsWhitespace: true });
        if (solid.Count == 0)
        {
            return null;
        }

        if (solid.TrueForAll(p => p is HoconObject))
        {
            return solid.Skip(1).Aggregate((HoconObject)solid[0], (acc, next) => MergeCopy(acc, (HoconObject)next));
        }

        if (solid.TrueForAll(p => p is HoconArray))
        {
            return new HoconArray(solid.SelectMany(p => (HoconArray)p), concatenation.Source);
        }

        if (parts.TrueForAll(p => p is HoconScalar))
        {
            var text = string.Concat(TrimWhitespace(parts).Select(p => ((HoconScalar)p).Value ?? "null"));
            return new HoconScalar(text, HoconScalarKind.String, concatenation.Source);
        }

        var bad = solid.First(p => p is HoconObject or HoconArray);
        throw new HoconException(
            bad.Source,
            $"cannot concatenate {(bad is HoconObject ? "an object" : "an array")} with values of another type in key '{key}'",
            key);
    }

    private HoconValue? Merge(HoconMerge merge, string key)
    {
        HoconValue? result = null;
        foreach (var layer in merge.Layers)
        {
            var resolved = Resolve(layer, key);
            result = result is HoconObject below && resolved is HoconObject above ? MergeCopy(below, above) : resolved ?? result;
        }

        return result;
    }

    /// <summary>Merges without touching either input: resolved objects may be shared by several keys.</summary>
    private static HoconObject MergeCopy(HoconObject below, HoconObject above)
    {
        var result = new HoconObject(below.Source);
        foreach (var (key, value) in below)
        {
            result.Put(key, value);
        }

        foreach (var (key, value) in above)
        {
            result.Put(key, result.Get(key) is HoconObject old && value is HoconObject add ? MergeCopy(old, add) : value);
        }

        return result;
    }

    private static IEnumerable<HoconValue> TrimWhitespace(List<HoconValue> parts) =>
        parts.SkipWhile(p => p is HoconScalar { IsWhitespace: true })
            .Reverse()
            .SkipWhile(p => p is HoconScalar { IsWhitespace: true })
            .Reverse();
}
