using AkkaLog.Cli.Infrastructure;

namespace AkkaLog.Cli.Tests.Infrastructure;

/// <summary>What one CLI invocation did.</summary>
public sealed record CliResult(int ExitCode, string Stdout, string Stderr)
{
    /// <summary>Stdout lines without the empty line after a final newline.</summary>
    public string[] Lines => Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToArray();

    /// <summary>For assertion messages.</summary>
    public override string ToString() => $"exit {ExitCode}\n--- stderr ---\n{Stderr}\n--- stdout ---\n{Stdout}";

    /// <summary>Fails unless the exit code is <paramref name="expected"/>, showing the output.</summary>
    public CliResult Expect(int expected)
    {
        if (ExitCode != expected) throw new Xunit.Sdk.XunitException($"expected exit {expected}, got {this}");
        return this;
    }

    /// <summary>Stdout parsed as one JSON document.</summary>
    public System.Text.Json.JsonElement Json() => System.Text.Json.JsonDocument.Parse(Stdout).RootElement;
}

/// <summary>
/// Runs the CLI in-process, exactly as Program does but with captured streams: stdout is not a
/// terminal, so output must be plain (no ANSI codes), which every call checks.
/// </summary>
public static class CliRunner
{
    /// <summary>Runs <paramref name="args"/>; <paramref name="cancellation"/> plays the part of Ctrl+C.</summary>
    public static async Task<CliResult> RunAsync(string[] args, string? stdin = null, CancellationToken cancellation = default)
    {
        // Synchronized: a long-running command (consume) may write from its own thread while the test reads.
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var io = new CliIo(TextWriter.Synchronized(stdout), TextWriter.Synchronized(stderr), new StringReader(stdin ?? ""), IsTerminal: false);
        int code = await CliApp.RunAsync(args, io, cancellation);
        var result = new CliResult(code, stdout.ToString(), stderr.ToString());
        Assert.False(result.Stdout.Contains('\u001b'), $"ANSI escape in piped stdout: {result}");
        Assert.False(result.Stderr.Contains('\u001b'), $"ANSI escape in stderr: {result}");
        return result;
    }
}
