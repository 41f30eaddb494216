using System.Text.Json;

namespace AkkaLog.Protocol.Generator;

/// <summary>An inclusive version range from a schema string: "none", "3", "3+", "3-7".</summary>
public readonly record struct Versions(short Lowest, short Highest)
{
    public const short Max = short.MaxValue;

    public static Versions None { get; } = new(0, -1);

    public bool IsEmpty => Highest < Lowest;

    public bool Contains(short v) => v >= Lowest && v <= Highest;

    public bool Contains(Versions other) => other.IsEmpty || (other.Lowest >= Lowest && other.Highest <= Highest);

    public Versions Intersect(Versions other) =>
        IsEmpty || other.IsEmpty ? None : Normalize(new(Math.Max(Lowest, other.Lowest), Math.Min(Highest, other.Highest)));

    /// <summary>Versions in this range but not in <paramref name="other"/>, which must not split it in two.</summary>
    public Versions Subtract(Versions other)
    {
        var common = Intersect(other);
        if (common.IsEmpty)
        {
            return this;
        }

        if (common == this)
        {
            return None;
        }

        if (common.Lowest > Lowest && common.Highest < Highest)
        {
            throw new InvalidOperationException($"Subtracting {other} from {this} leaves two ranges.");
        }

        return common.Lowest > Lowest ? new(Lowest, (short)(common.Lowest - 1)) : new((short)(common.Highest + 1), Highest);
    }

    public static Versions Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text) || text.Trim() == "none")
        {
            return None;
        }

        text = text.Trim();
        if (text.EndsWith('+'))
        {
            return new(short.Parse(text[..^1]), Max);
        }

        int dash = text.IndexOf('-');
        return dash < 0
            ? new(short.Parse(text), short.Parse(text))
            : new(short.Parse(text[..dash]), short.Parse(text[(dash + 1)..]));
    }

    public override string ToString() =>
        IsEmpty ? "none" : Highest == Max ? $"{Lowest}+" : Lowest == Highest ? $"{Lowest}" : $"{Lowest}-{Highest}";

    private static Versions Normalize(Versions v) => v.IsEmpty ? None : v;
}

/// <summary>One field of a message or struct, as written in the JSON schema.</summary>
public sealed class FieldSpec
{
    public required string Name { get; init; }
    public required string Type { get; init; }
    public required Versions Versions { get; init; }
    public Versions NullableVersions { get; init; } = Versions.None;
    public Versions TaggedVersions { get; init; } = Versions.None;
    public int? Tag { get; init; }
    public string? Default { get; init; }
    public Versions? FlexibleVersions { get; init; }
    public string About { get; init; } = "";
    public List<FieldSpec>? Fields { get; init; }

    public bool IsArray => Type.StartsWith("[]", StringComparison.Ordinal);

    public string ElementType => IsArray ? Type[2..] : Type;

    public bool IsStruct => !Primitives.IsPrimitive(ElementType);

    public bool IsNullableAnywhere => !NullableVersions.IsEmpty;
}

/// <summary>A named struct: the message body itself, an inline struct, or a common struct.</summary>
public sealed class StructSpec
{
    public required string Name { get; init; }
    public required List<FieldSpec> Fields { get; init; }
    public Versions ContextVersions { get; set; }

    /// <summary>The C# class name (differs from <see cref="Name"/> only to avoid a clash).</summary>
    public string ClassName { get; set; } = "";
}

/// <summary>One JSON message file.</summary>
public sealed class MessageSpec
{
    public required string FileName { get; init; }
    public required string Name { get; init; }
    public required string Kind { get; init; }
    public short? ApiKey { get; init; }
    public required Versions ValidVersions { get; init; }
    public required Versions FlexibleVersions { get; init; }
    public bool LatestVersionUnstable { get; init; }
    public required List<FieldSpec> Fields { get; init; }
    public required List<StructSpec> CommonStructs { get; init; }

    public static MessageSpec Load(string path)
    {
        var options = new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };
        using var doc = JsonDocument.Parse(File.ReadAllText(path), options);
        var root = doc.RootElement;
        var valid = Versions.Parse(Str(root, "validVersions"));
        return new MessageSpec
        {
            FileName = Path.GetFileName(path),
            Name = Str(root, "name") ?? throw new InvalidDataException($"{path}: no name"),
            Kind = Str(root, "type") ?? throw new InvalidDataException($"{path}: no type"),
            ApiKey = root.TryGetProperty("apiKey", out var key) ? key.GetInt16() : null,
            ValidVersions = valid,
            FlexibleVersions = Versions.Parse(Str(root, "flexibleVersions")),
            LatestVersionUnstable = root.TryGetProperty("latestVersionUnstable", out var u) && u.GetBoolean(),
            Fields = ParseFields(root, valid),
            CommonStructs = root.TryGetProperty("commonStructs", out var common)
                ? common.EnumerateArray().Select(s => new StructSpec
                {
                    Name = Str(s, "name")!,
                    Fields = ParseFields(s, valid),
                    ContextVersions = s.TryGetProperty("versions", out _) ? Versions.Parse(Str(s, "versions")).Intersect(valid) : valid,
                }).ToList()
                : [],
        };
    }

    private static List<FieldSpec> ParseFields(JsonElement parent, Versions context)
    {
        if (!parent.TryGetProperty("fields", out var fields))
        {
            return [];
        }

        var result = new List<FieldSpec>();
        foreach (var f in fields.EnumerateArray())
        {
            var versions = f.TryGetProperty("versions", out _) ? Versions.Parse(Str(f, "versions")) : context;
            result.Add(new FieldSpec
            {
                Name = CapitalizeFirst(Str(f, "name")!), // as Kafka's generator names accessors
                Type = Str(f, "type")!.Trim(),
                Versions = versions,
                NullableVersions = Versions.Parse(Str(f, "nullableVersions")),
                TaggedVersions = Versions.Parse(Str(f, "taggedVersions")),
                Tag = f.TryGetProperty("tag", out var tag) ? int.Parse(Scalar(tag)) : null,
                Default = f.TryGetProperty("default", out var d) ? Scalar(d) : null,
                FlexibleVersions = f.TryGetProperty("flexibleVersions", out _) ? Versions.Parse(Str(f, "flexibleVersions")) : null,
                About = Str(f, "about") ?? "",
                Fields = f.TryGetProperty("fields", out _) ? ParseFields(f, versions) : null,
            });
        }

        return result;
    }

    /// <summary>A few schema fields start lower-case (validateOnly, timeoutMs); C# properties should not.</summary>
    private static string CapitalizeFirst(string name) =>
        name.Length == 0 || char.IsUpper(name[0]) ? name : char.ToUpperInvariant(name[0]) + name[1..];

    private static string? Str(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) ? Scalar(v) : null;

    private static string Scalar(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.String => e.GetString()!,
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        _ => e.GetRawText(),
    };
}

/// <summary>Primitive schema types and their C# counterparts.</summary>
public static class Primitives
{
    private static readonly Dictionary<string, string> CSharp = new()
    {
        ["bool"] = "bool",
        ["int8"] = "sbyte",
        ["int16"] = "short",
        ["uint16"] = "ushort",
        ["int32"] = "int",
        ["uint32"] = "uint",
        ["int64"] = "long",
        ["float64"] = "double",
        ["uuid"] = "Guid",
        ["string"] = "string",
        ["bytes"] = "ReadOnlyMemory<byte>",
        ["records"] = "ReadOnlyMemory<byte>",
    };

    private static readonly Dictionary<string, string> Method = new()
    {
        ["bool"] = "Bool",
        ["int8"] = "Int8",
        ["int16"] = "Int16",
        ["uint16"] = "UInt16",
        ["int32"] = "Int32",
        ["uint32"] = "UInt32",
        ["int64"] = "Int64",
        ["float64"] = "Float64",
        ["uuid"] = "Uuid",
    };

    public static bool IsPrimitive(string type) => CSharp.ContainsKey(type);

    /// <summary>True for types with a fixed-size encoding and a value-type C# counterpart.</summary>
    public static bool IsFixed(string type) => Method.ContainsKey(type);

    public static string CSharpType(string type) => CSharp[type];

    /// <summary>Reader/writer method suffix, e.g. "Int32" for ReadInt32/WriteInt32.</summary>
    public static string MethodSuffix(string type) => Method[type];
}
