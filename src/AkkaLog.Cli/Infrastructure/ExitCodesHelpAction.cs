using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;

namespace AkkaLog.Cli.Infrastructure;

/// <summary>The standard help, followed by the exit-code table (<see cref="ExitCodes.HelpText"/>), for every command.</summary>
internal sealed class ExitCodesHelpAction(HelpAction inner) : SynchronousCommandLineAction
{
    /// <inheritdoc />
    public override int Invoke(ParseResult parseResult)
    {
        int code = inner.Invoke(parseResult);
        var output = parseResult.InvocationConfiguration.Output;
        output.WriteLine(ExitCodes.HelpText);
        output.WriteLine();
        return code;
    }
}
