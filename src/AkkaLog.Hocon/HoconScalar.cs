namespace AkkaLog.Hocon;

/// <summary>A string, number, boolean or null. <see cref="Value"/> is the text as written (null for null).</summary>
public sealed class HoconScalar : HoconValue
{
    /// <summary>Creates a scalar.</summary>
    public HoconScalar(string? value, HoconScalarKind kind, HoconSource source)
        : base(source)
    {
        Value = kind == HoconScalarKind.Null ? null : value;
        Kind = kind;
    }

    /// <summary>The text of the value; null only for <see cref="HoconScalarKind.Null"/>.</summary>
    public string? Value { get; }

    /// <summary>The literal type.</summary>
    public HoconScalarKind Kind { get; }

    /// <summary>
    /// Whitespace between two parts of a value concatenation: kept in a string
    /// (<c>a = hello world</c>) but ignored between objects or arrays.
    /// </summary>
    internal bool IsWhitespace { get; init; }

    /// <inheritdoc />
    public override string ToString() => Value ?? "null";
}
