using System.CommandLine;
using AkkaLog.Client;
using Spectre.Console;

namespace AkkaLog.Cli.Infrastructure;

/// <summary>
/// What a running command needs: its parsed arguments, the global options, the streams, a console
/// for tables and progress, and clients configured with the CLI's bounded timeouts
/// (<see cref="ClientDefaults"/>). One per invocation; not shared between threads except for writing
/// to <see cref="Out"/> under the caller's own ordering.
/// </summary>
public sealed class CliContext
{
    private IAnsiConsole? _console;

    internal CliContext(CliIo io, GlobalOptions globals, ParseResult parse, CancellationToken cancellation)
    {
        Io = io;
        Parse = parse;
        Cancellation = cancellation;
        Bootstrap = parse.GetValue(globals.Bootstrap) ?? ClientDefaults.BootstrapServers;
        Output = OutputFormats.Parse(parse.GetValue(globals.Output)) ?? OutputFormat.Text;
        ApiTimeoutMs = parse.GetValue(globals.ApiTimeoutMs);
    }

    /// <summary>The streams.</summary>
    public CliIo Io { get; }

    /// <summary>The parsed command line.</summary>
    public ParseResult Parse { get; }

    /// <summary>Cancelled by Ctrl+C / SIGTERM.</summary>
    public CancellationToken Cancellation { get; }

    /// <summary><c>--bootstrap-server</c>.</summary>
    public string Bootstrap { get; }

    /// <summary><c>--output</c>.</summary>
    public OutputFormat Output { get; }

    /// <summary>True for <c>--output json</c>.</summary>
    public bool Json => Output == OutputFormat.Json;

    /// <summary><c>--api-timeout-ms</c>.</summary>
    public int ApiTimeoutMs { get; }

    /// <summary>Standard output.</summary>
    public TextWriter Out => Io.Out;

    /// <summary>Standard error.</summary>
    public TextWriter Err => Io.Error;

    /// <summary>A Spectre console over <see cref="Out"/>: colours and live displays only on a terminal.</summary>
    public IAnsiConsole Console => _console ??= ConsoleFactory.Create(Io);

    /// <summary>The value of <paramref name="option"/>.</summary>
    public T? Get<T>(Option<T> option) => Parse.GetValue(option);

    /// <summary>The value of <paramref name="argument"/>.</summary>
    public T? Get<T>(Argument<T> argument) => Parse.GetValue(argument);

    /// <summary>Writes <paramref name="value"/> as the command's one JSON document.</summary>
    public void WriteJson<T>(T value) => JsonOutput.Write(Out, value);

    /// <summary>An admin client with the CLI's timeouts.</summary>
    public IAdminClient CreateAdmin()
    {
        var config = AdminConfig();
        return Build(() => new AdminClientBuilder(config).Build());
    }

    /// <summary>Admin settings: every call, retries included, ends within <see cref="ApiTimeoutMs"/>.</summary>
    public AdminClientConfig AdminConfig()
    {
        var config = new AdminClientConfig();
        ApplyCommon(config);
        config.DefaultApiTimeoutMs = ApiTimeoutMs;
        return config;
    }

    /// <summary>
    /// Producer settings: the CLI's timeouts, then <paramref name="overrides"/> (<c>--producer-property</c>),
    /// which win. A key or value the client rejects is a usage error (exit 2).
    /// </summary>
    public ProducerConfig ProducerConfig(IEnumerable<KeyValuePair<string, string>> overrides)
    {
        var config = new ProducerConfig();
        ApplyCommon(config);
        config.MaxBlockMs = ApiTimeoutMs;
        config.DeliveryTimeoutMs = Math.Max(ClientDefaults.DeliveryTimeoutMs, config.RequestTimeoutMs + 1000);
        ApplyOverrides(config, overrides, "--producer-property");
        return config;
    }

    /// <summary>Sets every <paramref name="overrides"/> entry on <paramref name="config"/>; a rejected one is a usage error.</summary>
    internal static void ApplyOverrides(ClientConfig config, IEnumerable<KeyValuePair<string, string>> overrides, string optionName)
    {
        foreach (var (key, value) in overrides)
        {
            try
            {
                config.Set(key, value);
            }
            catch (ArgumentException e)
            {
                throw new UsageException($"{optionName} {key}={value}: {FirstLine(e.Message)}", e);
            }
        }
    }

    /// <summary>Builds a client; the client's own setting checks become usage errors.</summary>
    internal static T Build<T>(Func<T> build)
    {
        try
        {
            return build();
        }
        catch (ArgumentException e)
        {
            throw new UsageException(FirstLine(e.Message), e);
        }
    }

    /// <summary>What every client of the CLI shares: bootstrap servers, client id, request and connect timeouts.</summary>
    internal void ApplyCommon(ClientConfig config)
    {
        try
        {
            config.BootstrapServers = Bootstrap;
        }
        catch (ArgumentException e)
        {
            throw new UsageException($"--bootstrap-server {Bootstrap}: {FirstLine(e.Message)}", e);
        }
        config.ClientId = ClientDefaults.ClientId;
        int request = Math.Min(ClientDefaults.RequestTimeoutMs, ApiTimeoutMs);
        config.RequestTimeoutMs = request;
        config.SocketConnectionSetupTimeoutMs = request;
    }

    // ArgumentException appends " (Parameter 'x')" on a new line in some runtimes; keep the first line.
    private static string FirstLine(string message)
    {
        int paren = message.IndexOf(" (Parameter '", StringComparison.Ordinal);
        if (paren >= 0) message = message[..paren];
        return message.Split('\n')[0].Trim();
    }
}
