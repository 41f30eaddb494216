namespace AkkaLog.Hocon.Internal;

/// <summary>
/// One token with its 1-based position. For <see cref="HoconTokenKind.Substitution"/>, <see cref="Path"/>
/// holds the segments and <see cref="Optional"/> tells <c>${?...}</c>; for errors <see cref="Text"/> is the message.
/// </summary>
internal readonly record struct HoconToken(
    HoconTokenKind Kind,
    string Text,
    int Line,
    int Column,
    IReadOnlyList<string>? Path = null,
    bool Optional = false)
{
    /// <summary>How the token reads in an error message.</summary>
    public string Describe() => Kind switch
    {
        HoconTokenKind.Newline => "end of line",
        HoconTokenKind.End => "end of file",
        HoconTokenKind.Quoted => $"\"{Text}\"",
        _ => $"'{Text}'",
    };
}
