using System.CommandLine;
using System.CommandLine.Help;
using AkkaLog.Cli.Commands;
using AkkaLog.Cli.Commands.Cluster;
using AkkaLog.Cli.Commands.Configs;
using AkkaLog.Cli.Commands.Groups;
using AkkaLog.Cli.Commands.Messages;
using AkkaLog.Cli.Commands.Perf;
using AkkaLog.Cli.Commands.Topics;
using AkkaLog.Cli.Infrastructure;

namespace AkkaLog.Cli;

/// <summary>
/// The <c>akkalog</c> command tree and its one entry point. <see cref="RunAsync"/> parses, reports
/// parse errors with exit code 2 (System.CommandLine's own default is 1, which scripts could not tell
/// from a Kafka error), and runs the chosen command with the given streams, so tests call it
/// in-process exactly as the process does.
/// </summary>
public static class CliApp
{
    /// <summary>Builds the command tree writing to <paramref name="io"/>.</summary>
    public static RootCommand BuildRoot(CliIo io) => Build(io).Root;

    /// <summary>The command tree and its global options (tests read settings through them).</summary>
    internal static (RootCommand Root, GlobalOptions Globals) Build(CliIo io)
    {
        var globals = new GlobalOptions();
        var services = new CliServices(io, globals);
        var root = new RootCommand(
            "akkalog: manage and test an AkkaLog (or Apache Kafka) cluster: topics, produce, consume, consumer groups, configs, perf tests.");
        globals.AddTo(root);
        root.Subcommands.Add(TopicCommand.Create(services));
        root.Subcommands.Add(new ProduceCommand(services));
        root.Subcommands.Add(new ConsumeCommand(services));
        root.Subcommands.Add(GroupCommand.Create(services));
        root.Subcommands.Add(ConfigCommand.Create(services));
        root.Subcommands.Add(ClusterCommand.Create(services));
        root.Subcommands.Add(PerfCommand.Create(services));

        var help = root.Options.OfType<HelpOption>().Single();
        help.Action = new ExitCodesHelpAction((HelpAction)help.Action!);
        return (root, globals);
    }

    /// <summary>Runs the command line <paramref name="args"/>; returns the process exit code (<see cref="ExitCodes"/>).</summary>
    public static async Task<int> RunAsync(string[] args, CliIo io, CancellationToken cancellation = default)
    {
        var root = BuildRoot(io);
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0 && parse.Action is not HelpAction and not ExitCodesHelpAction)
        {
            foreach (var error in parse.Errors) await io.Error.WriteLineAsync("akkalog: " + error.Message).ConfigureAwait(false);
            string path = CommandPath(parse);
            await io.Error.WriteLineAsync($"Run '{path} --help' for usage.").ConfigureAwait(false);
            await io.Error.FlushAsync(cancellation).ConfigureAwait(false);
            return ExitCodes.BadArguments;
        }
        var config = new InvocationConfiguration
        {
            Output = io.Out,
            Error = io.Error,
            EnableDefaultExceptionHandler = false,
            // Ctrl+C cancels the command's token; consume and perf stop cleanly on it.
            ProcessTerminationTimeout = io.HandlesProcessSignals ? TimeSpan.FromSeconds(5) : null,
        };
        return await parse.InvokeAsync(config, cancellation).ConfigureAwait(false);
    }

    private static string CommandPath(ParseResult parse)
    {
        var names = new List<string>();
        for (var r = parse.CommandResult; r is not null; r = r.Parent as System.CommandLine.Parsing.CommandResult)
            names.Insert(0, r.Command is RootCommand ? "akkalog" : r.Command.Name);
        return string.Join(' ', names);
    }
}
