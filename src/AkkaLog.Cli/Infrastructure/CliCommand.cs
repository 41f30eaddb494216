using System.CommandLine;

namespace AkkaLog.Cli.Infrastructure;

/// <summary>
/// A leaf command: options declared in the subclass constructor, work in <see cref="ExecuteAsync"/>.
/// Exceptions become an exit code and one stderr line here (<see cref="ErrorReporter"/>), and
/// Ctrl+C during a command that does not handle it becomes <see cref="ExitCodes.Interrupted"/>.
/// </summary>
public abstract class CliCommand : Command
{
    private readonly CliIo _io;
    private readonly GlobalOptions _globals;

    /// <summary>Creates the command and hooks up its action.</summary>
    protected CliCommand(string name, string description, CliServices services) : base(name, description)
    {
        _io = services.Io;
        _globals = services.Globals;
        SetAction(RunAsync);
    }

    /// <summary>Does the work; returns the exit code.</summary>
    protected abstract Task<int> ExecuteAsync(CliContext context);

    private async Task<int> RunAsync(ParseResult parse, CancellationToken cancellation)
    {
        var context = new CliContext(_io, _globals, parse, cancellation);
        try
        {
            int code = await ExecuteAsync(context).ConfigureAwait(false);
            await _io.Out.FlushAsync(CancellationToken.None).ConfigureAwait(false);
            return code;
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
            await _io.Error.WriteLineAsync("akkalog: interrupted").ConfigureAwait(false);
            return ExitCodes.Interrupted;
        }
        catch (Exception e)
        {
            await _io.Out.FlushAsync(CancellationToken.None).ConfigureAwait(false);
            string bootstrap = parse.GetValue(_globals.Bootstrap) ?? ClientDefaults.BootstrapServers;
            return ErrorReporter.Report(e, bootstrap, _io.Error, parse.GetValue(_globals.Debug));
        }
    }
}

/// <summary>What every command is built with: the invocation's streams and the shared global options.</summary>
/// <param name="Io">Streams.</param>
/// <param name="Globals">Global options of this root.</param>
public sealed record CliServices(CliIo Io, GlobalOptions Globals);
