namespace AkkaLog.Cli.Infrastructure;

/// <summary>
/// The streams one invocation reads and writes, and whether stdout is a terminal. Tables, colours
/// and live progress are drawn only for a terminal; piped output gets plain text without ANSI codes.
/// </summary>
/// <param name="Out">Results (tables, records, JSON).</param>
/// <param name="Error">Diagnostics: the one-line error message, progress when stdout is piped.</param>
/// <param name="In">Records for <c>produce</c> when no file is given.</param>
/// <param name="IsTerminal">True when <paramref name="Out"/> is an interactive terminal.</param>
/// <param name="HandlesProcessSignals">True for the real process: Ctrl+C / SIGTERM cancel the running command.</param>
public sealed record CliIo(TextWriter Out, TextWriter Error, TextReader In, bool IsTerminal, bool HandlesProcessSignals = false)
{
    /// <summary>The process's console.</summary>
    public static CliIo FromConsole() =>
        new(Console.Out, Console.Error, Console.In, IsTerminal: !Console.IsOutputRedirected, HandlesProcessSignals: true);
}
