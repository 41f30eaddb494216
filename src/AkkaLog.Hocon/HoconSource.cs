namespace AkkaLog.Hocon;

/// <summary>
/// Where a HOCON value was written: file (null when parsed from a string without a name),
/// 1-based line and column. Prints as <c>file:line:column</c>, the form editors jump to.
/// </summary>
public readonly record struct HoconSource(string? File, int Line, int Column)
{
    /// <summary>Name used in messages for text parsed without a file name.</summary>
    public const string NoFile = "<string>";

    /// <inheritdoc />
    public override string ToString() => $"{File ?? NoFile}:{Line}:{Column}";
}
