using System.CommandLine;

namespace AkkaLog.Cli.Infrastructure;

/// <summary>
/// Options every command accepts (declared once on the root, <see cref="Option.Recursive"/>). One
/// instance per root command: System.CommandLine options remember their parents, so two roots (as in
/// tests) must not share them.
/// </summary>
public sealed class GlobalOptions
{
    /// <summary><c>--bootstrap-server</c>/<c>-b</c>: where to connect first.</summary>
    public Option<string> Bootstrap { get; } = new("--bootstrap-server", "-b")
    {
        Description = "Comma-separated host:port list of brokers to connect to first",
        DefaultValueFactory = _ => ClientDefaults.BootstrapServers,
        HelpName = "host:port",
        Recursive = true,
    };

    /// <summary><c>--output</c>: text for people, json for scripts.</summary>
    public Option<string> Output { get; } = new Option<string>("--output")
    {
        Description = "text: tables for people; json: one machine-readable JSON document on stdout",
        DefaultValueFactory = _ => "text",
        Recursive = true,
    }.AcceptOnlyFromAmong("text", "json");

    /// <summary><c>--api-timeout-ms</c>: bound on each call to the cluster, so an unreachable broker fails fast.</summary>
    public Option<int> ApiTimeoutMs { get; } = new("--api-timeout-ms")
    {
        Description = "How long one call to the cluster may take, retries included (default.api.timeout.ms, max.block.ms)",
        DefaultValueFactory = _ => ClientDefaults.ApiTimeoutMs,
        HelpName = "ms",
        Recursive = true,
    };

    /// <summary><c>--debug</c> (hidden): print the whole exception after the one-line error, for bug reports.</summary>
    public Option<bool> Debug { get; } = new("--debug") { Description = "Print stack traces of errors", Hidden = true, Recursive = true };

    /// <summary>Creates the options and their validators.</summary>
    public GlobalOptions()
    {
        ApiTimeoutMs.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() < 1) r.AddError("--api-timeout-ms must be at least 1");
        });
    }

    /// <summary>Adds every global option to <paramref name="root"/>.</summary>
    public void AddTo(Command root)
    {
        root.Options.Add(Bootstrap);
        root.Options.Add(Output);
        root.Options.Add(ApiTimeoutMs);
        root.Options.Add(Debug);
    }
}
