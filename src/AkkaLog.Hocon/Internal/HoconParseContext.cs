namespace AkkaLog.Hocon.Internal;

/// <summary>State shared by the parser of a document and the parsers of the files it includes.</summary>
internal sealed class HoconParseContext(HoconObject root, Func<string, string?> environment)
{
    public HoconObject Root { get; } = root;

    public Func<string, string?> Environment { get; } = environment;

    /// <summary>Full paths of the files being parsed, outermost first, to detect include cycles.</summary>
    public List<string> IncludeStack { get; } = [];
}
