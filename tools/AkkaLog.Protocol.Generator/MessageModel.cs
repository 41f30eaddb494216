namespace AkkaLog.Protocol.Generator;

/// <summary>
/// A message with all of its structs resolved and named. Every struct becomes a class nested
/// directly in the message class (as Kafka's Java generator does), so struct names are unique
/// per message. A struct whose name clashes with a member of the class it would live in (or of
/// its own) gets the suffix "Data".
/// </summary>
public sealed class MessageModel
{
    private static readonly HashSet<string> RootMembers =
        ["ApiKey", "LowestSupportedVersion", "HighestSupportedVersion", "IsFlexible", "Read", "Write"];

    private static readonly HashSet<string> ReservedTypeNames =
        ["Guid", "List", "ReadOnlyMemory", "KafkaReader", "KafkaWriter", "KafkaProtocolException", "IKafkaMessage",
         "IKafkaRequest", "IKafkaResponse", "IKafkaApiMessage", "ApiKey", "String", "Math"];

    private readonly Dictionary<string, StructSpec> _byName = new(StringComparer.Ordinal);

    public MessageModel(MessageSpec spec)
    {
        Spec = spec;
        Root = new StructSpec { Name = spec.Name, ClassName = spec.Name, Fields = spec.Fields, ContextVersions = spec.ValidVersions };
        Collect(spec.Fields, spec.ValidVersions);
        foreach (var common in spec.CommonStructs)
        {
            Define(common);
            Collect(common.Fields, common.ContextVersions);
        }

        AssignClassNames();
        Validate(Root, isRoot: true);
        foreach (var s in Nested)
        {
            Validate(s, isRoot: false);
        }

        MarkNeedsIsDefault();
    }

    public MessageSpec Spec { get; }

    /// <summary>Structs renamed to avoid a clash, as "Message.Struct -> NewName".</summary>
    public List<string> Renamed { get; } = [];

    public StructSpec Root { get; }

    /// <summary>Nested structs in order of first definition.</summary>
    public List<StructSpec> Nested { get; } = [];

    /// <summary>Structs that need an IsDefault() method (used as non-null tagged fields).</summary>
    public HashSet<string> NeedsIsDefault { get; } = [];

    public StructSpec Struct(string name) =>
        _byName.TryGetValue(name, out var s) ? s : throw new InvalidDataException($"{Spec.FileName}: unknown struct type {name}");

    private void Collect(List<FieldSpec> fields, Versions context)
    {
        foreach (var field in fields.Where(f => f.IsStruct && f.Fields is not null))
        {
            var ctx = field.Versions.Intersect(context);
            Define(new StructSpec { Name = field.ElementType, Fields = field.Fields!, ContextVersions = ctx });
            Collect(field.Fields!, ctx);
        }
    }

    private void Define(StructSpec spec)
    {
        if (!_byName.TryAdd(spec.Name, spec))
        {
            throw new InvalidDataException($"{Spec.FileName}: struct {spec.Name} is defined twice");
        }

        Nested.Add(spec);
    }

    private void AssignClassNames()
    {
        var rootProps = Spec.Fields.Select(f => f.Name).ToHashSet(StringComparer.Ordinal);
        var taken = new HashSet<string>(StringComparer.Ordinal) { Spec.Name };
        taken.UnionWith(Nested.Select(s => s.Name));
        foreach (var s in Nested)
        {
            string name = s.Name;
            bool clash = rootProps.Contains(name) || name == Spec.Name || RootMembers.Contains(name)
                || ReservedTypeNames.Contains(name) || s.Fields.Any(f => f.Name == name);
            if (clash)
            {
                name += "Data";
                while (taken.Contains(name) || rootProps.Contains(name))
                {
                    name += "_";
                }

                taken.Add(name);
                Renamed.Add($"{Spec.Name}.{s.Name} -> {name}");
            }

            s.ClassName = name;
        }
    }

    private void Validate(StructSpec s, bool isRoot)
    {
        foreach (var f in s.Fields)
        {
            if (f.Name == s.ClassName || f.Name is "Read" or "Write" or "HasAllDefaults" || (isRoot && RootMembers.Contains(f.Name)))
            {
                throw new InvalidDataException($"{Spec.FileName}: field {s.Name}.{f.Name} clashes with a generated member");
            }

            if (f.IsStruct)
            {
                Struct(f.ElementType);
            }

            if (!f.TaggedVersions.IsEmpty && f.Tag is null)
            {
                throw new InvalidDataException($"{Spec.FileName}: tagged field {f.Name} has no tag");
            }
        }
    }

    private void MarkNeedsIsDefault()
    {
        var pending = new Stack<StructSpec>();
        foreach (var s in Nested.Append(Root))
        {
            foreach (var f in s.Fields.Where(f => !f.TaggedVersions.IsEmpty && f.IsStruct && !f.IsArray && f.Default != "null"))
            {
                pending.Push(Struct(f.ElementType));
            }
        }

        while (pending.TryPop(out var s))
        {
            if (NeedsIsDefault.Add(s.Name))
            {
                foreach (var f in s.Fields.Where(f => f.IsStruct && !f.IsArray && f.Default != "null"))
                {
                    pending.Push(Struct(f.ElementType));
                }
            }
        }
    }
}

/// <summary>Condition helpers over the version variable named "version".</summary>
public static class Conditions
{
    /// <summary>
    /// A C# condition that holds exactly for the versions in <paramref name="range"/>, given that
    /// the version is known to lie in <paramref name="context"/>: "true", "false" or a comparison.
    /// </summary>
    public static string Cond(Versions range, Versions context)
    {
        var r = range.Intersect(context);
        if (r.IsEmpty)
        {
            return "false";
        }

        if (r.Contains(context))
        {
            return "true";
        }

        bool low = r.Lowest > context.Lowest;
        bool high = r.Highest < context.Highest;
        if (low && high)
        {
            return r.Lowest == r.Highest ? $"version == {r.Lowest}" : $"version >= {r.Lowest} && version <= {r.Highest}";
        }

        return low ? $"version >= {r.Lowest}" : $"version <= {r.Highest}";
    }
}
