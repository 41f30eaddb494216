using System.Globalization;

namespace AkkaLog.Protocol.Generator;

/// <summary>C# types, defaults and default checks for schema fields.</summary>
public static class FieldTypes
{
    public static string PropertyType(FieldSpec f, MessageModel m)
    {
        if (f.IsArray)
        {
            return $"List<{ElementType(f, m)}>" + (IsNullableType(f) ? "?" : "");
        }

        if (f.IsStruct)
        {
            return m.Struct(f.Type).ClassName + (IsNullableType(f) ? "?" : "");
        }

        return f.Type switch
        {
            "records" => "ReadOnlyMemory<byte>?",
            "string" or "bytes" => Primitives.CSharpType(f.Type) + (IsNullableType(f) ? "?" : ""),
            _ => Primitives.CSharpType(f.Type),
        };
    }

    public static string ElementType(FieldSpec f, MessageModel m) =>
        f.IsStruct ? m.Struct(f.ElementType).ClassName : Primitives.CSharpType(f.ElementType);

    /// <summary>True when the C# property type admits null.</summary>
    public static bool IsNullableType(FieldSpec f) =>
        f.Type == "records" || (!Primitives.IsFixed(f.Type) && (f.IsNullableAnywhere || f.Default == "null"));

    /// <summary>The property initializer, or null when the C# default is already right.</summary>
    public static string? Initializer(FieldSpec f, MessageModel m)
    {
        if (f.Default == "null" || f.Type == "records")
        {
            return null;
        }

        if (f.IsArray || f.IsStruct)
        {
            return "new()";
        }

        return f.Type switch
        {
            "string" => Literal(f.Default ?? ""),
            "bytes" => IsNullableType(f) ? "ReadOnlyMemory<byte>.Empty" : null,
            "uuid" => null,
            "bool" => f.Default is "true" ? "true" : null,
            _ => NumericDefault(f) is "0" ? null : NumericDefault(f),
        };
    }

    /// <summary>A condition that holds when the value differs from the field's default (so a tagged field is written).</summary>
    public static string NonDefault(FieldSpec f, string v, MessageModel m)
    {
        if (f.Default == "null" || f.Type == "records")
        {
            return $"{v} is not null";
        }

        if (f.IsArray)
        {
            return IsNullableType(f) ? $"{v} is not {{ Count: 0 }}" : $"{v}.Count != 0";
        }

        if (f.IsStruct)
        {
            return IsNullableType(f) ? $"{v}?.HasAllDefaults() != true" : $"!{v}.HasAllDefaults()";
        }

        return f.Type switch
        {
            "string" => $"{v} != {Literal(f.Default ?? "")}",
            "bytes" => IsNullableType(f) ? $"{v} is not {{ IsEmpty: true }}" : $"!{v}.IsEmpty",
            "uuid" => $"{v} != Guid.Empty",
            "bool" => f.Default is "true" ? $"!{v}" : v,
            _ => $"{v} != {NumericDefault(f)}",
        };
    }

    /// <summary>A condition that holds when the value equals the field's default.</summary>
    public static string IsDefault(FieldSpec f, string v, MessageModel m)
    {
        if (f.Default == "null" || f.Type == "records")
        {
            return $"{v} is null";
        }

        if (f.IsArray)
        {
            return IsNullableType(f) ? $"{v} is {{ Count: 0 }}" : $"{v}.Count == 0";
        }

        if (f.IsStruct)
        {
            return IsNullableType(f) ? $"{v}?.HasAllDefaults() == true" : $"{v}.HasAllDefaults()";
        }

        return f.Type switch
        {
            "string" => $"{v} == {Literal(f.Default ?? "")}",
            "bytes" => IsNullableType(f) ? $"{v} is {{ IsEmpty: true }}" : $"{v}.IsEmpty",
            "uuid" => $"{v} == Guid.Empty",
            "bool" => f.Default is "true" ? v : $"!{v}",
            _ => $"{v} == {NumericDefault(f)}",
        };
    }

    public static string Literal(string s) =>
        "\"" + s.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";

    private static string NumericDefault(FieldSpec f)
    {
        string d = f.Default ?? "0";
        if (d.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
        {
            return d;
        }

        if (f.Type == "float64")
        {
            return double.Parse(d, CultureInfo.InvariantCulture).ToString("R", CultureInfo.InvariantCulture) + "d";
        }

        long value = long.Parse(d, CultureInfo.InvariantCulture);
        return f.Type switch
        {
            "int32" when value == int.MinValue => "int.MinValue",
            "int64" when value == long.MinValue => "long.MinValue",
            _ => value.ToString(CultureInfo.InvariantCulture),
        };
    }
}
