using Spectre.Console;

namespace AkkaLog.Cli.Infrastructure;

/// <summary>
/// Creates the Spectre console for stdout. On a terminal Spectre detects colours and width itself;
/// otherwise ANSI, colours and live displays are off and the width is large, so piped tables are
/// plain aligned columns that grep and awk can read and never wrap mid-cell.
/// </summary>
internal static class ConsoleFactory
{
    /// <summary>Width for piped output: wide enough that no realistic row wraps.</summary>
    private const int PipedWidth = 4096;

    public static IAnsiConsole Create(CliIo io)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = io.IsTerminal ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = io.IsTerminal ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = io.IsTerminal ? InteractionSupport.Detect : InteractionSupport.No,
            Out = new AnsiConsoleOutput(io.Out),
        });
        if (!io.IsTerminal) console.Profile.Width = PipedWidth;
        return console;
    }
}
