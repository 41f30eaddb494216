namespace AkkaLog.Hocon;

/// <summary>The literal type of a <see cref="HoconScalar"/>; quoted and concatenated values are strings.</summary>
public enum HoconScalarKind
{
    /// <summary>Quoted, unquoted or concatenated text.</summary>
    String,

    /// <summary>An unquoted JSON-style number such as <c>168</c> or <c>-1.5e3</c>.</summary>
    Number,

    /// <summary>Unquoted <c>true</c> or <c>false</c>.</summary>
    Boolean,

    /// <summary>Unquoted <c>null</c>.</summary>
    Null,
}
