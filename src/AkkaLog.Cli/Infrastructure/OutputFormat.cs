namespace AkkaLog.Cli.Infrastructure;

/// <summary>How results are printed (<c>--output</c>).</summary>
public enum OutputFormat
{
    /// <summary>For people: tables on a terminal, aligned plain columns when piped.</summary>
    Text,
    /// <summary>For scripts: one JSON document on stdout (consume: one JSON object per record and line).</summary>
    Json,
}

/// <summary>Parsing of the <c>text|json</c> option values (lower-case on the command line, as in help).</summary>
internal static class OutputFormats
{
    /// <summary>The format named <paramref name="name"/>; null stays null.</summary>
    public static OutputFormat? Parse(string? name) => name switch
    {
        null => null,
        "json" => OutputFormat.Json,
        _ => OutputFormat.Text,
    };
}
